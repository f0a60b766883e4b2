// The workbench's frame at desktop size: sign-in, each role's own screens only (in the browser
// and through the API), an ended session back at sign-in with a message, signing out everywhere,
// the English switch and the keyboard help.
import assert from "node:assert/strict";
import { test } from "node:test";
import { serverAndBrowser } from "./support.mjs";
import { desktopPage, signIn, staffApi, submitAppeal } from "./staff_support.mjs";

const env = serverAndBrowser();

test("a unit handler sees only the unit's screens and is refused the dispatcher's", async () => {
  const { context, page, problems } = await desktopPage(env.browser);
  await signIn(page, env.server.address, "handler-ecology");
  await page.waitForURL(/\/staff\/handle$/);
  const nav = page.getByRole("navigation", { name: "工作台" });
  assert.deepEqual(await nav.getByRole("link").allInnerTexts(), ["办 · 本单位工单", "吹哨报到"]);

  await page.goto(`${env.server.address}/staff/dispatch`);
  await page.getByRole("heading", { name: "无权访问" }).waitFor();
  assert.equal(await page.getByRole("button", { name: /确认派单/ }).count(), 0);

  // The server refuses too: a handler cannot dispatch, nor read another unit's case.
  const { case_number } = await submitAppeal(env.server.address);
  const handler = await staffApi(env.server.address, "handler-ecology");
  assert.equal((await handler.post(`/staff/cases/${case_number}/dispatch`, { unit_id: "ecology" })).status, 403);
  const dispatcher = await staffApi(env.server.address, "dispatcher");
  await dispatcher.act(case_number, "dispatch", { unit_id: "urban-management" });
  assert.equal((await handler.get(`/staff/cases/${case_number}`)).status, 403);
  const mine = await handler.get("/staff/cases");
  assert.ok(mine.body.cases.every((c) => c.unit_id === "ecology"), "only the handler's unit");
  assert.deepEqual(problems, []);
  await context.close();
});

test("each role lands on its own first screen", async () => {
  const expected = {
    operator: ["/staff/intake", ["接 · 来电登记", "宣 · 实时大屏"]],
    dispatcher: ["/staff/dispatch", ["派 · 派单", "会商 · 退单审核", "吹哨报到", "宣 · 实时大屏"]],
    supervisor: ["/staff/supervise", ["督 · 督办", "吹哨报到", "评 报 · 月度考核", "宣 · 实时大屏"]],
    admin: ["/staff/evaluation", ["评 报 · 月度考核", "宣 · 实时大屏", "管理 · 责任单位", "管理 · 派单事项",
      "管理 · 人员与角色", "管理 · 时限与节假日", "管理 · Open311 密钥"]],
  };
  for (const [username, [path, links]] of Object.entries(expected)) {
    const { context, page, problems } = await desktopPage(env.browser);
    await signIn(page, env.server.address, username);
    await page.waitForURL(new RegExp(`${path}$`));
    const nav = page.getByRole("navigation", { name: "工作台" });
    assert.deepEqual(await nav.getByRole("link").allInnerTexts(), links, username);
    assert.equal(await nav.getByRole("link", { name: links[0] }).getAttribute("aria-current"), "page");
    assert.deepEqual(problems, [], username);
    await context.close();
  }
});

test("a wrong password is refused on the sign-in screen", async () => {
  const { context, page } = await desktopPage(env.browser);
  await page.goto(`${env.server.address}/staff/`);
  await page.getByLabel("用户名").fill("dispatcher");
  await page.getByLabel("密码").fill("not-the-password");
  await page.getByRole("button", { name: "登录" }).click();
  await page.getByRole("alert").filter({ hasText: "用户名或密码不正确" }).waitFor();
  await context.close();
});

test("an ended session returns to sign-in with a message, and signing out everywhere ends the others", async () => {
  const { context, page, problems } = await desktopPage(env.browser);
  await signIn(page, env.server.address, "dispatcher");
  const token = await page.evaluate(() => sessionStorage.getItem("yousu.staff.session"));
  assert.ok(token, "the session lives in sessionStorage");

  // Elsewhere, the same account signs out everywhere: this tab's next call gets a 401.
  const elsewhere = await staffApi(env.server.address, "dispatcher");
  assert.equal((await elsewhere.post("/staff/logout-everywhere")).status, 204);
  await page.keyboard.press("r");
  await page.getByText("登录已过期或已在别处退出，请重新登录。").waitFor();
  await page.getByRole("button", { name: "登录" }).waitFor();
  assert.equal(await page.evaluate(() => sessionStorage.getItem("yousu.staff.session")), null);

  // Signing in again, then out everywhere from the workbench, ends another session too.
  await page.getByLabel("用户名").fill("dispatcher");
  await page.getByLabel("密码").fill("yousu-demo");
  await page.getByRole("button", { name: "登录" }).click();
  await page.getByRole("navigation", { name: "工作台" }).waitFor();
  const other = await staffApi(env.server.address, "dispatcher");
  await page.getByRole("button", { name: "退出所有设备" }).click();
  await page.getByText("您已在所有设备上退出登录。").waitFor();
  assert.equal((await other.get("/staff/me")).status, 401);
  assert.deepEqual(problems, []);
  await context.close();
});

test("the workbench switches to English and lists its shortcuts on ?", async () => {
  const { context, page, problems } = await desktopPage(env.browser);
  await signIn(page, env.server.address, "dispatcher");
  await page.getByRole("button", { name: "English" }).click();
  await page.getByRole("heading", { name: "Dispatch", level: 1 }).waitFor();
  assert.equal(await page.locator("html").getAttribute("lang"), "en");
  await page.getByRole("navigation", { name: "Workbench" }).getByRole("link", { name: "Joint review" }).waitFor();

  await page.keyboard.press("?");
  const help = page.getByRole("dialog", { name: "Keyboard shortcuts" });
  await help.waitFor();
  for (const does of ["Next case", "Open the selected case", "Dispatch to the chosen unit (dispatch)", "Claim (my unit)"]) {
    await help.getByRole("cell", { name: does }).waitFor();
  }
  await page.keyboard.press("Escape");
  await help.waitFor({ state: "detached" });
  await page.getByRole("button", { name: "中文" }).click();
  await page.getByRole("heading", { name: "派单", level: 1 }).waitFor();
  assert.deepEqual(problems, []);
  await context.close();
});
