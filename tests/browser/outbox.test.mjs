// Sending without a network: the appeal waits in the outbox and goes out, exactly once, when the
// network returns — however many times it is sent.
import assert from "node:assert/strict";
import { test } from "node:test";
import { fillMinimalAppeal, sendAppeal, phonePage, serverAndBrowser } from "./support.mjs";

const env = serverAndBrowser();

/** Every case the platform holds, through the demo supervisor's list. */
async function casesOnThePlatform() {
  const address = env.server.address;
  const login = await fetch(`${address}/api/v1/staff/login`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ username: "supervisor", password: "yousu-demo" }),
  });
  const { token } = await login.json();
  const list = await fetch(`${address}/api/v1/staff/cases`, {
    headers: { Authorization: `Bearer ${token}` },
  });
  return (await list.json()).cases;
}

test("an appeal sent offline waits and goes out once when the network returns", async () => {
  const { context, page, problems } = await phonePage(env.browser);
  await page.goto(`${env.server.address}/submit`);
  await fillMinimalAppeal(page);
  await context.setOffline(true);
  await sendAppeal(page);

  await page.waitForURL(/\/cases$/);
  await page.getByText("网络不通，诉求已保存在本机，联网后会自动发送，不会重复提交。").waitFor();
  await page.getByRole("listitem").filter({ hasText: "等待发送" }).waitFor();
  await page.getByRole("link", { name: /有诉/ }).click();
  await page.getByText("有 1 件诉求等待发送").waitFor();
  assert.equal((await casesOnThePlatform()).length, 0, "nothing reached the platform");

  // The same queued send, twice over (as after a crash between send and acknowledgement).
  await page.evaluate(() => {
    const items = JSON.parse(localStorage.getItem("yousu.outbox.v1"));
    localStorage.setItem("yousu.outbox.v1", JSON.stringify([items[0], items[0]]));
  });
  await context.setOffline(false);
  await page.goto(`${env.server.address}/cases`);
  const sent = page.getByRole("listitem").filter({ hasText: "已受理" });
  await sent.waitFor();
  await page.getByText("等待发送").waitFor({ state: "detached" });

  const cases = await casesOnThePlatform();
  assert.equal(cases.length, 1, "exactly one case");
  assert.match(await sent.innerText(), new RegExp(cases[0].case_number));
  const outbox = await page.evaluate(() => localStorage.getItem("yousu.outbox.v1"));
  assert.equal(outbox, "[]", "nothing left waiting");
  assert.ok(!(await page.evaluate(() => JSON.stringify(localStorage))).includes("13809711234"),
    "the phone number left the device once the case was acknowledged");
  assert.deepEqual(problems.filter((p) => !p.includes("ERR_INTERNET_DISCONNECTED")), []);
  await context.close();
});
