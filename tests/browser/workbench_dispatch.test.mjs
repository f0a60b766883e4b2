// The dispatcher (派) at desktop size: a resident's appeal from the resident app arrives in the
// queue, opens from the keyboard with the platform's suggestion filled in, and goes out on `d`;
// a duplicate is merged, a non-appeal marked invalid; the joint review redispatches or refuses.
import assert from "node:assert/strict";
import { test } from "node:test";
import { phonePage, serverAndBrowser, submitMinimalAppeal } from "./support.mjs";
import { desktopPage, leaveFields, signIn, staffApi, submitAppeal } from "./staff_support.mjs";

const env = serverAndBrowser();

/** Opens a case of the queue with j/k and Enter, as a dispatcher at the keyboard would. */
async function openFromKeyboard(page, caseNumber) {
  const rows = page.getByRole("table", { name: /待派单|待会商/ }).locator("tbody tr");
  await leaveFields(page);
  await page.keyboard.press("r");
  await rows.filter({ hasText: caseNumber }).waitFor();
  const numbers = (await rows.locator("td:first-child").allInnerTexts()).map((t) => t.trim());
  const index = numbers.indexOf(caseNumber);
  for (let i = 0; i < numbers.length; i++) await page.keyboard.press("k");
  for (let i = 0; i < index; i++) await page.keyboard.press("j");
  await page.keyboard.press("Enter");
  await page.getByRole("heading", { name: `工单号 ${caseNumber}` }).waitFor();
}

test("a resident's appeal is dispatched on the platform's suggestion from the keyboard", async () => {
  const resident = await phonePage(env.browser);
  const caseNumber = await submitMinimalAppeal(resident.page, env.server.address);

  const dispatcherApi = await staffApi(env.server.address, "dispatcher");
  const { body: suggestions } = await dispatcherApi.get(`/staff/cases/${caseNumber}/suggestions`);

  const { context, page, problems } = await desktopPage(env.browser);
  await signIn(page, env.server.address, "dispatcher");
  await openFromKeyboard(page, caseNumber);
  const pane = page.getByRole("region", { name: `工单号 ${caseNumber}` });
  await pane.getByText(/已按平台建议预填|平台没有足够把握的建议/).waitFor();
  const unit = pane.getByLabel("责任单位");
  const item = pane.getByLabel("派单事项");
  // The form starts from the server's own proposal.
  const preselectedItem = suggestions.preselected_item_id ?? "";
  const preselectedUnit = preselectedItem
    ? suggestions.items.find((i) => i.catalog_item_id === preselectedItem).unit_id
    : (suggestions.preselected_unit_id ?? "");
  assert.equal(await unit.inputValue(), preselectedUnit);
  assert.equal(await item.inputValue(), preselectedItem);
  if (!preselectedUnit) await unit.selectOption({ label: "市生态环境局" });
  const chosenUnit = await unit.inputValue();

  await leaveFields(page);
  await page.keyboard.press("d");
  await page.getByRole("status").filter({ hasText: `工单 ${caseNumber} 已派至` }).waitFor();
  await page.getByRole("table", { name: /待派单/ }).locator("tbody tr", { hasText: caseNumber }).waitFor({ state: "detached" });
  const { body: dispatched } = await dispatcherApi.get(`/staff/cases/${caseNumber}`);
  assert.equal(dispatched.status, "dispatched");
  assert.equal(dispatched.unit_id, chosenUnit);
  assert.deepEqual(problems, []);
  assert.deepEqual(resident.problems, []);
  await resident.context.close();
  await context.close();
});

test("a dispatcher marks an appeal invalid only with a reason, and merges a duplicate", async () => {
  const first = await submitAppeal(env.server.address, { description: "人民街路口的路灯坏了一个星期，晚上一片漆黑", category_id: "city-appearance" });
  const junk = await submitAppeal(env.server.address, { description: "测试测试，请忽略这条信息" });
  const { context, page, problems } = await desktopPage(env.browser);
  await signIn(page, env.server.address, "dispatcher");

  await openFromKeyboard(page, junk.case_number);
  await leaveFields(page);
  await page.keyboard.press("i");
  await page.getByRole("status").filter({ hasText: "请先填写原因或内容" }).waitFor();
  await page.getByLabel("无效原因").fill("来电人说明是测试");
  await page.getByRole("button", { name: /标记为无效/ }).click();
  await page.getByRole("status").filter({ hasText: `工单 ${junk.case_number} 已标记为无效` }).waitFor();

  // The same lamp again: the platform finds the first as a likely duplicate.
  const again = await submitAppeal(env.server.address, { description: "人民街路口路灯坏了，晚上漆黑一片，一个星期了", category_id: "city-appearance" });
  const api = await staffApi(env.server.address, "dispatcher");
  const { body: suggestions } = await api.get(`/staff/cases/${again.case_number}/suggestions`);
  await openFromKeyboard(page, again.case_number);
  if (suggestions.duplicates.some((d) => d.case_number === first.case_number)) {
    await page.getByRole("button", { name: `合并到 ${first.case_number}` }).click();
    await page.getByRole("status").filter({ hasText: `已合并到 ${first.case_number}` }).waitFor();
    assert.equal((await api.get(`/staff/cases/${again.case_number}`)).body.status, "merged");
  } else {
    await page.getByText("没有发现疑似重复的工单。").waitFor();
  }
  assert.equal((await api.get(`/staff/cases/${junk.case_number}`)).body.status, "invalid");
  assert.deepEqual(problems, []);
  await context.close();
});

test("a return request goes through joint review: one redispatched, one refused, each with its reason", async () => {
  const dispatcher = await staffApi(env.server.address, "dispatcher");
  const handler = await staffApi(env.server.address, "handler-ecology");
  const cases = [];
  for (const description of ["小区里的垃圾桶一周没人清运，臭气熏天", "饭店油烟直排到居民楼里，每天晚上都有"]) {
    const { case_number } = await submitAppeal(env.server.address, { description });
    await dispatcher.act(case_number, "dispatch", { unit_id: "ecology" });
    cases.push(case_number);
  }
  await handler.act(cases[0], "return-request", { note: "垃圾清运属城管职责，不属于生态环境局" });
  await handler.act(cases[1], "return-request", { note: "我们人手不够" });

  const { context, page, problems } = await desktopPage(env.browser);
  await signIn(page, env.server.address, "dispatcher");
  await page.getByRole("navigation", { name: "工作台" }).getByRole("link", { name: "会商 · 退单审核" }).click();
  await openFromKeyboard(page, cases[0]);
  await page.locator("blockquote").getByText("垃圾清运属城管职责，不属于生态环境局").waitFor();
  await page.getByLabel("会商意见").fill("同意，垃圾清运由城管负责");
  await page.getByLabel("改派至").selectOption({ label: "市城市管理局" });
  await page.getByRole("button", { name: "同意并改派" }).click();
  await page.getByRole("status").filter({ hasText: `工单 ${cases[0]} 已改派` }).waitFor();

  await openFromKeyboard(page, cases[1]);
  await page.locator("blockquote").getByText("我们人手不够").waitFor();
  await page.getByRole("button", { name: "驳回退单" }).click();
  await page.getByRole("status").filter({ hasText: "请先填写原因或内容" }).waitFor();
  await page.getByLabel("会商意见").fill("油烟直排属生态环境局职责，首接负责，请继续办理");
  await page.getByRole("button", { name: "驳回退单" }).click();
  await page.getByRole("status").filter({ hasText: `工单 ${cases[1]} 的退单申请已驳回` }).waitFor();

  const redispatched = (await dispatcher.get(`/staff/cases/${cases[0]}`)).body;
  assert.equal(redispatched.unit_id, "urban-management");
  const refused = (await dispatcher.get(`/staff/cases/${cases[1]}`)).body;
  assert.equal(refused.unit_id, "ecology");
  assert.notEqual(refused.status, "return_requested");
  assert.ok(refused.timeline.some((e) => e.note === "油烟直排属生态环境局职责，首接负责，请继续办理"), "the reason is recorded");
  assert.deepEqual(problems, []);
  await context.close();
});

test("the dispatcher's screen fits a 1024 px tablet without sideways scrolling", async () => {
  const { case_number } = await submitAppeal(env.server.address);
  const { context, page, problems } = await desktopPage(env.browser, { width: 1024, height: 768 });
  await signIn(page, env.server.address, "dispatcher");
  await openFromKeyboard(page, case_number);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `the page is ${overflow} px too wide`);
  await page.getByRole("button", { name: /确认派单/ }).waitFor();
  assert.deepEqual(problems, []);
  await context.close();
});
