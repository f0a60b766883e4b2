// Starts the real server (built by `cargo xtask test`) on a free port with a fresh SQLite
// database and the built app, and launches Debian's headless Chromium through playwright-core.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { after, before } from "node:test";
import { chromium } from "playwright-core";

const serverBin = process.env.YOUSU_SERVER_BIN ?? "../../target/debug/yousu-server";
const appDir = process.env.YOUSU_APP_DIR ?? "../../dist";

const CITY_OFFSET_MS = 8 * 3600 * 1000;

/**
 * The instant the server's clock starts from: now, moved by at most three hours so that the
 * city's midnight (and with it a new day or month) never falls within a test file's minutes.
 * Moved so little that a staff session (12 hours) stays good by the browser's own clock.
 */
export function clockStart(now = Date.now()) {
  const cityHour = new Date(now + CITY_OFFSET_MS).getUTCHours();
  const hours = cityHour >= 22 ? -3 : cityHour < 2 ? 3 : 0;
  return new Date(now + hours * 3600 * 1000).toISOString();
}

/** The server on a fresh database; resolves once it prints its address. */
export async function startServer() {
  const dir = mkdtempSync(join(tmpdir(), "yousu-browser-"));
  const child = spawn(
    serverBin,
    [
      "--listen", "127.0.0.1:0", "--demo", "--database", `sqlite:${join(dir, "yousu.db")}`,
      "--app", appDir, "--clock-start", clockStart(),
    ],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  let log = "";
  child.stderr.on("data", (chunk) => (log += chunk));
  const address = await new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout });
    lines.on("line", (line) => {
      const match = line.match(/serving at (http:\/\/\S+?)\/?$/);
      if (match) resolve(match[1]);
    });
    child.on("exit", (code) => reject(new Error(`server exited (${code}):\n${log}`)));
  });
  return {
    address,
    log: () => log,
    async stop() {
      child.kill("SIGTERM");
      await new Promise((resolve) => child.once("exit", resolve));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
  });
}

/** A phone-sized page whose console errors fail the test. */
export async function phonePage(
  browser, { width = 390, height = 844, timezoneId, serviceWorkers, bypassCSP } = {},
) {
  const context = await browser.newContext({
    // Only for tests that inject a checker (axe-core) as an inline script, which the app's
    // Content-Security-Policy refuses, as it should.
    bypassCSP,
    viewport: { width, height },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    locale: "zh-CN",
    timezoneId,
    serviceWorkers,
  });
  const page = await context.newPage();
  const problems = [];
  page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
  page.on("console", (message) => {
    if (message.type() !== "error") return;
    // Chromium logs every non-2xx answer; an API refusal the app handles is not a fault.
    const apiAnswer = message.text().startsWith("Failed to load resource") &&
      (message.location()?.url ?? "").includes("/api/v1/");
    if (!apiAnswer) problems.push(`console error: ${message.text()}`);
  });
  return { context, page, problems };
}

/**
 * Polls `fn` in the page until it returns something truthy (it may be async: playwright's
 * `waitForFunction` would take the promise itself for "true"); fails after `timeout` ms.
 */
export async function eventually(page, fn, arg, { timeout = 20000 } = {}) {
  const end = Date.now() + timeout;
  for (;;) {
    if (await page.evaluate(fn, arg)) return;
    if (Date.now() > end) throw new Error(`not true within ${timeout} ms: ${fn}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** The text that follows a term in a description list (`<dt>term</dt><dd>…</dd>`). */
export function definition(scope, term) {
  return scope.locator("dt", { hasText: term }).locator("xpath=following-sibling::dd[1]");
}

/** Moves on to the next step of submitting and waits until it is shown. */
export async function nextStep(page, number) {
  await page.getByRole("button", { name: "下一步" }).click();
  await page.getByText(`第 ${number} 步，共 5 步`).waitFor();
}

/** Chooses the district, subdistrict and community of the demo grid (step 3). */
export async function chooseNanguan(page) {
  await page.getByLabel("所在区县").selectOption({ label: "城中区" });
  await page.getByLabel("街道（乡镇）").selectOption({ label: "人民街街道" });
  await page.getByLabel("社区").selectOption({ label: "南关街社区" });
}

/**
 * Walks the submit steps with the smallest appeal a resident can send, from the submit screen
 * (step 1) to step 4 (who) with the phone filled in. `sendAppeal` then reviews and sends it.
 */
export async function fillMinimalAppeal(page, { description = "小区门口饭店油烟直排，晚上家里窗户都不能开" } = {}) {
  await page.getByText("第 1 步，共 5 步").waitFor();
  await page.getByRole("radio", { name: "环境保护" }).check();
  await nextStep(page, 2);
  await page.getByLabel("诉求内容").fill(description);
  await nextStep(page, 3);
  await chooseNanguan(page);
  await nextStep(page, 4);
  await page.getByLabel("联系电话").fill("13809711234");
}

/** From step 4: to the review, then send. */
export async function sendAppeal(page) {
  await nextStep(page, 5);
  await page.getByRole("button", { name: "提交诉求" }).click();
}

/** Submits the minimal appeal and waits for its receipt; returns the case number. */
export async function submitMinimalAppeal(page, address, options) {
  await page.goto(`${address}/submit`);
  await fillMinimalAppeal(page, options);
  await sendAppeal(page);
  await page.waitForURL(/\/cases\/\d{14}$/);
  return (await page.getByTestId("case-number").innerText()).trim();
}

/** Submits an appeal straight through the API (as another resident would). */
export async function submitThroughApi(address, body) {
  const response = await fetch(`${address}/api/v1/cases`, {
    method: "POST",
    headers: { "Content-Type": "application/json", "Idempotency-Key": `k-${Math.random().toString(16).slice(2)}-${Date.now()}` },
    body: JSON.stringify({
      category_id: "environment",
      description: "小区门口饭店油烟直排，晚上家里窗户都不能开",
      community_id: "chengzhong-renminjie-nanguanjie",
      contact_phone: "13909712222",
      ...body,
    }),
  });
  if (response.status !== 201) throw new Error(`submission: ${response.status} ${await response.text()}`);
  return response.json();
}

/** A staff member of the demo data, acting through the real API. */
export async function staff(address, username) {
  const login = await fetch(`${address}/api/v1/staff/login`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ username, password: "yousu-demo" }),
  });
  if (login.status !== 200) throw new Error(`${username} cannot sign in: ${login.status}`);
  const { token } = await login.json();
  return async (caseNumber, action, body = {}) => {
    const response = await fetch(`${address}/api/v1/staff/cases/${caseNumber}/${action}`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Authorization: `Bearer ${token}` },
      body: JSON.stringify(body),
    });
    if (response.status !== 200) {
      throw new Error(`${username} ${action}: ${response.status} ${await response.text()}`);
    }
    return response.json();
  };
}

/**
 * One server and one browser for a test file: started before its tests, stopped after. The
 * returned object's `server` and `browser` are set once `before` has run.
 */
export function serverAndBrowser() {
  const env = { server: null, browser: null };
  before(async () => {
    env.server = await startServer();
    env.browser = await launchBrowser();
  });
  after(async () => {
    await env.browser?.close();
    await env.server?.stop();
  });
  return env;
}
