// The public figures: this month's appeals by category and by district, and each unit's three
// rates, each beside its counts; charts are drawn, and the same figures are in tables.
import assert from "node:assert/strict";
import { test } from "node:test";
import { phonePage, serverAndBrowser, staff, submitThroughApi } from "./support.mjs";

const env = serverAndBrowser();

test("public figures show counts by category and district and each unit's rates with counts", async () => {
  const address = env.server.address;
  const first = await submitThroughApi(address, {});
  await submitThroughApi(address, { description: "夜里工地打桩噪声很大，影响休息", category_id: "environment" });
  const dispatcher = await staff(address, "dispatcher");
  const handler = await staff(address, "handler-ecology");
  await dispatcher(first.case_number, "dispatch", { unit_id: "ecology" });
  await handler(first.case_number, "claim");
  await handler(first.case_number, "complete", { note: "已整改" });

  const { context, page, problems } = await phonePage(env.browser);
  await page.goto(address);
  await page.getByRole("link", { name: /公开数据/ }).click();
  await page.getByRole("heading", { name: "本月公开数据" }).waitFor();

  const byCategory = page.getByRole("figure").filter({ has: page.getByRole("heading", { name: "按类别" }) });
  const row = byCategory.getByRole("row", { name: /环境保护/ });
  await row.waitFor();
  assert.deepEqual((await row.getByRole("cell").allInnerTexts()).map((t) => t.trim()), ["2", "1"]);
  assert.equal(await byCategory.locator("svg rect").count() >= 2, true, "a bar chart is drawn");
  assert.equal(await byCategory.locator("svg").getAttribute("aria-hidden"), "true", "the table speaks for it");

  const byDistrict = page.getByRole("figure").filter({ has: page.getByRole("heading", { name: "按区县" }) });
  await byDistrict.getByRole("row", { name: /城中区/ }).waitFor();

  // The unit's rates, each with its counts: never a bare number.
  const unit = page.getByRole("listitem").filter({ has: page.getByRole("heading", { name: "市生态环境局" }) });
  await unit.waitFor();
  const text = await unit.innerText();
  for (const label of ["响应率", "解决率", "满意率"]) assert.match(text, new RegExp(label));
  assert.match(text, /响应率\s*100%（1 \/ 1）/);
  assert.match(text, /解决率\s*—（0 \/ 0）/);
  assert.match(text, /件数较少/);
  assert.deepEqual(problems, []);
  await context.close();
});
