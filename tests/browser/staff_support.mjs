// What the workbench's browser tests share: a desktop-sized page, signing in through the
// sign-in screen, a staff member acting through the real API, and a resident's submission.
// The server and browser come from support.mjs (one of each per test file).
import { randomUUID } from "node:crypto";

export const PASSWORD = "yousu-demo";
export const NANGUANJIE = "chengzhong-renminjie-nanguanjie";

/** A desktop page (1280x800 unless told) whose console errors fail the test. */
export async function desktopPage(browser, { width = 1280, height = 800, locale = "zh-CN", bypassCSP } = {}) {
  // `bypassCSP` only for tests that inject axe-core as an inline script, which the workbench's
  // Content-Security-Policy refuses, as it should.
  const context = await browser.newContext({ viewport: { width, height }, locale, acceptDownloads: true, bypassCSP });
  const page = await context.newPage();
  const problems = [];
  page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
  page.on("console", (message) => {
    if (message.type() !== "error") return;
    // Chromium logs every non-2xx answer; an API refusal the workbench handles is not a fault.
    const apiAnswer = message.text().startsWith("Failed to load resource") &&
      (message.location()?.url ?? "").includes("/api/v1/");
    if (!apiAnswer) problems.push(`console error: ${message.text()}`);
  });
  return { context, page, problems };
}

/** Signs in through the workbench's own sign-in screen and waits for the role's navigation. */
export async function signIn(page, address, username, path = "/staff/") {
  await page.goto(`${address}${path}`);
  await page.getByLabel("用户名").fill(username);
  await page.getByLabel("密码").fill(PASSWORD);
  await page.getByRole("button", { name: "登录" }).click();
  await page.getByRole("navigation", { name: "工作台" }).waitFor();
}

/** A staff member acting through the real API. */
export async function staffApi(address, username) {
  const login = await fetch(`${address}/api/v1/staff/login`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ username, password: PASSWORD }),
  });
  if (login.status !== 200) throw new Error(`${username} cannot sign in: ${login.status}`);
  const { token } = await login.json();
  const call = async (method, path, body) => {
    const response = await fetch(`${address}/api/v1${path}`, {
      method,
      headers: {
        Authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { "Content-Type": "application/json" }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : null };
  };
  return {
    token,
    get: (path) => call("GET", path),
    post: (path, body = {}) => call("POST", path, body),
    /** A case move that must succeed. */
    async act(caseNumber, action, body = {}) {
      const answer = await call("POST", `/staff/cases/${caseNumber}/${action}`, body);
      if (answer.status !== 200) {
        throw new Error(`${username} ${action} ${caseNumber}: ${answer.status} ${JSON.stringify(answer.body)}`);
      }
      return answer.body;
    },
  };
}

/** A resident's appeal through the JSON API; returns the receipt (case, lookup code, token). */
export async function submitAppeal(address, draft = {}) {
  const response = await fetch(`${address}/api/v1/cases`, {
    method: "POST",
    headers: { "Content-Type": "application/json", "Idempotency-Key": randomUUID() },
    body: JSON.stringify({
      category_id: "environment",
      description: "小区门口饭店油烟直排，晚上家里窗户都不能开",
      community_id: NANGUANJIE,
      contact_name: "张三",
      contact_phone: "13809711234",
      ...draft,
    }),
  });
  if (response.status !== 201) throw new Error(`submission: ${response.status} ${await response.text()}`);
  return response.json();
}

/** The platform accepts new appeals by itself; wait until this one is accepted. */
export async function waitForStatus(api, caseNumber, wanted, timeoutMs = 10_000) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const { body } = await api.get(`/staff/cases/${caseNumber}`);
    if (body?.status === wanted) return body;
    if (Date.now() > until) throw new Error(`${caseNumber} is ${body?.status}, not ${wanted}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** Takes the focus out of any field, so the next keys are shortcuts rather than typing. */
export async function leaveFields(page) {
  await page.evaluate(() => document.activeElement?.blur());
}
