// Elder mode measured from computed styles, remembered across reloads; and no sideways scrolling
// at 320 px in either mode.
import assert from "node:assert/strict";
import { test } from "node:test";
import { phonePage, serverAndBrowser } from "./support.mjs";

const env = serverAndBrowser();

const px = (value) => Number.parseFloat(value);

test("elder mode enlarges text and targets, and is remembered", async () => {
  const { context, page, problems } = await phonePage(env.browser);
  await page.goto(`${env.server.address}/submit/details`);
  await page.getByLabel("诉求内容").waitFor();
  const switcher = page.getByRole("button", { name: "长辈版" });
  assert.equal(await switcher.getAttribute("aria-pressed"), "false");
  await switcher.click();
  assert.equal(await switcher.getAttribute("aria-pressed"), "true");
  await page.reload();
  await page.getByLabel("诉求内容").waitFor();
  assert.equal(await page.evaluate(() => document.documentElement.classList.contains("elder")), true);

  const sizes = await page.evaluate(() => {
    const style = (el) => getComputedStyle(el);
    const body = style(document.body);
    const h1 = style(document.querySelector("h1"));
    const targets = [...document.querySelectorAll("button, input, select, textarea, a.button")]
      .filter((el) => el.offsetParent !== null)
      // A checkbox or radio is tapped through its whole label.
      .map((el) => (el.type === "checkbox" || el.type === "radio" ? el.closest("label") ?? el : el))
      .map((el) => ({ what: el.id || el.textContent.trim(), height: el.getBoundingClientRect().height }));
    const smallest = Math.min(
      ...[...document.querySelectorAll("main *")]
        .filter((el) => el.offsetParent !== null && el.childNodes.length && [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim()))
        .map((el) => Number.parseFloat(style(el).fontSize)),
    );
    return { body: body.fontSize, lineHeight: body.lineHeight, h1: h1.fontSize, targets, smallest };
  });
  assert.ok(px(sizes.body) >= 24, `body text ${sizes.body}`);
  assert.ok(px(sizes.smallest) >= 24, `smallest text ${sizes.smallest}`);
  assert.ok(px(sizes.h1) >= 30, `largest text ${sizes.h1}`);
  assert.ok(px(sizes.lineHeight) / px(sizes.body) >= 1.5, `line height ${sizes.lineHeight}`);
  for (const target of sizes.targets) {
    assert.ok(target.height >= 60, `${target.what} is ${target.height}px tall`);
  }
  assert.deepEqual(problems, []);
  await context.close();
});

test("nothing scrolls sideways at 320 px, in normal and elder mode", async () => {
  const { context, page, problems } = await phonePage(env.browser, { width: 320, height: 568 });
  for (const elder of [false, true]) {
    await page.goto(env.server.address);
    // The app up before the next address: leaving a page while its wasm still loads is not what
    // this test is about.
    await page.getByRole("heading").first().waitFor();
    await page.evaluate((on) => localStorage.setItem("yousu.elder_mode", JSON.stringify(on)), elder);
    for (const path of ["/", "/submit", "/submit/details", "/submit/where", "/submit/who", "/submit/review", "/cases", "/lookup", "/figures"]) {
      await page.goto(`${env.server.address}${path}`);
      await page.getByRole("heading").first().waitFor();
      const overflow = await page.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      );
      assert.ok(overflow <= 0, `${path} (elder ${elder}) overflows by ${overflow}px`);
    }
  }
  assert.deepEqual(problems, []);
  await context.close();
});
