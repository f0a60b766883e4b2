// Starts the real server (built by `cargo xtask test`) on a free port with a fresh SQLite
// database and the built app, and launches Debian's headless Chromium through playwright-core.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
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
    if (message.type() === "error") problems.push(`console error: ${message.text()}`);
  });
  return { context, page, problems };
}

/** The text that follows a term in a description list (`<dt>term</dt><dd>…</dd>`). */
export function definition(scope, term) {
  return scope.locator("dt", { hasText: term }).locator("xpath=following-sibling::dd[1]");
}
