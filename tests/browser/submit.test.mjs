// The walking skeleton's journey at phone size: submit a minimal appeal, get its case number,
// find it in "my cases" after a reload with a deadline 7 days after acceptance.
import assert from "node:assert/strict";
import { test } from "node:test";
import { chooseNanguan, definition, fillMinimalAppeal, nextStep, phonePage, sendAppeal, serverAndBrowser } from "./support.mjs";

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
  await sendAppeal(page);

  await page.waitForURL(/\/cases\/\d{14}$/);
  await page.getByRole("heading", { name: "诉求已受理" }).waitFor();
  const caseNumber = (await page.getByTestId("case-number").innerText()).trim();
  const lookupCode = (await page.getByTestId("lookup-code").innerText()).trim();
  assert.match(caseNumber, /^\d{14}$/);
  assert.match(lookupCode, /^\d{8}$/);
  assert.ok(page.url().endsWith(`/cases/${caseNumber}`));

  // The server holds exactly this case, opened from outside with the lookup code.
  const response = await fetch(`${env.server.address}/api/v1/cases/${caseNumber}`, { headers: { "X-Lookup-Code": lookupCode } });
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

/** The ids a field's aria-describedby names, and their texts. */
async function describedBy(page, field) {
  const ids = ((await field.getAttribute("aria-describedby")) ?? "").split(" ").filter(Boolean);
  return Promise.all(ids.map((id) => page.locator(`[id="${id}"]`).innerText()));
}

test("each step stops on its own wrong input, with the message beside the field", async () => {
  const { context, page, problems } = await phonePage(env.browser);
  await page.goto(`${env.server.address}/submit`);
  await page.getByText("第 1 步，共 5 步").waitFor();
  await page.getByText("紧急情况请直接拨打").waitFor();

  // Step 1: nothing chosen.
  await page.getByRole("button", { name: "下一步" }).click();
  await page.getByText("有几处需要修改").waitFor();
  const tiles = page.getByRole("group", { name: "诉求类别" });
  assert.equal(await tiles.getAttribute("aria-invalid"), "true");
  assert.ok((await describedBy(page, tiles)).some((t) => t.includes("请选择诉求类别")));
  assert.equal(await page.evaluate(() => document.activeElement?.id), "category_id");
  assert.equal(await page.getByText("第 1 步，共 5 步").count(), 1, "still on step 1");

  // "Not sure" is an answer too.
  await page.getByRole("radio", { name: /不确定，交给平台判断/ }).check();
  await nextStep(page, 2);
  await page.getByLabel("诉求内容").fill("油烟");
  await page.getByRole("button", { name: "下一步" }).click();
  const description = page.getByLabel("诉求内容");
  await page.waitForFunction(() => document.getElementById("description")?.getAttribute("aria-invalid") === "true");
  assert.ok((await describedBy(page, description)).some((t) => t.includes("请至少用5个字说明您的诉求")));
  assert.equal(await page.evaluate(() => document.activeElement?.id), "description");
  await description.fill("饭店油烟直排，窗户都不能开");
  await nextStep(page, 3);

  await page.getByRole("button", { name: "下一步" }).click();
  await page.waitForFunction(() => document.getElementById("community_id")?.getAttribute("aria-invalid") === "true");
  assert.ok((await describedBy(page, page.getByLabel("社区"))).some((t) => t.includes("请选择所在社区")));
  await chooseNanguan(page);
  await nextStep(page, 4);

  await page.getByLabel("联系电话").fill("12345");
  await page.getByRole("button", { name: "下一步" }).click();
  await page.waitForFunction(() => document.getElementById("contact_phone")?.getAttribute("aria-invalid") === "true");
  assert.ok((await describedBy(page, page.getByLabel("联系电话"))).some((t) => t.includes("请填写正确的手机号或带区号的固定电话")));
  assert.equal(await page.evaluate(() => localStorage.getItem("yousu.cases.v2")), null, "nothing sent");
  assert.deepEqual(problems, []);
  await context.close();
});

test("the back button moves between steps and loses nothing", async () => {
  const { context, page, problems } = await phonePage(env.browser);
  await page.goto(`${env.server.address}/submit`);
  await page.getByRole("radio", { name: "交通出行" }).check();
  await nextStep(page, 2);
  assert.ok(page.url().endsWith("/submit/details"), "each step has its own address");
  await page.getByLabel("诉求内容").fill("路口信号灯一直不亮，早高峰很危险");
  await nextStep(page, 3);
  await page.getByLabel("所在区县").selectOption({ label: "城西区" });

  // The browser's back: step 2 with the words still there, then step 1 with the choice.
  await page.goBack();
  await page.getByText("第 2 步，共 5 步").waitFor();
  assert.equal(await page.getByLabel("诉求内容").inputValue(), "路口信号灯一直不亮，早高峰很危险");
  await page.goBack();
  await page.getByText("第 1 步，共 5 步").waitFor();
  assert.equal(await page.getByRole("radio", { name: "交通出行" }).isChecked(), true);
  await page.goForward();
  await page.goForward();
  await page.getByText("第 3 步，共 5 步").waitFor();
  assert.equal(
    await page.getByLabel("所在区县").evaluate((s) => s.options[s.selectedIndex].text),
    "城西区",
  );

  // The page's own back button is the same history step, not a new entry.
  const length = await page.evaluate(() => history.length);
  await page.getByRole("button", { name: "上一步" }).click();
  await page.getByText("第 2 步，共 5 步").waitFor();
  assert.equal(await page.evaluate(() => history.length), length);
  await page.goForward();
  await page.getByText("第 3 步，共 5 步").waitFor();
  assert.deepEqual(problems, []);
  await context.close();
});

test("a half-typed appeal survives a reload", async () => {
  const { context, page, problems } = await phonePage(env.browser);
  await page.goto(`${env.server.address}/submit`);
  await page.getByRole("radio", { name: "交通出行" }).check();
  await nextStep(page, 2);
  await page.getByLabel("诉求内容").fill("路口信号灯一直不亮，早高峰很危险");
  await nextStep(page, 3);
  await page.getByLabel("所在区县").selectOption({ label: "城西区" });
  await page.reload();
  await page.getByText("已恢复您上次未提交的内容").waitFor();
  await page.getByText("第 3 步，共 5 步").waitFor();
  assert.equal(
    await page.getByLabel("所在区县").evaluate((s) => s.options[s.selectedIndex].text),
    "城西区",
  );
  await page.goBack();
  await page.getByText("第 2 步，共 5 步").waitFor();
  assert.equal(await page.getByLabel("诉求内容").inputValue(), "路口信号灯一直不亮，早高峰很危险");
  await page.goBack();
  assert.equal(await page.getByRole("radio", { name: "交通出行" }).isChecked(), true);
  assert.deepEqual(problems, []);
  await context.close();
});
