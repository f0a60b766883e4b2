// After one visit the app opens with no network at all (its service worker keeps the shell, the
// hashed files and the screens loaded on demand), and "my cases" shows the phone's copy.
import assert from "node:assert/strict";
import { test } from "node:test";
import { eventually, phonePage, serverAndBrowser, startServer, submitMinimalAppeal } from "./support.mjs";

const env = serverAndBrowser();

/** Resolves once the service worker controls the page and keeps each of `files`. */
async function keptOnPhone(page, files) {
  await eventually(page, async (files) => {
    const registration = await navigator.serviceWorker.ready;
    if (!registration.active || navigator.serviceWorker.controller === null) return false;
    const cache = await caches.open("yousu-shell-v1");
    const kept = (await cache.keys()).map((r) => new URL(r.url).pathname);
    return kept.includes("/") && files.every((f) => kept.includes(f));
  }, files);
}

/** Every file the page names that the service worker is meant to keep, the screens it lists as
 * loaded on demand with them. */
function namedFiles(page) {
  return page.evaluate(() => {
    const named = [...document.querySelectorAll("link[href], script[src]")].map((e) => e.href || e.src);
    const onDemand = document.querySelector("meta[name=yousu-on-demand]")?.content.split(/\s+/) ?? [];
    return [...named, ...onDemand]
      .map((url) => new URL(url, location.href).pathname)
      .filter((p) => /\.(js|wasm|css)$/.test(p));
  });
}

test("the app and my cases open offline after one visit", async () => {
  const { context, page, problems } = await phonePage(env.browser);
  const caseNumber = await submitMinimalAppeal(page, env.server.address);
  await keptOnPhone(page, await namedFiles(page));

  await context.setOffline(true);
  await page.reload();
  await page.getByRole("heading", { name: /诉求/ }).first().waitFor();
  await page.goto(`${env.server.address}/cases`);
  await page.getByRole("heading", { name: "我的诉求" }).waitFor();
  const item = page.getByRole("listitem").filter({ hasText: caseNumber });
  await item.waitFor();
  assert.match(await item.innerText(), /已受理/);
  // A screen never visited before opens too: every address is the same shell.
  await page.goto(`${env.server.address}/lookup`);
  await page.getByRole("heading", { name: "查询诉求" }).waitFor();
  await context.setOffline(false);
  assert.deepEqual(problems.filter((p) => !p.includes("ERR_INTERNET_DISCONNECTED")), []);
  await context.close();
});

// The submit form and the public figures are wasm modules of their own, fetched after the first
// screen (issue 5). The phone keeps them with the rest of the app: with the browser's own cache
// emptied, as a phone short of space does, and the server gone (network emulation does not reach
// the service worker's own fetches), they still open.
test("the screens loaded on demand open with no server from the phone's copy of the app", async () => {
  const server = await startServer();
  const { context, page, problems } = await phonePage(env.browser);
  await page.goto(server.address);
  await page.getByRole("link", { name: /我要反映/ }).waitFor();
  const files = await namedFiles(page);
  assert.ok(files.some((p) => /submit_screen-\w+\.wasm$/.test(p)), `named: ${files}`);
  await keptOnPhone(page, files);

  const cdp = await context.newCDPSession(page);
  await cdp.send("Network.clearBrowserCache");
  await server.stop();
  await page.goto(`${server.address}/submit`);
  await page.getByRole("heading", { name: "反映诉求" }).waitFor();
  await page.goto(`${server.address}/figures`);
  await page.getByRole("heading", { name: "本月公开数据" }).waitFor();
  assert.deepEqual(
    problems.filter((p) => !/ERR_CONNECTION_REFUSED|Failed to fetch/.test(p)),
    [],
  );
  await context.close();
});

test("a screen whose code cannot be fetched says so and opens on retry", async () => {
  // Neither the network nor a kept copy (no service worker): the submit form's module fails to
  // arrive.
  const { context, page, problems } = await phonePage(env.browser, { serviceWorkers: "block" });
  const blocked = /submit_screen-[0-9a-f]+\.wasm$/;
  await context.route(blocked, (route) => route.abort());
  await page.goto(env.server.address);
  await page.getByRole("link", { name: /我要反映/ }).click();
  const alert = page.getByRole("alert").filter({ hasText: "加载失败" });
  await alert.waitFor();
  assert.equal(await page.getByRole("heading", { name: "反映诉求" }).count(), 0);

  await context.unroute(blocked);
  await page.getByRole("button", { name: "重试" }).click();
  await page.getByRole("heading", { name: "反映诉求" }).waitFor();
  await page.getByText("第 1 步，共 5 步").waitFor();
  assert.equal(await alert.count(), 0);
  assert.deepEqual(
    problems.filter((p) => !/Failed to fetch|ERR_FAILED|submit_screen/.test(p)),
    [],
  );
  await context.close();
});
