// WeChat-style webviews: the app works with WeChat's user agent, back moves between steps, and a
// webview without WebAssembly shows a readable message rather than a blank screen.
import assert from "node:assert/strict";
import { test } from "node:test";
import { fillMinimalAppeal, sendAppeal, serverAndBrowser } from "./support.mjs";

const env = serverAndBrowser();
const WECHAT =
  "Mozilla/5.0 (Linux; Android 12; M2102J2SC Build/SKQ1.211006.001; wv) AppleWebKit/537.36 " +
  "(KHTML, like Gecko) Version/4.0 Chrome/107.0.5304.141 Mobile Safari/537.36 XWEB/5023 " +
  "MMWEBSDK/20230202 MMWEBID/2585 MicroMessenger/8.0.33.2320(0x2800213D) WeChat/arm64 Weixin " +
  "NetType/WIFI Language/zh_CN ABI/arm64";

async function wechatPage(init) {
  const context = await env.browser.newContext({
    viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true,
    locale: "zh-CN", userAgent: WECHAT,
  });
  if (init) await context.addInitScript(init);
  const page = await context.newPage();
  const problems = [];
  page.on("pageerror", (error) => problems.push(error.message));
  return { context, page, problems };
}

test("in a WeChat webview a resident submits, and back returns step by step", async () => {
  const { context, page, problems } = await wechatPage();
  await page.goto(env.server.address);
  assert.match(await page.evaluate(() => navigator.userAgent), /MicroMessenger/);
  await page.getByRole("link", { name: /我要反映/ }).click();
  await fillMinimalAppeal(page);
  await page.goBack();
  await page.getByText("第 3 步，共 5 步").waitFor();
  await page.goForward();
  await page.getByText("第 4 步，共 5 步").waitFor();
  await sendAppeal(page);
  await page.waitForURL(/\/cases\/\d{14}$/);
  await page.getByRole("heading", { name: "诉求已受理" }).waitFor();
  // Every screen's address can be shared: opened afresh, it shows the same case.
  const address = page.url();
  const { context: other, page: fresh } = await wechatPage();
  await fresh.goto(address);
  await fresh.getByText("本机没有这件诉求的记录。").waitFor();
  await other.close();
  assert.deepEqual(problems, []);
  await context.close();
});

test("without WebAssembly the page says what to do instead of staying blank", async () => {
  const { context, page } = await wechatPage(() => {
    delete window.WebAssembly;
  });
  await page.goto(env.server.address);
  const message = page.getByRole("alert");
  await message.getByText("当前浏览器无法运行本页面").waitFor();
  assert.match(await message.innerText(), /在浏览器打开/);
  assert.match(await message.innerText(), /12345/);
  assert.match(await message.innerText(), /Open it in a browser/);
  assert.equal(await page.getByText("正在加载…").isVisible(), false);
  await context.close();
});
