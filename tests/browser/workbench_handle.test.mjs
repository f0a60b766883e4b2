// The unit handler (办) at desktop size: the unit's cases by time left, claim on `c`, the
// resident's number masked until revealed (and the reveal logged), a progress note and a reply
// the resident reads, the resident's rating; and a return request filed with its reason.
import assert from "node:assert/strict";
import { test } from "node:test";
import { serverAndBrowser } from "./support.mjs";
import { desktopPage, leaveFields, signIn, staffApi, submitAppeal } from "./staff_support.mjs";

const env = serverAndBrowser();

async function openCase(page, caseNumber) {
  const queue = page.getByRole("table", { name: /本单位在办工单/ });
  await queue.getByRole("button", { name: caseNumber }).click();
  await page.getByRole("heading", { name: `工单号 ${caseNumber}` }).waitFor();
  return page.getByRole("region", { name: `工单号 ${caseNumber}` });
}

test("a handler claims, reveals the number (logged), notes progress and completes; the resident reads it and rates", async () => {
  const receipt = await submitAppeal(env.server.address);
  const caseNumber = receipt.case_number;
  const dispatcher = await staffApi(env.server.address, "dispatcher");
  await dispatcher.act(caseNumber, "dispatch", { unit_id: "ecology" });

  const { context, page, problems } = await desktopPage(env.browser);
  await signIn(page, env.server.address, "handler-ecology");
  const row = page.getByRole("table", { name: /本单位在办工单/ }).locator("tbody tr", { hasText: caseNumber });
  await row.waitFor();
  assert.match(await row.innerText(), /还剩 \d+ 天/, "the countdown to the deadline shows");
  const pane = await openCase(page, caseNumber);

  const contact = pane.getByTestId("contact");
  const masked = await contact.innerText();
  assert.ok(!masked.includes("13809711234"), `masked before the reveal: ${masked}`);
  assert.match(masked, /1234/);

  await leaveFields(page);
  await page.keyboard.press("c");
  await page.getByRole("status").filter({ hasText: `工单 ${caseNumber} 已接单` }).waitFor();

  await pane.getByRole("button", { name: "显示完整号码" }).click();
  await contact.filter({ hasText: "13809711234" }).waitFor();
  const handler = await staffApi(env.server.address, "handler-ecology");
  const supervisor = await staffApi(env.server.address, "supervisor");
  const log = (await supervisor.get(`/staff/cases/${caseNumber}/contact-access`)).body;
  assert.ok(
    log.accesses.some((a) => a.username === "handler-ecology" && a.purpose === "reveal"),
    `the reveal is logged: ${JSON.stringify(log)}`,
  );

  await pane.getByLabel("进展说明（居民可见）").fill("已联系饭店，约定明天上门检查油烟净化设备");
  await pane.getByRole("button", { name: "记录进展" }).click();
  await page.getByRole("status").filter({ hasText: `工单 ${caseNumber} 的进展已记录` }).waitFor();

  await pane.getByLabel("答复居民").fill("已责令饭店安装油烟净化设备，复查合格");
  await pane.getByRole("button", { name: "办结并答复" }).click();
  await page.getByRole("status").filter({ hasText: `工单 ${caseNumber} 已办结` }).waitFor();
  assert.equal((await handler.get(`/staff/cases/${caseNumber}`)).body.status, "completed");

  // The resident reads the note and the reply, and rates.
  const own = await fetch(`${env.server.address}/api/v1/cases/${caseNumber}`, {
    headers: { Authorization: `Bearer ${receipt.access_token}` },
  }).then((r) => r.json());
  assert.equal(own.reply, "已责令饭店安装油烟净化设备，复查合格");
  assert.ok(own.timeline.some((e) => e.note === "已联系饭店，约定明天上门检查油烟净化设备"));
  const rating = await fetch(`${env.server.address}/api/v1/cases/${caseNumber}/rating`, {
    method: "POST",
    headers: { Authorization: `Bearer ${receipt.access_token}`, "Content-Type": "application/json" },
    body: JSON.stringify({ resolved: true, satisfaction: "satisfied", comment: "处理很快" }),
  });
  assert.equal(rating.status, 200);
  assert.deepEqual(problems, []);
  await context.close();
});

test("a handler files a return request only with a reason, and a hidden identity stays hidden", async () => {
  const receipt = await submitAppeal(env.server.address, { hide_identity_from_unit: true });
  const dispatcher = await staffApi(env.server.address, "dispatcher");
  await dispatcher.act(receipt.case_number, "dispatch", { unit_id: "ecology" });
  const { context, page, problems } = await desktopPage(env.browser);
  await signIn(page, env.server.address, "handler-ecology");
  const pane = await openCase(page, receipt.case_number);
  await pane.getByTestId("contact").filter({ hasText: "居民要求不向承办单位公开身份" }).waitFor();
  assert.equal(await pane.getByRole("button", { name: "显示完整号码" }).count(), 0);

  await pane.getByRole("button", { name: "提交退单申请" }).click();
  await page.getByRole("status").filter({ hasText: "请先填写原因或内容" }).waitFor();
  await pane.getByLabel("退单理由").fill("此处油烟来自居民家中，不属于餐饮油烟管理");
  await pane.getByRole("button", { name: "提交退单申请" }).click();
  await page.getByRole("status").filter({ hasText: `工单 ${receipt.case_number} 的退单申请已提交` }).waitFor();
  assert.equal((await dispatcher.get(`/staff/cases/${receipt.case_number}`)).body.status, "return_requested");
  assert.deepEqual(problems, []);
  await context.close();
});
