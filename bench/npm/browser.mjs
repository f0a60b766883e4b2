// Browser figures for `cargo xtask bench`, printed as one JSON line:
//   node browser.mjs tti URL RUNS      time to interactive under Lighthouse's mobile throttling
//   node browser.mjs my-cases URL N    render time of "my cases" with N cached cases, and memory
//   node browser.mjs queue URL N       the workbench's dispatch queue with N open cases (desktop)
// Throttling through the DevTools protocol with the values Lighthouse itself uses for
// `mobileSlow4G` when it throttles this way (request latency 562.5 ms = 150 ms RTT x 3.75,
// 1,474.56 kbit/s down, 675 kbit/s up) and a 4x slower CPU.
import { execFileSync } from "node:child_process";
import { chromium } from "playwright-core";

const [mode, url, countText] = process.argv.slice(2);
const count = Number(countText ?? "3");
const KBIT = 1024 / 8;

async function launch() {
  const server = await chromium.launchServer({
    executablePath: process.env.CHROME_PATH ?? "/usr/bin/chromium",
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--disable-background-networking",
      "--disable-component-update", "--disable-sync", "--no-first-run"],
  });
  const browser = await chromium.connect(server.wsEndpoint());
  return { server, browser };
}

async function phone(browser) {
  const context = await browser.newContext({
    viewport: { width: 412, height: 823 }, deviceScaleFactor: 1.75, isMobile: true, hasTouch: true,
    locale: "zh-CN",
  });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  return { context, page, cdp };
}

async function throttle(cdp, network) {
  await cdp.send("Emulation.setCPUThrottlingRate", { rate: 4 });
  if (network) {
    await cdp.send("Network.enable");
    await cdp.send("Network.emulateNetworkConditions", {
      offline: false, latency: 562.5, downloadThroughput: 1474.56 * KBIT, uploadThroughput: 675 * KBIT,
    });
  }
}

// Records when the app replaces the static shell (#boot) and every long task, from navigation.
const OBSERVE = () => {
  window.__bench = { mounted: null, longTasks: [] };
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) window.__bench.longTasks.push(e.startTime + e.duration);
  }).observe({ type: "longtask", buffered: true });
  new MutationObserver((_, observer) => {
    if (document.readyState !== "loading" && !document.getElementById("boot") && document.querySelector("main")) {
      window.__bench.mounted = performance.now();
      observer.disconnect();
    }
  }).observe(document, { childList: true, subtree: true });
};

async function tti() {
  const { server, browser } = await launch();
  const runs = [];
  for (let i = 0; i < count; i++) {
    const { context, page, cdp } = await phone(browser);
    await throttle(cdp, true);
    await page.addInitScript(OBSERVE);
    await page.goto(url, { waitUntil: "load", timeout: 120000 });
    await page.waitForFunction(() => window.__bench.mounted !== null, null, { timeout: 120000 });
    // Interactive: mounted, and no long task in the 5 s quiet window after (Lighthouse's rule).
    await page.waitForTimeout(5000);
    const r = await page.evaluate(() => {
      const fcp = performance.getEntriesByName("first-contentful-paint")[0]?.startTime ?? null;
      const last = Math.max(0, ...window.__bench.longTasks);
      return { mounted_ms: window.__bench.mounted, tti_ms: Math.max(window.__bench.mounted, last), fcp_ms: fcp };
    });
    runs.push(r);
    await context.close();
  }
  await browser.close();
  await server.close();
  const median = (key) => runs.map((r) => r[key]).sort((a, b) => a - b)[Math.floor(runs.length / 2)];
  return { runs, tti_ms: median("tti_ms"), mounted_ms: median("mounted_ms"), fcp_ms: median("fcp_ms") };
}

function savedCases(n) {
  const statuses = ["accepted", "dispatched", "claimed", "in_progress", "completed", "rated"];
  const categories = ["environment", "city-appearance", "traffic", "housing", "utilities"];
  const cases = [];
  const start = Date.parse("2026-01-01T02:00:00Z");
  for (let i = 0; i < n; i++) {
    const submitted = new Date(start + i * 7 * 3600 * 1000);
    const day = submitted.toISOString().slice(0, 10).replaceAll("-", "");
    cases.push({
      case_number: `${day}${String(900000 + i).padStart(6, "0")}`,
      lookup_code: String(10000000 + i),
      access_token: null,
      status: statuses[i % statuses.length],
      category_id: categories[i % categories.length],
      submitted_at: submitted.toISOString(),
      accepted_at: submitted.toISOString(),
      deadline_at: new Date(submitted.getTime() + 7 * 86400000).toISOString(),
    });
  }
  return cases;
}

// Resident memory of the browser's renderer processes (our browser only), in MiB.
function rendererMiB(browserPid) {
  const ps = execFileSync("ps", ["-eo", "pid=,ppid=,rss=,args="], { encoding: "utf8" });
  const rows = ps.trim().split("\n").map((l) => {
    const [pid, ppid, rss, ...args] = l.trim().split(/\s+/);
    return { pid: +pid, ppid: +ppid, rss: +rss, args: args.join(" ") };
  });
  const ours = new Set([browserPid]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const r of rows) if (ours.has(r.ppid) && !ours.has(r.pid)) { ours.add(r.pid); grew = true; }
  }
  return rows.filter((r) => ours.has(r.pid) && r.args.includes("--type=renderer"))
    .reduce((sum, r) => sum + r.rss, 0) / 1024;
}

async function myCases() {
  const { server, browser } = await launch();
  const { context, page, cdp } = await phone(browser);
  // The platform's answers are not what is measured: every refresh of a case fails at once.
  await page.route("**/api/v1/cases/**", (route) => route.abort());
  const cases = JSON.stringify(savedCases(count));
  await page.addInitScript((value) => localStorage.setItem("yousu.cases.v2", value), cases);
  await page.goto(url, { waitUntil: "load" });
  await page.waitForSelector('a[href="/cases"]', { timeout: 60000 });
  await throttle(cdp, false);
  const render_ms = await page.evaluate((n) => new Promise((resolve) => {
    const t0 = performance.now();
    const done = () => document.querySelectorAll("ul.case-list:not(.outbox-list) > li").length >= n;
    const check = () => {
      if (done()) requestAnimationFrame(() => resolve(performance.now() - t0));
      else setTimeout(check, 5);
    };
    document.querySelector('a[href="/cases"]').click();
    check();
  }), count);
  await page.waitForTimeout(1000);
  await cdp.send("HeapProfiler.collectGarbage");
  await cdp.send("Performance.enable");
  const { metrics } = await cdp.send("Performance.getMetrics");
  const metric = (name) => metrics.find((m) => m.name === name)?.value ?? null;
  const result = {
    cases: count,
    render_ms,
    js_heap_mib: metric("JSHeapUsedSize") / 1048576,
    dom_nodes: metric("Nodes"),
    renderer_rss_mib: rendererMiB(server.process().pid),
  };
  await context.close();
  await browser.close();
  await server.close();
  return result;
}


// The staff workbench at desktop size, signed in as the demo dispatcher, with a queue of `n`
// accepted cases: copies of one real case from the server, each with its own number, served in
// place of the real list so that only the browser's work is measured. Times the render from the
// moment the list has arrived (the page's own fetch resolved) to the frame that shows it.
async function queue() {
  const origin = new URL(url).origin;
  const post = (path, body, token) => fetch(origin + path, {
    method: "POST",
    headers: { "Content-Type": "application/json", ...(token ? { Authorization: `Bearer ${token}` } : {}),
      "Idempotency-Key": `bench-queue-${Date.now()}-${Math.random()}` },
    body: JSON.stringify(body),
  }).then((r) => r.json());
  const login = await post("/api/v1/staff/login", { username: "dispatcher", password: "yousu-demo" });
  await post("/api/v1/cases", {
    channel: "web", category_id: "environment", community_id: "chengzhong-renminjie-nanguanjie",
    description: "压测：楼下餐馆油烟很大，每天晚上都有，影响休息。", address: "1号楼",
    contact_name: "测试", contact_phone: "13800138000", anonymous: false, hide_identity_from_unit: false,
  });
  const real = await fetch(origin + "/api/v1/staff/cases?status=accepted", {
    headers: { Authorization: `Bearer ${login.token}` },
  }).then((r) => r.json());
  const template = real.cases[0];
  const day = template.case_number.slice(0, 8);
  const cases = [];
  for (let i = 0; i < count; i++) {
    cases.push({ ...template, case_number: `${day}${String(100000 + i).padStart(6, "0")}` });
  }
  const body = JSON.stringify({ cases });

  const { server, browser } = await launch();
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: "zh-CN" });
  const page = await context.newPage();
  await page.route("**/api/v1/staff/cases?status=accepted*", (route) =>
    route.fulfill({ status: 200, contentType: "application/json", body }));
  const session = JSON.stringify({ token: login.token, expires_at: login.expires_at, account: login.account });
  await page.addInitScript((value) => {
    sessionStorage.setItem("yousu.staff.session", value);
    window.__queue = { arrived: null };
    const original = window.fetch;
    window.fetch = function (...args) {
      const target = String(args[0]?.url ?? args[0]);
      const answer = original.apply(this, args);
      if (target.includes("/staff/cases?status=accepted") && window.__queue.arrived === null) {
        answer.then(() => { window.__queue.arrived ??= performance.now(); });
      }
      return answer;
    };
  }, session);
  const started = Date.now();
  await page.goto(origin + "/staff/dispatch", { waitUntil: "load", timeout: 120000 });
  const shown = await page.waitForFunction((n) => {
    const caption = document.querySelector(".case-queue caption")?.textContent ?? "";
    return caption.includes(String(n)) && document.querySelector(".case-queue tbody tr") !== null;
  }, count, { timeout: 120000, polling: "raf" }).then(() => page.evaluate(() =>
    new Promise((resolve) => requestAnimationFrame(() => resolve(performance.now())))));
  const r = await page.evaluate(() => ({
    arrived: window.__queue.arrived,
    rows: document.querySelectorAll(".case-queue tbody tr").length,
    nodes: document.getElementsByTagName("*").length,
  }));
  // Keyboard navigation still works on the rendered queue: j moves the selection down.
  await page.keyboard.press("j");
  const selected = await page.evaluate(() =>
    [...document.querySelectorAll(".case-queue tbody tr")].findIndex((tr) => tr.classList.contains("selected")));
  const result = {
    cases: count,
    render_ms: shown - r.arrived,
    since_navigation_ms: shown,
    wall_ms: Date.now() - started,
    rows_in_dom: r.rows,
    elements: r.nodes,
    selected_after_j: selected,
  };
  await context.close();
  await browser.close();
  await server.close();
  return result;
}

const modes = { tti, "my-cases": myCases, queue };
const result = modes[mode] ? await modes[mode]() : null;
if (!result) {
  console.error("usage: node browser.mjs tti URL RUNS | my-cases URL N | queue URL N");
  process.exit(2);
}
console.log(JSON.stringify(result));
