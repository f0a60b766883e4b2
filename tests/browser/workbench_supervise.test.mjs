// The supervisor (督) and the grid's whistle (吹哨报到) at desktop size: a supervision notice
// the unit acknowledges; a whistle summoning two departments, both of which report.
import assert from "node:assert/strict";
import { test } from "node:test";
import { serverAndBrowser } from "./support.mjs";
import { desktopPage, signIn, staffApi, submitAppeal } from "./staff_support.mjs";

const env = serverAndBrowser();

test("a supervisor's notice is acknowledged by the unit", async () => {
  const { case_number } = await submitAppeal(env.server.address);
  const dispatcher = await staffApi(env.server.address, "dispatcher");
  await dispatcher.act(case_number, "dispatch", { unit_id: "ecology" });

  const supervisor = await desktopPage(env.browser);
  await signIn(supervisor.page, env.server.address, "supervisor");
  await supervisor.page.getByLabel("督办工单").selectOption({ value: case_number });
  await supervisor.page.getByLabel("督办要求").fill("请于明日12时前联系居民并反馈处理措施");
  await supervisor.page.getByRole("button", { name: "下发督办单" }).click();
  await supervisor.page.getByRole("status").filter({ hasText: `已对工单 ${case_number} 下发督办单` }).waitFor();
  const issued = supervisor.page.getByRole("table", { name: "已下发的督办单" }).getByRole("row").filter({ hasText: case_number });
  await issued.getByText("未签收").waitFor();

  const handler = await desktopPage(env.browser);
  await signIn(handler.page, env.server.address, "handler-ecology");
  await handler.page.getByText("有督办单等待本单位签收。").waitFor();
  await handler.page.getByRole("table", { name: /本单位在办工单/ }).getByRole("button", { name: case_number }).click();
  await handler.page.getByText("请于明日12时前联系居民并反馈处理措施").waitFor();
  await handler.page.getByRole("button", { name: "签收督办单" }).click();
  await handler.page.getByRole("status").filter({ hasText: "督办单已签收" }).waitFor();

  await supervisor.page.reload();
  await issued.getByText(/已签收/).waitFor();
  assert.match(await issued.innerText(), /handler-ecology|市生态环境局/);
  assert.deepEqual(supervisor.problems, []);
  assert.deepEqual(handler.problems, []);
  await supervisor.context.close();
  await handler.context.close();
});

test("a whistle summons two departments and both report", async () => {
  const { case_number } = await submitAppeal(env.server.address, { description: "南关街背街小巷污水外溢，垃圾堆积，占道经营严重" });
  const dispatcher = await desktopPage(env.browser);
  await signIn(dispatcher.page, env.server.address, "dispatcher");
  await dispatcher.page.getByRole("navigation", { name: "工作台" }).getByRole("link", { name: "吹哨报到" }).click();
  await dispatcher.page.getByLabel("工单号", { exact: true }).fill(case_number);
  await dispatcher.page.getByLabel("街道（乡镇）").selectOption({ label: "人民街街道" });
  await dispatcher.page.getByRole("group", { name: "召集的部门" }).getByLabel("市生态环境局").check();
  await dispatcher.page.getByRole("group", { name: "召集的部门" }).getByLabel("市城市管理局").check();
  await dispatcher.page.getByLabel("吹哨事由").fill("污水、垃圾、占道交织，需多部门联合处置");
  await dispatcher.page.getByRole("button", { name: "吹哨" }).click();
  await dispatcher.page.getByRole("status").filter({ hasText: `已对工单 ${case_number} 吹哨` }).waitFor();
  const card = dispatcher.page.getByRole("article", { name: new RegExp(case_number) });
  await card.getByRole("row").filter({ hasText: "市生态环境局" }).getByText("未报到").waitFor();

  for (const [username, part] of [["handler-ecology", "负责污水外溢的环境监测"], ["handler-urban", "负责垃圾清运和占道整治"]]) {
    const handler = await desktopPage(env.browser);
    await signIn(handler.page, env.server.address, username);
    await handler.page.getByRole("navigation", { name: "工作台" }).getByRole("link", { name: "吹哨报到" }).click();
    const mine = handler.page.getByRole("article", { name: new RegExp(case_number) });
    await mine.getByLabel("本部门职责与措施").fill(part);
    await mine.getByRole("button", { name: "报到" }).click();
    await handler.page.getByRole("status").filter({ hasText: "已报到。" }).waitFor();
    assert.deepEqual(handler.problems, [], username);
    await handler.context.close();
  }
  // Once everyone reported the whistle leaves the open list; the case still shows who did.
  await dispatcher.page.getByLabel(/按工单号查看/).fill(case_number);
  await dispatcher.page.getByRole("button", { name: "查看" }).click();
  for (const unit of ["市生态环境局", "市城市管理局"]) {
    await card.getByRole("row").filter({ hasText: unit }).getByText(/已报到/).waitFor();
  }
  assert.equal(await card.getByText("未报到").count(), 0);
  assert.deepEqual(dispatcher.problems, []);
  await dispatcher.context.close();
});
