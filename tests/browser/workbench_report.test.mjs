// Evaluation and report (评 报) and the live wall (宣) at desktop size: the monthly table beside
// its counts with too-few-cases marked, exported as CSV and printed; the dashboard's number
// moves within 2 seconds of a resident's submission.
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { test } from "node:test";
import { serverAndBrowser } from "./support.mjs";
import { desktopPage, signIn, staffApi, submitAppeal } from "./staff_support.mjs";

const env = serverAndBrowser();

test("the monthly table shows each rate beside its counts, marks too few cases, exports CSV and prints", async () => {
  const dispatcher = await staffApi(env.server.address, "dispatcher");
  const handler = await staffApi(env.server.address, "handler-ecology");
  for (let i = 0; i < 2; i++) {
    const { case_number } = await submitAppeal(env.server.address);
    await dispatcher.act(case_number, "dispatch", { unit_id: "ecology" });
    await handler.act(case_number, "claim");
  }
  const evaluation = await fetch(`${env.server.address}/api/v1/evaluation`).then((r) => r.json());
  const ecology = evaluation.units.find((u) => u.unit_id === "ecology");

  const { context, page, problems } = await desktopPage(env.browser);
  await signIn(page, env.server.address, "supervisor");
  await page.getByRole("navigation", { name: "工作台" }).getByRole("link", { name: "评 报 · 月度考核" }).click();
  const table = page.getByRole("table", { name: /各单位考核/ });
  const row = table.getByRole("row").filter({ has: page.getByRole("rowheader", { name: /市生态环境局/ }) });
  await row.waitFor();
  const text = await row.innerText();
  const { numerator, denominator } = ecology.response;
  assert.ok(text.includes(`(${numerator}/${denominator})`), `response counts beside the rate: ${text}`);
  assert.equal(ecology.too_few_cases, true);
  assert.match(text, /样本不足/);
  assert.match(text, /上月/);

  await table.getByRole("button", { name: "响应率" }).click();
  assert.equal(await table.getByRole("columnheader", { name: "响应率" }).getAttribute("aria-sort"), "descending");

  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("button", { name: "导出 CSV" }).click(),
  ]);
  assert.match(download.suggestedFilename(), /^yousu-evaluation-\d{4}-\d{2}\.csv$/);
  const csv = await readFile(await download.path(), "utf8");
  assert.match(csv.split("\r\n")[0], /响应率%,按时响应,派单数,上月响应率%/);
  assert.ok(csv.includes(`市生态环境局,`), "the unit's row");
  assert.ok(csv.split("\r\n").find((l) => l.includes("市生态环境局")).endsWith(",1"), "marked too few cases");

  await page.emulateMedia({ media: "print" });
  await page.getByText(/12345 平台月度考核报告 · \d{4}-\d{2}/).waitFor();
  assert.equal(await page.getByRole("navigation", { name: "工作台" }).isVisible(), false);
  assert.equal(await page.getByRole("button", { name: "导出 CSV" }).isVisible(), false);
  assert.deepEqual(problems, []);
  await context.close();
});

test("the live wall shows a resident's submission within 2 seconds", async () => {
  const { context, page, problems } = await desktopPage(env.browser);
  await signIn(page, env.server.address, "admin");
  await page.getByRole("navigation", { name: "工作台" }).getByRole("link", { name: "宣 · 实时大屏" }).click();
  const received = page.getByTestId("received-today");
  await page.getByText(/实时更新 ·/).waitFor({ timeout: 10_000 });
  const before = Number(await received.innerText());
  const started = Date.now();
  await submitAppeal(env.server.address);
  await page.waitForFunction(
    ([n]) => Number(document.querySelector("[data-testid=received-today]").textContent) === n,
    [before + 1],
    { timeout: 2_000 },
  );
  const took = Date.now() - started;
  assert.ok(took <= 2_000, `took ${took} ms`);
  await page.getByRole("img", { name: /热点社区/ }).waitFor();
  assert.match(await page.getByRole("img", { name: /热点社区/ }).getAttribute("aria-label"), /南关街社区/);
  assert.deepEqual(problems, []);
  await context.close();
});
