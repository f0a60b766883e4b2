// The operator (接) at desktop size: a hotline appeal entered while on the phone, with the
// suggestion appearing as they type, emergencies flagged for transfer, and the channel recorded.
import assert from "node:assert/strict";
import { test } from "node:test";
import { serverAndBrowser } from "./support.mjs";
import { desktopPage, signIn, staffApi } from "./staff_support.mjs";

const env = serverAndBrowser();

test("an operator enters a hotline appeal with suggestions as they type", async () => {
  const { context, page, problems } = await desktopPage(env.browser);
  await signIn(page, env.server.address, "operator");
  await page.getByRole("heading", { name: "来电登记", level: 1 }).waitFor();
  assert.equal(await page.getByLabel("来源渠道").inputValue(), "hotline");

  await page.getByLabel("来电号码").fill("13997001234");
  await page.getByLabel("诉求内容（来电人原话）").fill("楼下饭店油烟直排，家里窗户都不能开，晚上六点到九点最严重");
  await page.getByRole("list", { name: "建议的派单事项" }).waitFor({ timeout: 5000 });
  await page.getByLabel("区县").selectOption({ label: "城中区" });
  await page.getByLabel("街道（乡镇）").selectOption({ label: "人民街街道" });
  await page.getByLabel("社区", { exact: true }).selectOption({ label: "南关街社区" });
  await page.getByRole("button", { name: "登记诉求" }).click();
  const done = page.getByRole("status").filter({ hasText: "已登记：工单号" });
  await done.waitFor();
  const caseNumber = (await done.innerText()).match(/工单号 (\d{14})/)[1];

  const dispatcher = await staffApi(env.server.address, "dispatcher");
  const { body } = await dispatcher.get(`/staff/cases/${caseNumber}`);
  assert.equal(body.channel, "hotline");
  assert.equal(body.community_id, "chengzhong-renminjie-nanguanjie");
  assert.equal(await page.getByLabel("诉求内容（来电人原话）").inputValue(), "", "ready for the next call");
  assert.deepEqual(problems, []);
  await context.close();
});

test("words of a fire, an injury or a crime in progress are flagged for transfer", async () => {
  const { context, page, problems } = await desktopPage(env.browser);
  await signIn(page, env.server.address, "operator");
  const words = page.getByLabel("诉求内容（来电人原话）");
  await words.fill("楼下饭店着火了，冒着浓烟");
  const alert = page.getByRole("alert").filter({ hasText: "紧急情况：请立即转接" });
  await alert.getByText("转 119").waitFor();
  await words.fill("有人持刀打架，已经有人受伤流血");
  await alert.getByText("转 120").waitFor();
  await alert.getByText("转 110").waitFor();
  await words.fill("路灯坏了三天");
  await alert.waitFor({ state: "detached" });
  assert.deepEqual(problems, []);
  await context.close();
});

test("a letter is entered with its channel, anonymously", async () => {
  const { context, page, problems } = await desktopPage(env.browser);
  await signIn(page, env.server.address, "operator");
  await page.getByLabel("来源渠道").selectOption({ label: "来信" });
  await page.getByLabel("匿名反映（不留联系方式）").check();
  assert.equal(await page.getByLabel("来电号码").count(), 0);
  await page.getByLabel("诉求内容（来电人原话）").fill("来信反映南关街小区垃圾清运不及时");
  await page.getByLabel("诉求类别").selectOption({ label: "市容环卫" });
  await page.getByLabel("区县").selectOption({ label: "城中区" });
  await page.getByLabel("街道（乡镇）").selectOption({ label: "人民街街道" });
  await page.getByLabel("社区", { exact: true }).selectOption({ label: "南关街社区" });
  await page.getByRole("button", { name: "登记诉求" }).click();
  const done = page.getByRole("status").filter({ hasText: "已登记：工单号" });
  await done.waitFor();
  const caseNumber = (await done.innerText()).match(/工单号 (\d{14})/)[1];
  const { body } = await (await staffApi(env.server.address, "dispatcher")).get(`/staff/cases/${caseNumber}`);
  assert.equal(body.channel, "letter");
  assert.equal(body.contact.kind, "anonymous");
  assert.deepEqual(problems, []);
  await context.close();
});
