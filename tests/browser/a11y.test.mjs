// Accessibility: an axe-core scan of every screen with zero violations, in Chinese, English and
// elder mode; submitting with the keyboard alone; text at 200 % without sideways scrolling;
// read-aloud where the browser can speak, and no button where it cannot.
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { test } from "node:test";
import {
  nextStep, phonePage, serverAndBrowser, submitMinimalAppeal, submitThroughApi,
} from "./support.mjs";

const env = serverAndBrowser();
const axePath = createRequire(import.meta.url).resolve("axe-core/axe.min.js");

/** The screens, each with the text that says it has loaded. */
function screens(caseNumber) {
  return [
    ["/", "home-entries"],
    ["/submit/what", "category-tiles"],
    ["/submit/details", "photo-picker"],
    ["/submit/where", "position"],
    ["/submit/who", "submit-form-buttons"],
    ["/submit/review", "review"],
    ["/cases", "case-list-item"],
    [`/cases/${caseNumber}`, "timeline"],
    ["/lookup", "lookup-form"],
    ["/figures", "chart-table"],
    ["/nowhere", "page"],
  ];
}

async function violations(page) {
  if (!(await page.evaluate(() => "axe" in window))) await page.addScriptTag({ path: axePath });
  const result = await page.evaluate(() => axe.run(document, { resultTypes: ["violations"] }));
  return result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}

test("every screen passes an axe-core scan in Chinese, English and elder mode", async () => {
  const { context, page, problems } = await phonePage(env.browser, { bypassCSP: true });
  const caseNumber = await submitMinimalAppeal(page, env.server.address);
  for (const [locale, elder] of [["zh", false], ["en", false], ["zh", true]]) {
    await page.evaluate(([locale, elder]) => {
      localStorage.setItem("yousu.locale", JSON.stringify(locale));
      localStorage.setItem("yousu.elder_mode", JSON.stringify(elder));
    }, [locale, elder]);
    for (const [path, loaded] of screens(caseNumber)) {
      await page.goto(`${env.server.address}${path}`);
      await page.locator(`.${loaded}`).first().waitFor();
      assert.equal(await page.evaluate(() => document.documentElement.lang), locale === "en" ? "en" : "zh-CN");
      assert.deepEqual(await violations(page), [], `${path} (${locale}${elder ? ", elder" : ""})`);
    }
  }
  assert.deepEqual(problems, []);
  await context.close();
});

/** Presses Tab until the focused element matches, as a keyboard user would. */
async function tabTo(page, matches, what) {
  for (let i = 0; i < 60; i++) {
    await page.keyboard.press("Tab");
    const here = await page.evaluate(() => {
      const el = document.activeElement;
      const label = el.labels?.[0]?.innerText ?? "";
      return { id: el.id, text: (el.innerText || label || el.getAttribute("aria-label") || "").trim(), tag: el.tagName };
    });
    if (matches(here)) return;
  }
  throw new Error(`Tab never reached ${what}`);
}

test("an appeal can be sent with the keyboard alone", async () => {
  const { context, page, problems } = await phonePage(env.browser);
  await page.goto(`${env.server.address}/submit`);
  await page.getByText("第 1 步，共 5 步").waitFor();
  await tabTo(page, (el) => el.tag === "INPUT" && el.text === "环境保护", "the first tile");
  await page.keyboard.press("Space");
  await tabTo(page, (el) => el.text === "下一步", "next");
  await page.keyboard.press("Enter");
  await page.getByText("第 2 步，共 5 步").waitFor();
  await tabTo(page, (el) => el.id === "description", "the description");
  await page.keyboard.type("小区门口饭店油烟直排，晚上家里窗户都不能开");
  await tabTo(page, (el) => el.text === "下一步", "next");
  await page.keyboard.press("Enter");
  await page.getByText("第 3 步，共 5 步").waitFor();
  for (const [id, option] of [["district_id", "城中区"], ["subdistrict_id", "人民街街道"], ["community_id", "南关街社区"]]) {
    await tabTo(page, (el) => el.id === id, id);
    // A closed drop-down moves through its choices with the arrow keys.
    const chosen = () => page.evaluate((id) => {
      const s = document.getElementById(id);
      return s.options[s.selectedIndex]?.text;
    }, id);
    for (let i = 0; i < 40 && (await chosen()) !== option; i++) await page.keyboard.press("ArrowDown");
    assert.equal(await chosen(), option);
  }
  await tabTo(page, (el) => el.text === "下一步", "next");
  await page.keyboard.press("Enter");
  await page.getByText("第 4 步，共 5 步").waitFor();
  await tabTo(page, (el) => el.id === "contact_phone", "the phone");
  await page.keyboard.type("13809711234");
  await page.keyboard.press("Enter");
  await page.getByText("第 5 步，共 5 步").waitFor();
  await tabTo(page, (el) => el.text === "提交诉求", "send");
  await page.keyboard.press("Enter");
  await page.waitForURL(/\/cases\/\d{14}$/);
  await page.getByRole("heading", { name: "诉求已受理" }).waitFor();
  assert.deepEqual(problems, []);
  await context.close();
});

test("text at 200 % still fits every screen at 320 px", async () => {
  // The webview's text zoom is imitated by a stylesheet injected into the page, which the app's
  // Content-Security-Policy rightly refuses (style-src 'self'): this test alone bypasses it.
  const { context, page, problems } = await phonePage(env.browser, { width: 320, height: 568, bypassCSP: true });
  const caseNumber = await submitMinimalAppeal(page, env.server.address);
  // A webview's text zoom scales every font size; ours all come from these variables.
  await context.addInitScript(() => {
    document.addEventListener("DOMContentLoaded", () => {
      const style = document.createElement("style");
      style.textContent = ":root, html.elder { --font-size-base: 34px; --font-size-small: 30px; --font-size-large: 44px; --font-size-code: 56px; }";
      document.head.append(style);
    });
  });
  for (const [path, loaded] of screens(caseNumber)) {
    await page.goto(`${env.server.address}${path}`);
    await page.locator(`.${loaded}`).first().waitFor();
    assert.equal(await page.evaluate(() => getComputedStyle(document.body).fontSize), "34px");
    const overflow = await page.evaluate(() => {
      const width = document.documentElement.clientWidth;
      return [...document.querySelectorAll("body *")]
        .filter((el) => el.offsetParent !== null && el.getBoundingClientRect().right > width + 1)
        .map((el) => `${el.tagName}.${el.className}`);
    });
    assert.deepEqual(overflow, [], `${path} at 200 %`);
  }
  assert.deepEqual(problems, []);
  await context.close();
});

test("the receipt and status can be read aloud where the browser speaks", async () => {
  const { context, page, problems } = await phonePage(env.browser);
  await context.addInitScript(() => {
    window.__spoken = [];
    window.speechSynthesis.speak = (utterance) => window.__spoken.push([utterance.text, utterance.lang]);
  });
  const caseNumber = await submitMinimalAppeal(page, env.server.address);
  await page.getByRole("button", { name: "朗读" }).click();
  const [[text, lang]] = await page.evaluate(() => window.__spoken);
  assert.equal(lang, "zh-CN");
  assert.ok(text.includes(`工单号：${caseNumber.split("").join(" ")}`), text);
  assert.match(text, /状态：已受理/);

  const { context: silent, page: mute } = await phonePage(env.browser);
  await silent.addInitScript(() => {
    delete window.speechSynthesis;
    delete window.SpeechSynthesisUtterance;
  });
  const elsewhere = await submitThroughApi(env.server.address, {});
  await mute.goto(`${env.server.address}/lookup`);
  await mute.getByLabel("工单号").fill(elsewhere.case_number);
  await mute.getByLabel("查询码").fill(elsewhere.lookup_code);
  await mute.getByRole("button", { name: "查询", exact: true }).click();
  await mute.getByTestId("case-number").waitFor();
  assert.equal(await mute.getByRole("button", { name: "朗读" }).count(), 0, "no button without speech");
  assert.deepEqual(problems, []);
  await silent.close();
  await context.close();
});
