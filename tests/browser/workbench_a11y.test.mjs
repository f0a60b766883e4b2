// Accessibility of the workbench at desktop size: an axe-core scan with zero violations of the
// sign-in screen (Chinese and English), of every screen every demo role's navigation offers (in
// Chinese and English, and again with a case open where the screen opens cases), the keyboard
// help, a refused sign-in, a refused screen, an unknown address and an intake under way.
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { test } from "node:test";
import { serverAndBrowser } from "./support.mjs";
import { desktopPage, signIn, staffApi, submitAppeal } from "./staff_support.mjs";

const env = serverAndBrowser();
const axePath = createRequire(import.meta.url).resolve("axe-core/axe.min.js");

const ROLES = ["operator", "dispatcher", "handler-ecology", "supervisor", "admin"];

/** Screens whose queue opens a case into a pane beside it. */
const QUEUES = new Set(["/staff/dispatch", "/staff/review", "/staff/handle"]);

async function violations(page) {
  if (!(await page.evaluate(() => "axe" in window))) await page.addScriptTag({ path: axePath });
  const result = await page.evaluate(() => axe.run(document, { resultTypes: ["violations"] }));
  return result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}

/** Waits until the screen has its heading and nothing says it is still loading. */
async function settled(page) {
  await page.locator("main h1").first().waitFor();
  await page.waitForFunction(() => !document.querySelector(".loading"));
  await page.waitForTimeout(300);
}

async function setLocale(page, locale) {
  await page.evaluate((l) => localStorage.setItem("yousu.staff.locale", l), locale === "en" ? "en" : "zh-CN");
}

/** Cases in every state a screen shows: to dispatch, in the unit's hands, returned, whistled. */
async function seedCases(address) {
  const dispatcher = await staffApi(address, "dispatcher");
  const supervisor = await staffApi(address, "supervisor");
  const handler = await staffApi(address, "handler-ecology");
  await submitAppeal(address);
  const inHand = (await submitAppeal(address)).case_number;
  const returned = (await submitAppeal(address)).case_number;
  for (const number of [inHand, returned]) {
    await dispatcher.act(number, "dispatch", { unit_id: "ecology" });
  }
  await handler.act(returned, "return-request", { note: "此处油烟来自居民家中，不属于餐饮油烟管理" });
  const made = (answer) => assert.ok([200, 201].includes(answer.status), JSON.stringify(answer.body));
  made(await supervisor.post(`/staff/cases/${inHand}/notices`, { note: "请三日内处置并回复" }));
  made(await dispatcher.post(`/staff/cases/${inHand}/whistle`, {
    subdistrict_id: "chengzhong-renminjie",
    unit_ids: ["ecology", "urban-management"],
    note: "油烟直排涉及占道经营，请生态环境、城管到场",
    limit_hours: 12,
  }));
}

test("the sign-in screen passes an axe-core scan in Chinese and English", async () => {
  const { context, page, problems } = await desktopPage(env.browser, { bypassCSP: true });
  await page.goto(`${env.server.address}/staff/`);
  await page.getByRole("button", { name: "登录" }).waitFor();
  assert.equal(await page.evaluate(() => document.documentElement.lang), "zh-CN");
  assert.deepEqual(await violations(page), [], "sign-in (zh)");
  await page.getByRole("button", { name: "English" }).click();
  await page.getByRole("button", { name: "Sign in" }).waitFor();
  assert.equal(await page.evaluate(() => document.documentElement.lang), "en");
  assert.deepEqual(await violations(page), [], "sign-in (en)");
  assert.deepEqual(problems, []);
  await context.close();
});

test("every screen of every role passes an axe-core scan in Chinese and English", async () => {
  await seedCases(env.server.address);
  const scanned = new Set();
  for (const username of ROLES) {
    const { context, page, problems } = await desktopPage(env.browser, { bypassCSP: true });
    await signIn(page, env.server.address, username);
    // Every screen the role's navigation offers.
    const paths = await page.getByRole("navigation", { name: "工作台" }).getByRole("link")
      .evaluateAll((links) => links.map((a) => new URL(a.href).pathname));
    assert.ok(paths.length > 0, username);
    for (const locale of ["zh", "en"]) {
      await setLocale(page, locale);
      for (const path of paths) {
        const where = `${username} ${path} (${locale})`;
        scanned.add(path);
        await page.goto(`${env.server.address}${path}`);
        await settled(page);
        assert.equal(await page.evaluate(() => document.documentElement.lang), locale === "en" ? "en" : "zh-CN", where);
        assert.deepEqual(await violations(page), [], where);
        if (QUEUES.has(path)) {
          const open = page.locator("main table tbody tr button").first();
          await open.waitFor();
          await open.click();
          await page.locator("#pane-title").filter({ hasText: /\d{6,}/ }).waitFor();
          await page.waitForTimeout(300);
          assert.deepEqual(await violations(page), [], `${where}, a case open`);
        }
      }
    }
    assert.deepEqual(problems, [], username);
    await context.close();
  }
  assert.equal(scanned.size, 13, `all thirteen screens: ${[...scanned]}`);
});

test("the keyboard help passes an axe-core scan", async () => {
  const { context, page, problems } = await desktopPage(env.browser, { bypassCSP: true });
  await signIn(page, env.server.address, "dispatcher");
  await settled(page);
  await page.keyboard.press("?");
  await page.getByRole("dialog").waitFor();
  assert.deepEqual(await violations(page), [], "keyboard help");
  assert.deepEqual(problems, []);
  await context.close();
});

test("a refused sign-in, a refused screen, an unknown address and a live intake pass an axe-core scan", async () => {
  const { context, page, problems } = await desktopPage(env.browser, { bypassCSP: true });
  await page.goto(`${env.server.address}/staff/`);
  await page.getByLabel("用户名").fill("dispatcher");
  await page.getByLabel("密码").fill("not-the-password");
  await page.getByRole("button", { name: "登录" }).click();
  await page.getByRole("alert").waitFor();
  assert.deepEqual(await violations(page), [], "sign-in, refused");

  await signIn(page, env.server.address, "operator");
  await page.goto(`${env.server.address}/staff/dispatch`);
  await settled(page);
  assert.deepEqual(await violations(page), [], "a screen the role may not open");
  await page.goto(`${env.server.address}/staff/nowhere`);
  await settled(page);
  assert.deepEqual(await violations(page), [], "an unknown address");

  await page.goto(`${env.server.address}/staff/intake`);
  await settled(page);
  await page.getByLabel("诉求内容（来电人原话）").fill("小区门口饭店油烟直排，楼道里着火冒烟了");
  await page.locator(".emergency").waitFor();
  await page.waitForTimeout(1500);
  assert.deepEqual(await violations(page), [], "intake with suggestions and an emergency warning");
  assert.deepEqual(problems, []);
  await context.close();
});
