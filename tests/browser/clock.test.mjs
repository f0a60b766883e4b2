// The countdown follows the platform's clock, not the phone's: with the phone three days fast and
// in another time zone, the deadline and the time left still read right.
import assert from "node:assert/strict";
import { test } from "node:test";
import { fillMinimalAppeal, sendAppeal, phonePage, serverAndBrowser } from "./support.mjs";

const env = serverAndBrowser();

/** The locator's text once it matches (the page may render once before the platform answers). */
async function textMatching(locator, pattern) {
  let text = "";
  for (let i = 0; i < 50; i++) {
    text = await locator.innerText();
    if (pattern.test(text)) return text;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  assert.fail(`${JSON.stringify(text)} never matched ${pattern}`);
}

test("a phone clock three days fast does not change the countdown", async () => {
  const { context, page, problems } = await phonePage(env.browser, { timezoneId: "Europe/London" });
  await page.clock.install({ time: new Date(Date.now() + 3 * 24 * 3600 * 1000) });
  await page.goto(`${env.server.address}/submit`);
  await fillMinimalAppeal(page);
  await sendAppeal(page);
  await page.waitForURL(/\/cases\/\d{14}$/);
  const countdown = page.locator("dt", { hasText: "剩余时间" }).locator("xpath=following-sibling::dd[1]");
  await countdown.waitFor();
  // Seven days from acceptance, by the platform's clock: not four.
  await textMatching(countdown, /还剩 (6 天 23 小时|7 天 0 小时)/);
  await page.goto(`${env.server.address}/cases`);
  const item = page.getByRole("listitem").filter({ hasText: "已受理" });
  await item.waitFor();
  await textMatching(item, /还剩 (6 天 23 小时|7 天 0 小时)/);
  assert.deepEqual(problems, []);
  await context.close();
});
