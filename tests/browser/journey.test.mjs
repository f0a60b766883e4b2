// The resident's side of the whole chain at phone size: add information while the unit works,
// read the unit's reply, rate it dissatisfied, ask for re-handling once; withdraw another case.
import assert from "node:assert/strict";
import { test } from "node:test";
import { fillMinimalAppeal, sendAppeal, phonePage, serverAndBrowser, staff } from "./support.mjs";

const env = serverAndBrowser();

async function submit(page) {
  await page.goto(`${env.server.address}/submit`);
  await fillMinimalAppeal(page);
  await sendAppeal(page);
  await page.waitForURL(/\/cases\/\d{14}$/);
  return (await page.getByTestId("case-number").innerText()).trim();
}

test("a resident follows the unit's work, rates it and asks for re-handling once", async () => {
  const { context, page, problems } = await phonePage(env.browser);
  const caseNumber = await submit(page);
  const dispatcher = await staff(env.server.address, "dispatcher");
  const handler = await staff(env.server.address, "handler-ecology");
  await dispatcher(caseNumber, "dispatch", { unit_id: "ecology" });
  await handler(caseNumber, "claim");

  await page.reload();
  await page.getByLabel("补充说明").fill("每天晚上六点到九点最严重");
  await page.getByRole("button", { name: "提交补充说明" }).click();
  const timeline = page.getByRole("list").filter({ hasText: "已提交" });
  await timeline.getByText("每天晚上六点到九点最严重").waitFor();
  assert.match(await timeline.innerText(), /市生态环境局/, "the timeline names the unit");

  await handler(caseNumber, "complete", { note: "已责令饭店安装油烟净化设备并复查合格" });
  await page.reload();
  await page.getByRole("heading", { name: "办理结果", exact: true }).waitFor();
  await page.getByText("已责令饭店安装油烟净化设备并复查合格").first().waitFor();
  assert.equal(await page.getByRole("button", { name: "撤回诉求" }).count(), 0, "too late to withdraw");

  await page.getByRole("group", { name: "问题解决了吗？" }).getByLabel("未解决").check();
  await page.getByRole("group", { name: "您对办理结果满意吗？" }).getByLabel("不满意").check();
  await page.getByLabel("您的意见（选填）").fill("晚上还是有油烟");
  await page.getByRole("button", { name: "提交评价" }).click();
  await page.getByText("您的评价: 未解决 · 不满意").waitFor();

  await page.getByRole("button", { name: "不满意，申请重办" }).click();
  await page.getByText("重办中").first().waitFor();
  assert.equal(await page.getByRole("button", { name: "不满意，申请重办" }).count(), 0, "once only");

  // The platform agrees: the case is back with the unit.
  const response = await fetch(`${env.server.address}/api/v1/cases/${caseNumber}`, { headers: { "X-Lookup-Code": (await page.getByTestId("lookup-code").innerText()).trim() } });
  const stored = await response.json();
  assert.equal(stored.status, "reopened");
  assert.equal(stored.rating.satisfaction, "dissatisfied");
  assert.deepEqual(problems, []);
  await context.close();
});

test("a resident withdraws an appeal before a unit claims it", async () => {
  const { context, page, problems } = await phonePage(env.browser);
  const caseNumber = await submit(page);
  await page.getByRole("button", { name: "撤回诉求" }).click();
  await page.getByRole("button", { name: "确认撤回" }).click();
  await page.getByText("已撤回").first().waitFor();
  assert.equal(await page.getByRole("button", { name: "撤回诉求" }).count(), 0);
  await page.goto(`${env.server.address}/cases`);
  const item = page.getByRole("listitem").filter({ hasText: caseNumber });
  await item.waitFor();
  assert.match(await item.innerText(), /已撤回/);
  assert.deepEqual(problems, []);
  await context.close();
});
