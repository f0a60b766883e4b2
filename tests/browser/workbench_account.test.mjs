// A staff member changes their own password in the workbench, against the real server: the
// shared rule's field errors show under their fields before anything is sent, a wrong current
// password is named by the server, and after the change the old password no longer signs in,
// the new one does, and the account's other sessions have ended. axe-core finds no violation.
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { test } from "node:test";
import { serverAndBrowser } from "./support.mjs";
import { PASSWORD, desktopPage, signIn, staffApi } from "./staff_support.mjs";

const env = serverAndBrowser();
const axePath = createRequire(import.meta.url).resolve("axe-core/axe.min.js");

async function signsIn(address, username, password) {
  const response = await fetch(`${address}/api/v1/staff/login`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ username, password }),
  });
  return response.status;
}

test("a staff member changes their own password and their other sessions end", async () => {
  const elsewhere = await staffApi(env.server.address, "operator");
  // axe-core is injected as an inline script, which the workbench's CSP refuses.
  const { context, page, problems } = await desktopPage(env.browser, { bypassCSP: true });
  await signIn(page, env.server.address, "operator");
  await page.getByRole("link", { name: "修改密码" }).click();
  await page.getByRole("heading", { name: "修改我的密码" }).waitFor();

  await page.getByLabel("当前密码").fill(PASSWORD);
  await page.getByLabel("新密码", { exact: true }).fill("short");
  await page.getByLabel("再次输入新密码").fill("shorter");
  await page.getByRole("button", { name: "修改密码" }).click();
  await page.getByText("密码需10到128个字符", { exact: true }).waitFor();
  await page.getByText("两次输入的新密码不一致", { exact: true }).waitFor();
  assert.equal(await page.getByLabel("新密码", { exact: true }).getAttribute("aria-invalid"), "true");

  await page.getByLabel("当前密码").fill("not my password");
  await page.getByLabel("新密码", { exact: true }).fill("operator's new password");
  await page.getByLabel("再次输入新密码").fill("operator's new password");
  await page.getByRole("button", { name: "修改密码" }).click();
  await page.getByText("当前密码不正确", { exact: true }).waitFor();
  assert.equal((await elsewhere.get("/staff/me")).status, 200, "nothing changed yet");

  await page.getByLabel("当前密码").fill(PASSWORD);
  await page.getByRole("button", { name: "修改密码" }).click();
  await page.getByText("密码已修改，其他设备上的登录已退出。").waitFor();
  assert.equal(await page.getByLabel("当前密码").inputValue(), "", "the fields are emptied");

  if (!(await page.evaluate(() => "axe" in window))) await page.addScriptTag({ path: axePath });
  const result = await page.evaluate(() => axe.run(document, { resultTypes: ["violations"] }));
  assert.deepEqual(result.violations.map((v) => v.id), []);

  assert.equal((await elsewhere.get("/staff/me")).status, 401, "the other session ended");
  assert.equal(await signsIn(env.server.address, "operator", PASSWORD), 401);
  assert.equal(await signsIn(env.server.address, "operator", "operator's new password"), 200);
  // This session goes on: the workbench still works.
  await page.getByRole("navigation", { name: "工作台" }).getByRole("link").first().click();
  await page.getByRole("navigation", { name: "工作台" }).waitFor();
  // Whatever the screen asked the server has been answered.
  await page.waitForLoadState("networkidle");
  assert.equal(await page.getByRole("button", { name: "登录", exact: true }).count(), 0, "not sent to sign in");
  assert.deepEqual(problems, []);
  await context.close();
});
