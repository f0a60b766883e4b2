// Looking a case up from another phone, and reporting anonymously.
import assert from "node:assert/strict";
import { test } from "node:test";
import { fillMinimalAppeal, sendAppeal, phonePage, serverAndBrowser } from "./support.mjs";

const env = serverAndBrowser();

test("a family member looks the case up on another phone and follows it", async () => {
  const resident = await phonePage(env.browser);
  await resident.page.goto(`${env.server.address}/submit`);
  await fillMinimalAppeal(resident.page);
  await sendAppeal(resident.page);
  await resident.page.waitForURL(/\/cases\/\d{14}$/);
  const caseNumber = (await resident.page.getByTestId("case-number").innerText()).trim();
  const lookupCode = (await resident.page.getByTestId("lookup-code").innerText()).trim();
  await resident.context.close();

  // Another browser context: nothing shared with the resident's phone.
  const family = await phonePage(env.browser);
  const { page } = family;
  await page.goto(env.server.address);
  await page.getByRole("link", { name: /查询诉求/ }).click();
  await page.getByLabel("工单号").fill(caseNumber);
  await page.getByLabel("查询码").fill("00000000" === lookupCode ? "11111111" : "00000000");
  await page.getByRole("button", { name: "查询", exact: true }).click();
  await page.getByText("没有找到这件诉求，请核对工单号和查询码。").waitFor();

  await page.getByLabel("查询码").fill(lookupCode);
  await page.getByRole("button", { name: "查询", exact: true }).click();
  await page.waitForURL(new RegExp(`/cases/${caseNumber}$`));
  await page.getByText("已受理").first().waitFor();
  // Following, not acting: only the sending phone may withdraw or rate.
  assert.equal(await page.getByRole("button", { name: "撤回诉求" }).count(), 0);
  await page.goto(`${env.server.address}/cases`);
  await page.getByRole("listitem").filter({ hasText: caseNumber }).waitFor();
  await page.reload();
  await page.getByRole("listitem").filter({ hasText: caseNumber }).waitFor();
  assert.deepEqual(family.problems, []);
  await family.context.close();
});

test("an anonymous appeal asks for no phone and keeps none", async () => {
  const { context, page, problems } = await phonePage(env.browser);
  await page.goto(`${env.server.address}/submit`);
  await fillMinimalAppeal(page);
  await page.getByLabel("匿名反映，不留联系方式").check();
  assert.equal(await page.getByLabel("联系电话").count(), 0, "no phone field");
  await page.getByText("匿名反映无法接到回访电话").waitFor();
  const draft = await page.evaluate(() => localStorage.getItem("yousu.draft.v1"));
  assert.ok(!draft.includes("13809711234"), "the typed phone left the draft too");
  await sendAppeal(page);
  await page.waitForURL(/\/cases\/\d{14}$/);
  const caseNumber = (await page.getByTestId("case-number").innerText()).trim();

  const login = await fetch(`${env.server.address}/api/v1/staff/login`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ username: "dispatcher", password: "yousu-demo" }),
  });
  const { token } = await login.json();
  const seen = await fetch(`${env.server.address}/api/v1/staff/cases/${caseNumber}`, {
    headers: { Authorization: `Bearer ${token}` },
  });
  assert.deepEqual((await seen.json()).contact, { kind: "anonymous" });
  assert.deepEqual(problems, []);
  await context.close();
});
