// A volunteer submits for an elder (代办): the case is kept apart from the volunteer's own, and
// the receipt is a large hand-over of the case number and lookup code. And a resident who finds
// the same problem already reported follows that case instead of sending another.
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  chooseNanguan, nextStep, phonePage, sendAppeal, serverAndBrowser, submitMinimalAppeal, submitThroughApi,
} from "./support.mjs";
import { staffApi } from "./staff_support.mjs";

const env = serverAndBrowser();

test("a volunteer submits for someone else and hands over a large receipt", async () => {
  const { context, page, problems } = await phonePage(env.browser);
  const own = await submitMinimalAppeal(page, env.server.address);

  await page.goto(`${env.server.address}/submit`);
  await page.getByRole("radio", { name: "市容环卫" }).check();
  await nextStep(page, 2);
  await page.getByLabel("诉求内容").fill("楼道里的路灯坏了一个月，老人晚上下楼看不见");
  await nextStep(page, 3);
  await chooseNanguan(page);
  await nextStep(page, 4);
  await page.getByLabel("我是志愿者，替他人代办").check();
  await page.getByLabel("为谁代办（只存在本机，方便区分）").fill("3号楼张奶奶");
  await page.getByLabel("被代办人姓名").fill("张桂兰");
  await page.getByLabel("被代办人电话").fill("13909713333");
  // The volunteer's own name is asked for before going on.
  const volunteerName = page.getByLabel("您的姓名（志愿者本人，随诉求报给平台）");
  await volunteerName.fill("");
  await page.getByRole("button", { name: "下一步" }).click();
  await page.getByText("请填写您（志愿者）本人的姓名").waitFor();
  assert.equal(await volunteerName.getAttribute("aria-invalid"), "true");
  await volunteerName.fill("李志愿");
  await sendAppeal(page);
  await page.waitForURL(/\/cases\/\d{14}$/);

  await page.getByText("请把下面两个号码交给被代办人").waitFor();
  const receipt = page.getByRole("region", { name: "诉求已受理" });
  assert.match(await receipt.innerText(), /3号楼张奶奶/);
  assert.match(await receipt.innerText(), /李志愿/);
  const code = page.getByTestId("lookup-code");
  const size = await code.evaluate((el) => Number.parseFloat(getComputedStyle(el).fontSize));
  assert.ok(size >= 36, `the hand-over code is large (${size}px)`);
  const caseNumber = (await page.getByTestId("case-number").innerText()).trim();
  const lookupCode = (await code.innerText()).trim();

  // The platform knows it came through a volunteer, with the elder's contact.
  const stored = await (await fetch(`${env.server.address}/api/v1/cases/${caseNumber}`, { headers: { "X-Lookup-Code": lookupCode } })).json();
  assert.equal(stored.channel, "volunteer");
  const dispatcher = await staffApi(env.server.address, "dispatcher");
  const staffView = (await dispatcher.get(`/staff/cases/${caseNumber}`)).body;
  assert.equal(staffView.volunteer_name, "李志愿", "the platform knows who helped");
  assert.equal(staffView.contact.name, "张桂兰");

  // My cases: the volunteer's own case and the one for others, apart.
  await page.goto(`${env.server.address}/cases`);
  const mine = page.getByRole("list", { name: "我的诉求" });
  const others = page.getByRole("list", { name: "我代办的诉求" });
  await others.getByRole("listitem").filter({ hasText: caseNumber }).waitFor();
  assert.match(await others.innerText(), /3号楼张奶奶/);
  assert.equal(await others.getByRole("listitem").filter({ hasText: own }).count(), 0);
  await mine.getByRole("listitem").filter({ hasText: own }).waitFor();
  assert.equal(await mine.getByRole("listitem").filter({ hasText: caseNumber }).count(), 0);
  // The elder's name and phone left the phone; the volunteer's own name is remembered.
  const storage = await page.evaluate(() => JSON.stringify(localStorage));
  assert.ok(!storage.includes("13909713333") && !storage.includes("张桂兰"));
  assert.deepEqual(problems, []);
  await context.close();
});

test("a resident follows a likely duplicate instead of sending the same problem again", async () => {
  const existing = await submitThroughApi(env.server.address, {
    description: "南关街小区门口的饭店油烟直排，晚上窗户都不能开",
  });
  const { context, page, problems } = await phonePage(env.browser);
  await page.goto(`${env.server.address}/submit`);
  await page.getByRole("radio", { name: "环境保护" }).check();
  await nextStep(page, 2);
  await page.getByLabel("诉求内容").fill("小区门口饭店油烟直排，晚上家里窗户都不能开");
  await nextStep(page, 3);
  await chooseNanguan(page);
  await nextStep(page, 4);
  await page.getByLabel("联系电话").fill("13809711234");
  await nextStep(page, 5);

  // The case already reported, in the same community and category.
  const duplicates = page.getByRole("region", { name: "附近已有相似的诉求" });
  await duplicates.waitFor();
  await duplicates.getByRole("listitem").filter({ hasText: existing.case_number })
    .getByRole("button", { name: "关注这件，不再提交" }).click();
  await page.waitForURL(new RegExp(`/cases/${existing.case_number}$`));
  await page.getByText("这件诉求是别人提交的，您在关注它的进度。").waitFor();

  await page.goto(`${env.server.address}/cases`);
  await page.getByRole("list", { name: "我关注的诉求" }).getByRole("listitem")
    .filter({ hasText: existing.case_number }).waitFor();
  assert.equal(await page.evaluate(() => localStorage.getItem("yousu.draft.v1")), null, "nothing left to send");
  assert.deepEqual(problems, []);
  await context.close();
});

test("a resident not sure of the category sees the platform's first guess and may take it", async () => {
  const { context, page, problems } = await phonePage(env.browser);
  await page.goto(`${env.server.address}/submit`);
  await page.getByRole("radio", { name: /不确定，交给平台判断/ }).check();
  await nextStep(page, 2);
  await page.getByLabel("诉求内容").fill("小区门口饭店油烟直排，晚上家里窗户都不能开");
  await nextStep(page, 3);
  await chooseNanguan(page);
  await nextStep(page, 4);
  await page.getByLabel("联系电话").fill("13809711234");
  await nextStep(page, 5);
  const review = page.locator("dl.review");
  assert.match(await review.innerText(), /诉求类别\s*由平台判断/);
  const proposal = page.getByRole("region", { name: "平台的初步判断" });
  await proposal.waitFor();
  const guess = (await proposal.locator(".proposal-item").innerText()).split(" · ")[0].trim();
  await proposal.getByRole("button", { name: "就用这个类别" }).click();
  assert.match(await review.innerText(), new RegExp(`诉求类别\\s*${guess}`));
  // Sending still works whether or not the platform answered.
  await page.getByRole("button", { name: "提交诉求" }).click();
  await page.waitForURL(/\/cases\/\d{14}$/);
  assert.deepEqual(problems, []);
  await context.close();
});
