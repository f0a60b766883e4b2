// After one visit the app opens with no network at all (its service worker keeps the shell and
// the hashed files), and "my cases" shows the phone's copy.
import assert from "node:assert/strict";
import { test } from "node:test";
import { phonePage, serverAndBrowser, submitMinimalAppeal } from "./support.mjs";

const env = serverAndBrowser();

test("the app and my cases open offline after one visit", async () => {
  const { context, page, problems } = await phonePage(env.browser);
  const caseNumber = await submitMinimalAppeal(page, env.server.address);
  // The service worker has taken the page and kept the shell.
  await page.waitForFunction(async () => {
    const registration = await navigator.serviceWorker.ready;
    return registration.active && navigator.serviceWorker.controller !== null;
  }, null, { timeout: 20000 });
  await page.waitForFunction(async () => {
    const cache = await caches.open("yousu-shell-v1");
    const kept = (await cache.keys()).map((r) => new URL(r.url).pathname);
    return kept.includes("/") && kept.some((p) => p.endsWith(".wasm"));
  });

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
