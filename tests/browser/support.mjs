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

/** The server on a fresh database; resolves once it prints its address. */
export async function startServer() {
  const dir = mkdtempSync(join(tmpdir(), "yousu-browser-"));
  const child = spawn(
    serverBin,
    ["--listen", "127.0.0.1:0", "--demo", "--database", `sqlite:${join(dir, "yousu.db")}`, "--app", appDir],
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
export async function phonePage(browser, { width = 390, height = 844, timezoneId } = {}) {
  const context = await browser.newContext({
    viewport: { width, height },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    locale: "zh-CN",
    timezoneId,
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

/** The text that follows a term in a description list (`<dt>term</dt><dd>…</dd>`). */
export function definition(scope, term) {
  return scope.locator("dt", { hasText: term }).locator("xpath=following-sibling::dd[1]");
}

/** Fills the submit form with the smallest appeal a resident can send. */
export async function fillMinimalAppeal(page) {
  await page.getByLabel("诉求类别").selectOption({ label: "环境保护" });
  await page.getByLabel("诉求内容").fill("小区门口饭店油烟直排，晚上家里窗户都不能开");
  await page.getByLabel("所在区县").selectOption({ label: "城中区" });
  await page.getByLabel("街道（乡镇）").selectOption({ label: "人民街街道" });
  await page.getByLabel("社区").selectOption({ label: "南关街社区" });
  await page.getByLabel("联系电话").fill("13809711234");
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
