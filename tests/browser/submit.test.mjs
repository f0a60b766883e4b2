// The walking skeleton's journey at phone size: submit a minimal appeal, get its case number,
// find it in "my cases" after a reload with a deadline 7 days after acceptance.
import assert from "node:assert/strict";
import { test } from "node:test";
import { definition, fillMinimalAppeal, phonePage, serverAndBrowser } from "./support.mjs";

const env = serverAndBrowser();

/** "2026年12月3日 10:15" (city time, as the app shows it) → minutes since the epoch, UTC+8. */
function cityMinutes(text) {
  const m = text.match(/(\d{4})年(\d{1,2})月(\d{1,2})日 (\d{2}):(\d{2})/);
  assert.ok(m, `a Chinese date and time: ${text}`);
  const [, y, mo, d, h, mi] = m.map(Number);
  return Date.UTC(y, mo - 1, d, h - 8, mi) / 60000;
}


test("a resident submits an appeal and finds it in my cases after a reload", async () => {
  // The phone is set to New York time: the app must still show the city's (UTC+8) times.
  const { context, page, problems } = await phonePage(env.browser, { timezoneId: "America/New_York" });
  await page.goto(env.server.address);
  await page.getByRole("link", { name: /我要反映/ }).click();
  await assert.doesNotReject(page.getByText("紧急情况请直接拨打").first().waitFor());

  await fillMinimalAppeal(page);
  await page.getByRole("button", { name: "提交诉求" }).click();

  await page.waitForURL(/\/cases\/\d{14}$/);
  await page.getByRole("heading", { name: "诉求已受理" }).waitFor();
  const caseNumber = (await page.getByTestId("case-number").innerText()).trim();
  const lookupCode = (await page.getByTestId("lookup-code").innerText()).trim();
  assert.match(caseNumber, /^\d{14}$/);
  assert.match(lookupCode, /^\d{8}$/);
  assert.ok(page.url().endsWith(`/cases/${caseNumber}`));

  // The server holds exactly this case, opened from outside with the lookup code.
  const response = await fetch(`${env.server.address}/api/v1/cases/${caseNumber}?code=${lookupCode}`);
  assert.equal(response.status, 200);
  const stored = await response.json();
  assert.equal(stored.status, "accepted");
  assert.equal(stored.category_id, "environment");
  assert.equal(stored.community_id, "chengzhong-renminjie-nanguanjie");
  const acceptedMs = Date.parse(stored.accepted_at);
  assert.equal(Date.parse(stored.deadline_at) - acceptedMs, 7 * 24 * 3600 * 1000);

  // The receipt shows acceptance and a deadline 7 days later, in city time.
  const shownAccepted = cityMinutes(await definition(page, "受理时间").innerText());
  const shownDeadline = cityMinutes(await definition(page, "办结期限").innerText());
  assert.equal(shownDeadline - shownAccepted, 7 * 24 * 60);
  assert.equal(shownAccepted, Math.floor(acceptedMs / 60000));
  assert.match(await definition(page, "剩余时间").innerText(), /还剩 (6 天 23 小时|7 天 0 小时)/);

  // After a reload, from the home screen: my cases lists it with its deadline.
  await page.reload();
  await page.getByTestId("case-number").waitFor();
  await page.getByRole("link", { name: /有诉/ }).click();
  await page.getByRole("link", { name: /我的诉求/ }).click();
  await page.waitForURL(/\/cases$/);
  await page.reload();
  const item = page.getByRole("listitem").filter({ hasText: caseNumber });
  await item.waitFor();
  const itemText = await item.innerText();
  assert.match(itemText, /已受理/);
  assert.match(itemText, /环境保护/);
  assert.equal(cityMinutes(itemText), shownDeadline);

  // Nothing scrolls sideways at phone width.
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `no horizontal scrolling (overflow ${overflow}px)`);
  assert.deepEqual(problems, []);
  await context.close();
});

test("wrong input gets clear messages beside each field and sends nothing", async () => {
  const { context, page, problems } = await phonePage(env.browser);
  await page.goto(`${env.server.address}/submit`);
  await page.getByLabel("诉求内容").fill("油烟");
  await page.getByLabel("联系电话").fill("12345");
  await page.getByRole("button", { name: "提交诉求" }).click();

  await page.getByText("有几处需要修改").waitFor();
  for (const [label, message] of [
    ["诉求类别", "请选择诉求类别"],
    ["诉求内容", "请至少用5个字说明您的诉求"],
    ["社区", "请选择所在社区"],
    ["联系电话", "请填写正确的手机号或带区号的固定电话"],
  ]) {
    const field = page.getByLabel(label);
    assert.equal(await field.getAttribute("aria-invalid"), "true", label);
    // The message is tied to the field, so a screen reader reads it with the field.
    const describedBy = (await field.getAttribute("aria-describedby")) ?? "";
    const ids = describedBy.split(" ").filter(Boolean);
    const texts = await Promise.all(ids.map((id) => page.locator(`[id="${id}"]`).innerText()));
    assert.ok(texts.some((t) => t.includes(message)), `${label}: ${message} in ${texts}`);
  }
  // The first wrong field has the focus.
  assert.equal(await page.evaluate(() => document.activeElement?.id), "category_id");
  assert.equal(await page.evaluate(() => localStorage.getItem("yousu.cases.v2")), null);
  assert.deepEqual(problems, []);
  await context.close();
});

test("a half-typed appeal survives a reload", async () => {
  const { context, page, problems } = await phonePage(env.browser);
  await page.goto(`${env.server.address}/submit`);
  await page.getByLabel("诉求类别").selectOption({ label: "交通出行" });
  await page.getByLabel("诉求内容").fill("路口信号灯一直不亮，早高峰很危险");
  await page.getByLabel("所在区县").selectOption({ label: "城西区" });
  await page.reload();
  await page.getByText("已恢复您上次未提交的内容").waitFor();
  assert.equal(await page.getByLabel("诉求内容").inputValue(), "路口信号灯一直不亮，早高峰很危险");
  assert.equal(
    await page.getByLabel("诉求类别").evaluate((s) => s.options[s.selectedIndex].text),
    "交通出行",
  );
  assert.equal(
    await page.getByLabel("所在区县").evaluate((s) => s.options[s.selectedIndex].text),
    "城西区",
  );
  assert.deepEqual(problems, []);
  await context.close();
});
