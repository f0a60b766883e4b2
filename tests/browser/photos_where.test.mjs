// Photos and place: up to nine photos, downscaled on the phone before upload and each removable;
// photos picked offline wait on the phone and go out with the appeal; the current position is
// attached only when the resident asks.
import assert from "node:assert/strict";
import { test } from "node:test";
import { chooseNanguan, nextStep, phonePage, sendAppeal, serverAndBrowser } from "./support.mjs";

const env = serverAndBrowser();

/** A camera-sized picture (3000×2000 PNG), drawn by the browser itself. */
async function bigPicture(page, name, colour) {
  const base64 = await page.evaluate((colour) => {
    const canvas = document.createElement("canvas");
    canvas.width = 3000;
    canvas.height = 2000;
    const context = canvas.getContext("2d");
    context.fillStyle = colour;
    context.fillRect(0, 0, 3000, 2000);
    context.fillStyle = "#fff";
    context.fillRect(100, 100, 800, 600);
    return canvas.toDataURL("image/png").split(",")[1];
  }, colour);
  return { name, mimeType: "image/png", buffer: Buffer.from(base64, "base64") };
}

/** Width and height of a JPEG, from its SOF marker. */
function jpegSize(bytes) {
  let i = 2;
  while (i < bytes.length) {
    const marker = bytes[i + 1];
    const length = bytes.readUInt16BE(i + 2);
    if (marker >= 0xc0 && marker <= 0xc3) {
      return { height: bytes.readUInt16BE(i + 5), width: bytes.readUInt16BE(i + 7) };
    }
    i += 2 + length;
  }
  throw new Error("no SOF marker");
}

async function toStepTwo(page) {
  await page.goto(`${env.server.address}/submit`);
  await page.getByRole("radio", { name: "环境保护" }).check();
  await nextStep(page, 2);
  await page.getByLabel("诉求内容").fill("小区门口饭店油烟直排，晚上家里窗户都不能开");
}

async function photoIdsOf(caseNumber, lookupCode) {
  const response = await fetch(`${env.server.address}/api/v1/cases/${caseNumber}`, { headers: { "X-Lookup-Code": lookupCode } });
  return (await response.json()).photo_ids ?? [];
}

test("photos are downscaled on the phone, removable, and sent with the appeal", async () => {
  const { context, page, problems } = await phonePage(env.browser);
  await toStepTwo(page);
  const pictures = [
    await bigPicture(page, "a.png", "#c62828"),
    await bigPicture(page, "b.png", "#2e7d32"),
    await bigPicture(page, "c.png", "#1565c0"),
  ];
  await page.getByLabel("添加照片").setInputFiles(pictures);
  await page.getByRole("img", { name: "第 3 张照片" }).waitFor();
  await page.getByText("3 张").waitFor();
  await page.getByRole("button", { name: "删除第 2 张照片" }).click();
  await page.getByRole("img", { name: "第 3 张照片" }).waitFor({ state: "detached" });
  assert.equal(await page.getByRole("img", { name: /张照片/ }).count(), 2);

  // Kept with the draft: a reload still shows them.
  await page.reload();
  await page.getByRole("img", { name: "第 2 张照片" }).waitFor();

  // No more than nine.
  const many = [];
  for (let i = 0; i < 8; i++) many.push(await bigPicture(page, `m${i}.png`, "#6a1b9a"));
  await page.getByLabel("添加照片").setInputFiles(many);
  await page.getByRole("img", { name: "第 9 张照片" }).waitFor();
  assert.equal(await page.getByRole("img", { name: /张照片/ }).count(), 9);
  assert.equal(await page.getByLabel("添加照片").count(), 0, "no way to add a tenth");
  for (let n = 9; n > 2; n--) await page.getByRole("button", { name: `删除第 ${n} 张照片` }).click();

  await nextStep(page, 3);
  await chooseNanguan(page);
  await nextStep(page, 4);
  await page.getByLabel("联系电话").fill("13809711234");
  await nextStep(page, 5);
  assert.match(await page.locator("dl.review").innerText(), /照片\s*2 张/);
  await page.getByRole("button", { name: "提交诉求" }).click();
  await page.waitForURL(/\/cases\/\d{14}$/);
  const caseNumber = (await page.getByTestId("case-number").innerText()).trim();
  const lookupCode = (await page.getByTestId("lookup-code").innerText()).trim();

  const ids = await photoIdsOf(caseNumber, lookupCode);
  assert.equal(ids.length, 2, "both photos reached the case");
  for (const id of ids) {
    const photo = await fetch(`${env.server.address}/api/v1/photos/${id}`);
    assert.equal(photo.status, 200);
    assert.equal(photo.headers.get("content-type"), "image/jpeg");
    const bytes = Buffer.from(await photo.arrayBuffer());
    const { width, height } = jpegSize(bytes);
    assert.equal(Math.max(width, height), 1600, `downscaled to 1600 px (${width}×${height})`);
    assert.ok(Math.abs(width / height - 1.5) < 0.01, "the shape is kept");
    assert.ok(bytes.length < 1024 * 1024, `a phone-sized upload (${bytes.length} bytes)`);
  }
  // Acknowledged: the phone's copies are gone.
  await page.waitForFunction(() => new Promise((resolve) => {
    const open = indexedDB.open("yousu-photos", 1);
    open.onsuccess = () => {
      const request = open.result.transaction("photos").objectStore("photos").count();
      request.onsuccess = () => { open.result.close(); resolve(request.result === 0); };
    };
  }));
  assert.deepEqual(problems, []);
  await context.close();
});

test("a photo picked offline waits on the phone and goes out once with the appeal", async () => {
  const { context, page, problems } = await phonePage(env.browser);
  await toStepTwo(page);
  const picture = await bigPicture(page, "offline.png", "#ef6c00");
  await context.setOffline(true);
  await page.getByLabel("添加照片").setInputFiles([picture]);
  await page.getByRole("img", { name: "第 1 张照片" }).waitFor();
  await nextStep(page, 3);
  await chooseNanguan(page);
  await nextStep(page, 4);
  await page.getByLabel("联系电话").fill("13809711234");
  await sendAppeal(page);
  await page.waitForURL(/\/cases$/);
  await page.getByRole("listitem").filter({ hasText: "等待发送" }).waitFor();

  await context.setOffline(false);
  await page.reload();
  const sent = page.getByRole("listitem").filter({ hasText: "已受理" });
  await sent.waitFor();
  const caseNumber = (await sent.innerText()).match(/\d{14}/)[0];
  await sent.getByRole("link").click();
  const lookupCode = (await page.getByTestId("lookup-code").innerText()).trim();
  assert.equal((await photoIdsOf(caseNumber, lookupCode)).length, 1);
  assert.deepEqual(problems.filter((p) => !p.includes("ERR_INTERNET_DISCONNECTED")), []);
  await context.close();
});

test("the current position is attached only when asked, and can be taken off", async () => {
  const { context, page, problems } = await phonePage(env.browser);
  await context.grantPermissions(["geolocation"]);
  await context.setGeolocation({ latitude: 36.6171, longitude: 101.7782 });
  await toStepTwo(page);
  await nextStep(page, 3);
  await chooseNanguan(page);
  await page.getByLabel("详细地址").fill("南关街12号门口");
  await page.getByRole("button", { name: "附上我现在的位置" }).click();
  await page.getByText("已附上当前位置").waitFor();
  await page.getByRole("button", { name: "不附位置" }).click();
  await page.getByRole("button", { name: "附上我现在的位置" }).click();
  await page.getByText("已附上当前位置").waitFor();
  await nextStep(page, 4);
  await page.getByLabel("联系电话").fill("13809711234");
  await sendAppeal(page);
  await page.waitForURL(/\/cases\/\d{14}$/);
  const caseNumber = (await page.getByTestId("case-number").innerText()).trim();

  // Open311 clients see the position the resident attached.
  const response = await fetch(`${env.server.address}/open311/v2/requests/${caseNumber}.json`);
  assert.equal(response.status, 200);
  const [request] = await response.json();
  // (The platform keeps it to about 100 m.)
  assert.ok(Math.abs(request.lat - 36.6171) < 2e-3, `lat ${request.lat}`);
  assert.ok(Math.abs(request.long - 101.7782) < 2e-3, `long ${request.long}`);
  assert.deepEqual(problems, []);
  await context.close();
});
