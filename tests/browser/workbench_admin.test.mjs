// Administration in the workbench, against the real server: an administrator adds, edits and
// retires units and dispatch items, imports items from CSV (a bad file names each bad field by
// line and imports nothing), creates a staff account who then signs in and is cut off when
// disabled, and changes the time tiers and calendar for cases accepted afterwards. Field errors
// show under their fields, from the browser's own checks and from the API. A dispatcher is
// offered none of it and cannot open it. axe-core finds no violation on any admin screen.
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { test } from "node:test";
import { serverAndBrowser } from "./support.mjs";
import { desktopPage, signIn, staffApi, submitAppeal } from "./staff_support.mjs";

const env = serverAndBrowser();
const axePath = createRequire(import.meta.url).resolve("axe-core/axe.min.js");

const ADMIN_SCREENS = [
  "/staff/admin/units",
  "/staff/admin/items",
  "/staff/admin/staff",
  "/staff/admin/clock-rules",
  "/staff/admin/api-keys",
];

async function violations(page) {
  if (!(await page.evaluate(() => "axe" in window))) await page.addScriptTag({ path: axePath });
  const result = await page.evaluate(() => axe.run(document, { resultTypes: ["violations"] }));
  return result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}

async function open(page, path) {
  await page.goto(`${env.server.address}${path}`);
  await page.locator("main h1").first().waitFor();
  await page.waitForTimeout(300);
}

const status = (page) => page.getByRole("status");

test("an administrator adds, edits and retires a unit and an item, by mouse and by keyboard", async () => {
  const { context, page, problems } = await desktopPage(env.browser);
  await signIn(page, env.server.address, "admin");
  const nav = page.getByRole("navigation", { name: "工作台" });
  await nav.getByRole("link", { name: "管理 · 责任单位" }).click();
  await page.getByRole("heading", { name: "责任单位", level: 1 }).waitFor();
  await page.getByRole("cell", { name: "市生态环境局", exact: true }).waitFor();

  // The browser's own checks: every field says what is wrong, under itself.
  await page.getByRole("button", { name: "保存" }).click();
  await assert.doesNotReject(page.locator("#unit-unit_id-error").filter({ hasText: "编号用2到64个" }).waitFor());
  assert.equal(await page.getByLabel("单位编号").getAttribute("aria-invalid"), "true");
  assert.match(await page.locator("#unit-name_zh-error").textContent(), /请填写名称/);
  assert.match(await page.locator("#unit-level-error").textContent(), /请选择单位层级/);
  assert.match(await status(page).textContent(), /请先改正标出的栏目/);

  await page.getByLabel("单位编号").fill("water");
  await page.getByLabel("中文名称").fill("市供水中心");
  await page.getByLabel("英文名称").fill("Water Bureau");
  await page.getByLabel("层级").selectOption({ label: "市级部门" });
  await page.getByRole("button", { name: "保存" }).click();
  await status(page).filter({ hasText: "已保存" }).waitFor();
  await page.getByRole("cell", { name: "市供水中心", exact: true }).waitFor();
  assert.equal(await page.getByLabel("单位编号").getAttribute("aria-invalid"), null, "errors cleared");

  // The API's own answer, shown the same way: the id is taken.
  await page.getByLabel("单位编号").fill("water");
  await page.getByLabel("中文名称").fill("另一个水务局");
  await page.getByLabel("英文名称").fill("Another");
  await page.getByLabel("层级").selectOption({ label: "市级部门" });
  await page.getByRole("button", { name: "保存" }).click();
  await page.locator("#unit-unit_id-error").filter({ hasText: "已有单位使用这个编号" }).waitFor();
  await page.getByRole("button", { name: "取消" }).click();

  // By keyboard: the row's edit button, the name (focused for us), Enter to save.
  await page.getByRole("button", { name: "编辑 市供水中心" }).focus();
  await page.keyboard.press("Enter");
  await page.getByRole("heading", { name: "编辑单位 water" }).waitFor();
  await page.waitForFunction(() => document.activeElement?.id === "unit-name_zh");
  await page.keyboard.press("Control+A");
  await page.keyboard.type("市供水中心（河长办）");
  await page.keyboard.press("Enter");
  await status(page).filter({ hasText: "已保存" }).waitFor();
  await page.getByRole("cell", { name: "市供水中心（河长办）", exact: true }).waitFor();

  // An item on the new unit; then both retired, the item first.
  await nav.getByRole("link", { name: "管理 · 派单事项" }).click();
  await page.getByRole("heading", { name: "派单事项", level: 1 }).waitFor();
  await page.getByLabel("事项编号").fill("water-pipe-burst");
  await page.getByLabel("诉求类别").selectOption({ label: "环境保护" });
  await page.getByLabel("中文名称").fill("供水管道爆裂");
  await page.getByLabel("英文名称").fill("Burst water main");
  await page.getByLabel("责任单位").selectOption({ label: "市供水中心（河长办）" });
  await page.getByLabel("时限档位").selectOption("urgent");
  await page.getByRole("button", { name: "保存" }).click();
  await status(page).filter({ hasText: "已保存" }).waitFor();
  const row = page.getByRole("row").filter({ hasText: "water-pipe-burst" });
  await row.waitFor();
  page.once("dialog", (dialog) => dialog.accept());
  await row.getByRole("button", { name: "停用 供水管道爆裂" }).click();
  await status(page).filter({ hasText: "已停用 供水管道爆裂" }).waitFor();
  await row.getByRole("cell", { name: "已停用" }).waitFor();

  const catalog = await (await fetch(`${env.server.address}/api/v1/catalog`)).json();
  assert.ok(!JSON.stringify(catalog).includes("water-pipe-burst"), "no longer offered to residents");
  assert.deepEqual(problems, []);
  await context.close();
});

test("a CSV import with a bad row imports nothing and names each bad field by line", async () => {
  const { context, page, problems } = await desktopPage(env.browser, { bypassCSP: true });
  await signIn(page, env.server.address, "admin", "/staff/admin/items");
  await page.getByRole("heading", { name: "派单事项", level: 1 }).waitFor();
  const header = "catalog_item_id,category_id,name_zh,name_en,unit_id,tier\n";
  const bad = `${header}csv-one,environment,导入一,Import one,ecology,general\n` +
    "csv-two,environment,导入二,Import two,no-such-unit,someday\n";
  await page.getByLabel("CSV 文件").setInputFiles({ name: "items.csv", mimeType: "text/csv", buffer: Buffer.from(bad) });
  await page.getByRole("button", { name: "导入" }).click();
  const alert = page.getByRole("alert").filter({ hasText: "文件未导入" });
  await alert.waitFor();
  assert.match(await alert.textContent(), /第 3 行 · unit_id/);
  assert.match(await alert.textContent(), /第 3 行 · tier/);
  assert.doesNotMatch(await alert.textContent(), /第 2 行/);
  assert.deepEqual(await violations(page), [], "import errors shown");
  const admin = await staffApi(env.server.address, "admin");
  const before = await admin.get("/admin/items");
  assert.ok(!JSON.stringify(before.body).includes("csv-one"), "nothing imported");

  const good = `\uFEFF${header}csv-one,environment,导入一,Import one,ecology,general\n` +
    "csv-two,environment,\"导入二，带逗号\",Import two,urban-management,complex\n";
  await page.getByLabel("CSV 文件").setInputFiles({ name: "items.csv", mimeType: "text/csv", buffer: Buffer.from(good) });
  await page.getByRole("button", { name: "导入" }).click();
  await status(page).filter({ hasText: "已导入：新增 2 条，更新 0 条" }).waitFor();
  await page.getByRole("cell", { name: "导入二，带逗号 Import two", exact: true }).waitFor();
  assert.equal(await page.getByRole("alert").filter({ hasText: "文件未导入" }).count(), 0);
  assert.deepEqual(problems, []);
  await context.close();
});

test("an administrator creates an account who signs in, and disabling it ends their session", async () => {
  const { context, page, problems } = await desktopPage(env.browser);
  await signIn(page, env.server.address, "admin", "/staff/admin/staff");
  await page.getByRole("heading", { name: "工作人员与角色", level: 1 }).waitFor();
  await page.getByRole("cell", { name: "dispatcher", exact: true }).waitFor();
  await page.getByLabel("用户名").fill("li.ming");
  await page.getByLabel("姓名").fill("李明");
  await page.getByLabel("角色").selectOption({ label: "承办单位" });
  await page.getByLabel("初始密码（至少10个字符）").fill("short");
  await page.getByRole("button", { name: "保存" }).click();
  await page.locator("#staff-unit_id-error").filter({ hasText: "承办人员须属于一个责任单位" }).waitFor();
  assert.match(await page.locator("#staff-password-error").textContent(), /10到128/);
  await page.getByLabel("责任单位").selectOption({ label: "市生态环境局" });
  await page.getByLabel("初始密码（至少10个字符）").fill("a long first password");
  await page.getByRole("button", { name: "保存" }).click();
  await status(page).filter({ hasText: "已保存" }).waitFor();
  await page.getByRole("cell", { name: "li.ming", exact: true }).waitFor();

  const li = await desktopPage(env.browser);
  await li.page.goto(`${env.server.address}/staff/`);
  await li.page.getByLabel("用户名").fill("li.ming");
  await li.page.getByLabel("密码").fill("a long first password");
  await li.page.getByRole("button", { name: "登录" }).click();
  await li.page.getByRole("heading", { name: /本单位/ }).first().waitFor();

  page.once("dialog", (dialog) => dialog.accept());
  await page.getByRole("button", { name: "停用账号 li.ming" }).click();
  await status(page).filter({ hasText: "已停用账号 li.ming" }).waitFor();
  await page.getByRole("button", { name: "启用账号 li.ming" }).waitFor();

  await li.page.reload();
  await li.page.getByRole("button", { name: "登录" }).waitFor();
  await li.context.close();
  assert.deepEqual(problems, []);
  await context.close();
});

test("time tiers and the calendar change for cases accepted afterwards, with field errors", async () => {
  const { context, page, problems } = await desktopPage(env.browser, { bypassCSP: true });
  await signIn(page, env.server.address, "admin", "/staff/admin/clock-rules");
  await page.getByRole("heading", { name: "办理时限与节假日", level: 1 }).waitFor();
  await page.getByText("修改只对保存之后受理的工单生效").waitFor();
  const general = page.getByLabel("一般 · 天数");
  await assert.doesNotReject(page.waitForFunction(() => document.getElementById("rules-general-days")?.value === "7"));
  await general.fill("0");
  await page.getByLabel("节假日与调休日历").fill("2026-10-01 holiday\n2026-10-32 holiday\n");
  await page.getByRole("button", { name: "保存" }).click();
  await page.locator("#rules-general-days-error").filter({ hasText: "天数应为1到365" }).waitFor();
  assert.match(await page.locator("#rules-calendar-error").textContent(), /line 2/);
  assert.equal(await general.getAttribute("aria-invalid"), "true");
  assert.deepEqual(await violations(page), [], "rules with field errors");

  const before = await submitAppeal(env.server.address);
  await general.fill("3");
  await page.getByLabel("一般 · 计算方式").selectOption({ label: "自然日" });
  await page.getByLabel("节假日与调休日历").fill("# 国庆\n2026-10-01 holiday\n2026-09-27 workday\n");
  await page.getByRole("button", { name: "保存" }).click();
  await status(page).filter({ hasText: "新规则适用于此后受理的工单" }).waitFor();
  await page.getByText(/修改人：admin/).waitFor();

  const after = await submitAppeal(env.server.address);
  const days = (receipt) => (Date.parse(receipt.deadline_at) - Date.parse(receipt.accepted_at)) / 86_400_000;
  assert.equal(days(after), 3, "a case accepted after the change");
  const admin = await staffApi(env.server.address, "admin");
  const earlier = await admin.get(`/staff/cases/${before.case_number}`);
  assert.equal(days(earlier.body), 7, "a case accepted before keeps its deadline");
  assert.deepEqual(problems, []);
  await context.close();
});

test("a dispatcher is offered no administration and cannot open it", async () => {
  const { context, page, problems } = await desktopPage(env.browser);
  await signIn(page, env.server.address, "dispatcher");
  const links = await page.getByRole("navigation", { name: "工作台" }).getByRole("link").allTextContents();
  assert.ok(links.length > 0);
  assert.ok(links.every((text) => !text.includes("管理")), `dispatcher's navigation: ${links}`);
  for (const path of ADMIN_SCREENS) {
    await open(page, path);
    await page.getByRole("heading", { name: "无权访问" }).waitFor();
    assert.equal(await page.locator("main table").count(), 0, path);
  }
  const dispatcher = await staffApi(env.server.address, "dispatcher");
  for (const path of ["/admin/units", "/admin/items", "/admin/staff", "/admin/clock-rules"]) {
    assert.equal((await dispatcher.get(path)).status, 403, path);
  }
  assert.equal((await dispatcher.post("/admin/units", { unit_id: "x1", name_zh: "甲", name_en: "A", level: "city" })).status, 403);
  assert.deepEqual(problems, []);
  await context.close();
});

test("every administration screen passes an axe-core scan in Chinese and English, errors showing", async () => {
  const { context, page, problems } = await desktopPage(env.browser, { bypassCSP: true });
  await signIn(page, env.server.address, "admin");
  for (const locale of ["zh-CN", "en"]) {
    await page.evaluate((l) => localStorage.setItem("yousu.staff.locale", l), locale);
    for (const path of ADMIN_SCREENS) {
      await open(page, path);
      await page.locator("main table tbody tr").first().waitFor();
      assert.deepEqual(await violations(page), [], `${path} (${locale})`);
      const form = page.locator("main form.admin-form").first();
      await form.locator("button[type=submit]").click();
      await page.waitForTimeout(400);
      assert.deepEqual(await violations(page), [], `${path} (${locale}) after an empty save`);
    }
  }
  // Usable on a tablet: nothing wider than the screen at 1024 px.
  await page.setViewportSize({ width: 1024, height: 768 });
  for (const path of ADMIN_SCREENS) {
    await open(page, path);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `${path} fits 1024 px (overflow ${overflow})`);
  }
  assert.deepEqual(problems, []);
  await context.close();
});
