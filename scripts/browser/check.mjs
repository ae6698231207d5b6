// Opens parity reports from disk in Debian's headless Chromium (driven by
// playwright-core) and checks them as a reader would use them.
//
//   node check.mjs DEMO_DIR HOSTILE_DIR SHOT_DIR
//
// DEMO_DIR holds a demo run (report.html and summary.json): the page must
// load with no console error and no request, show every section with the
// run's numbers, sort a table, open and filter the drill-down, and toggle
// the diff; rank chat and image models apart, price the image models in the
// projections, show splits and exclusions as tables, and print no negative
// zero ("$-0") anywhere. At phone size (390×844) the page must not scroll
// sideways: charts shrink to the page, wide tables scroll in their own
// box. Screenshots at desktop width (1440 px) go to SHOT_DIR: report.png
// (the whole page), report-top.png (the first screen) and report-case.png
// (an opened case); report-phone.png is the first screen at 390 px.
// HOSTILE_DIR holds a report whose every untrusted text is markup or
// script: nothing may run, with the page's Content Security Policy on and
// with it bypassed (so escaping alone is tested too).
import { chromium } from "playwright-core";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";

const [demoDir, hostileDir, shotDir] = process.argv.slice(2).map((p) => resolve(p));
const failures = [];
let checked = 0;
const check = (ok, what) => {
  checked++;
  console.log(`${ok ? "ok  " : "FAIL"} ${what}`);
  if (!ok) failures.push(what);
};

// open launches Chromium with a fresh profile and loads file; it records
// console errors, page errors, dialogs and every request.
async function open(file, { bypassCSP = false, viewport = { width: 1440, height: 900 } } = {}) {
  const profile = mkdtempSync(join(tmpdir(), "parity-chromium-"));
  const ctx = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    headless: true,
    bypassCSP,
    viewport,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
      "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
  });
  const page = ctx.pages()[0] || (await ctx.newPage());
  page.setDefaultTimeout(15000);
  const seen = { errors: [], dialogs: [], requests: [] };
  page.on("console", (m) => { if (m.type() === "error" || m.type() === "warning") seen.errors.push(`${m.type()}: ${m.text()}`); });
  page.on("pageerror", (e) => seen.errors.push(`pageerror: ${e.message}`));
  page.on("dialog", async (d) => { seen.dialogs.push(d.message()); await d.dismiss(); });
  page.on("request", (r) => seen.requests.push(r.url()));
  const url = pathToFileURL(file).href;
  await page.goto(url, { waitUntil: "load" });
  await page.waitForTimeout(300); // let autofocus, toggles and late errors fire
  const close = async () => { await ctx.close(); rmSync(profile, { recursive: true, force: true }); };
  return { page, seen, url, close };
}

// providerTableColumn returns the data-v numbers of a column of the
// provider table, top to bottom.
const providerTableColumn = (page, col) => page.$$eval("#provider-table tbody tr",
  (rows, c) => rows.map((r) => parseFloat(r.cells[c].getAttribute("data-v"))), col);

async function demo() {
  const summary = JSON.parse(readFileSync(join(demoDir, "summary.json"), "utf8"));
  const { page, seen, url, close } = await open(join(demoDir, "report.html"));
  try {
    check(seen.errors.length === 0, `demo: no console error (${seen.errors.join(" | ") || "none"})`);
    check(seen.requests.every((u) => u === url), `demo: no request but the page itself (${seen.requests.length})`);
    for (const id of ["overview", "leaderboard", "cost-quality", "latency", "suites", "capabilities", "rules", "errors", "providers", "cases"]) {
      check(await page.locator(`#${id}`).isVisible(), `demo: section #${id} is shown`);
    }
    const tiles = await page.$$eval(".tile", (ts) => Object.fromEntries(ts.map((t) =>
      [t.querySelector(".label").textContent.trim(), t.querySelector(".value").textContent.trim()])));
    check(tiles.results === summary.totals.n.toLocaleString("en-US"), `demo: results tile ${tiles.results} = summary.json ${summary.totals.n}`);
    check(tiles["pass rate"] === (100 * summary.totals.pass_rate).toFixed(1) + "%", `demo: pass rate tile ${tiles["pass rate"]}`);
    const cards = await page.$$eval(".card h3", (hs) => hs.map((h) => h.textContent));
    check(["Quality", "Cost efficiency", "Time to first token", "p95 latency", "Error rate", "JSON validity"].every((c) => cards.includes(c)),
      `demo: a leaderboard card per metric (${cards.join(", ")})`);
    await leaderboards(page, summary);
    const tags = new Set(summary.tags.map((t) => t.tag));
    check(await page.locator("#cost-quality figure.chart").count() === tags.size, `demo: a cost/quality chart per tag (${tags.size})`);
    check(await page.locator("#cost-quality .frontier").count() === tags.size, "demo: every chart marks its Pareto frontier");
    check(await page.locator("#cost-quality .halo").count() >= 1, "demo: the suggested route is ringed");
    check(await page.locator("#latency .median").count() === summary.providers.length, "demo: a latency distribution per provider");
    check(await page.locator("#suites tbody tr").count() === summary.suites.length, "demo: a heatmap row per suite");
    check(await page.locator("#capabilities tbody tr").count() === summary.providers.length, "demo: a capability row per provider");
    // Cost by attribute: a table per metadata key, a row per value, as summary.json breaks them down.
    const attrKeys = new Set(summary.attributes.map((a) => a.key));
    const attrValues = new Set(summary.attributes.map((a) => a.key + "=" + a.value));
    check(attrKeys.size > 0 && await page.locator("#attributes details").count() === attrKeys.size, `demo: a cost-by-attribute table per metadata key (${attrKeys.size})`);
    check(await page.locator("#attributes tbody tr").count() === attrValues.size, `demo: a cost-by-attribute row per key and value (${attrValues.size})`);
    check(await page.locator("#rules table.rules tbody tr").count() >= 1, "demo: routing rules are listed");
    await rulesTables(page);
    await noNegativeZero(page, "demo");

    // Mean scores in the table are summary.json's.
    const scores = await providerTableColumn(page, 4);
    const want = summary.providers.map((p) => p.mean_score);
    check(scores.length === want.length && scores.every((s, i) => Math.abs(s - want[i]) < 1e-9), "demo: table mean scores match summary.json");

    // Sorting: first click sorts by mean score, largest first; the second reverses.
    const head = page.locator("#provider-table thead th").nth(4);
    await head.locator("button").click();
    let sorted = await providerTableColumn(page, 4);
    check(sorted.every((v, i) => i === 0 || sorted[i - 1] >= v) && (await head.getAttribute("aria-sort")) === "descending",
      `demo: sorting by mean score, descending (${sorted.join(", ")})`);
    await head.locator("button").click();
    sorted = await providerTableColumn(page, 4);
    check(sorted.every((v, i) => i === 0 || sorted[i - 1] <= v) && (await head.getAttribute("aria-sort")) === "ascending",
      `demo: sorting again, ascending (${sorted.join(", ")})`);

    // Drill-down: a case opens to every provider's answer.
    const first = page.locator("details.case").first();
    check(!(await first.evaluate((d) => d.open)), "demo: cases start closed");
    await first.locator("summary").click();
    check(await first.evaluate((d) => d.open), "demo: clicking a case opens it");
    // One answer per provider that runs the case's suite (image models do
    // not run chat suites: their marks are hollow and they show no answer).
    const answers = first.locator(".answer");
    const running = await first.locator("summary .mark:not(.m-none)").count();
    check(running >= 2 && await answers.count() === running && await answers.first().isVisible(),
      `demo: the opened case shows ${running} answers side by side, one per provider running its suite`);
    await page.screenshot({ path: join(shotDir, "report-case.png"), clip: await first.boundingBox() });

    // Filters: failing cases only.
    const total = await page.locator("details.case").count();
    await page.selectOption("#f-status", "failing");
    const shown = await page.locator("details.case:not([hidden])").count();
    const failingShown = await page.locator('details.case:not([hidden])[data-status="failing"]').count();
    check(shown > 0 && shown < total && shown === failingShown, `demo: the failing filter shows ${shown} of ${total} cases, all failing`);
    check((await page.locator("#f-count").textContent()).startsWith(`${shown} of ${total}`), "demo: the filter counts what it shows");
    await page.selectOption("#f-status", "all");

    // Diff highlighting can be turned off.
    const del = page.locator(".answer del").first();
    if (await del.count()) {
      await page.uncheck("#f-diff");
      check(await del.evaluate((d) => getComputedStyle(d).display === "none"), "demo: unticking the diff hides deleted words");
      await page.check("#f-diff");
    }
    await first.locator("summary").click();
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: join(shotDir, "report.png"), fullPage: true });
    await page.screenshot({ path: join(shotDir, "report-top.png") });
    check(seen.errors.length === 0, `demo: still no console error after use (${seen.errors.join(" | ") || "none"})`);
  } finally {
    await close();
  }
}

// leaderboards checks each group ranks its own providers only: chat and
// image models apart, the quality winner the best of its group in
// summary.json.
async function leaderboards(page, summary) {
  const boards = await page.$$eval("#leaderboard .board", (bs) => bs.map((b) => ({
    kind: b.dataset.kind,
    quality: [...b.querySelectorAll(".card")].filter((c) => c.querySelector("h3").textContent === "Quality")
      .map((c) => [...c.querySelectorAll(".bars .name")].map((n) => n.textContent.trim()))[0] || [],
  })));
  const kinds = boards.map((b) => b.kind);
  check(kinds.includes("chat") && kinds.includes("image"), `demo: a leaderboard for chat and one for image models (${kinds.join(", ")})`);
  const score = Object.fromEntries(summary.providers.map((p) => [p.provider, p.mean_score]));
  for (const b of boards) {
    const best = b.quality.reduce((x, y) => (score[y] > score[x] ? y : x), b.quality[0]);
    check(b.quality.length > 0 && b.quality[0] === best, `demo: ${b.kind} quality winner ${b.quality[0]} is its group's best in summary.json (${best})`);
  }
  const chat = new Set(boards.filter((b) => b.kind === "chat").flatMap((b) => b.quality));
  const image = boards.filter((b) => b.kind === "image").flatMap((b) => b.quality);
  check(image.length > 0 && image.every((p) => !chat.has(p)), `demo: no image model is ranked with the chat models (${image.join(", ")})`);
}

// rulesTables checks splits and exclusions are tables, not key/value
// dumps, and that the projections price the image models.
async function rulesTables(page) {
  const split = page.locator("#rules table.mini").filter({ has: page.locator("th", { hasText: "weight" }) });
  check(await split.count() >= 1 && (await split.first().locator("tbody tr").count()) >= 2, "demo: a rule's split is a table of its targets");
  const left = page.locator("#rules table.mini").filter({ has: page.locator("th", { hasText: "why" }) });
  check(await left.count() >= 1, "demo: a rule's excluded providers are a table");
  const dumps = await page.$$eval("#rules dl.extras dt", (dts) => dts.map((d) => d.textContent).filter((t) => t === "split" || t === "excluded"));
  check(dumps.length === 0, `demo: no split or excluded key/value dump (${dumps.length})`);
  const image = await page.$$eval('#leaderboard .board[data-kind="image"] .card:first-child .bars .name', (ns) => ns.map((n) => n.textContent.trim()));
  const proj = await page.$$eval("#rules table.proj tbody tr", (rs) => rs.map((r) => [r.cells[0].textContent.replace(/ alone$/, "").trim(), r.cells[2].textContent.trim()]));
  const priced = proj.filter(([p]) => image.includes(p));
  check(image.length > 0 && priced.length === image.length && priced.every(([, c]) => c !== "$0"),
    `demo: the projections price the image models per image (${priced.map((r) => r.join(" ")).join(", ")})`);
}

// noNegativeZero checks no text of the page (SVG labels included) prints
// "$-0", and no figure outside the drill-down's answers a "-0".
async function noNegativeZero(page, label) {
  const found = await page.evaluate(() => {
    const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT, {
      acceptNode: (n) => (["SCRIPT", "STYLE"].includes(n.parentElement.tagName) ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT),
    });
    const dollar = [], zero = [];
    for (let n = walk.nextNode(); n; n = walk.nextNode()) {
      const t = n.textContent;
      if (t.includes("$-0")) dollar.push(t.trim().slice(0, 60));
      if (!n.parentElement.closest("#cases") && /(^|[^\w.\-])-0(\.0+)?(?![\w.])/.test(t)) zero.push(t.trim().slice(0, 60));
    }
    return { dollar, zero };
  });
  check(found.dollar.length === 0, `${label}: no "$-0" anywhere in the page (${found.dollar.join(" | ") || "none"})`);
  check(found.zero.length === 0, `${label}: no negative zero in a figure (${found.zero.join(" | ") || "none"})`);
}

// phone opens the demo at 390×844: the page must not scroll sideways.
async function phone() {
  const { page, seen, close } = await open(join(demoDir, "report.html"), { viewport: { width: 390, height: 844 } });
  try {
    const w = await page.evaluate(() => ({
      scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth,
      body: document.body.scrollWidth,
      wide: [...document.querySelectorAll("main *")].filter((el) => el.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5
        && !el.closest(".scroll")).slice(0, 5).map((el) => `${el.tagName.toLowerCase()}.${el.getAttribute("class") || ""}`),
    }));
    check(w.scroll <= 390 && w.scroll <= w.client && w.body <= 390,
      `phone: no sideways scroll at 390 px (page ${w.scroll} px, viewport ${w.client} px, body ${w.body} px; past the edge: ${w.wide.join(", ") || "nothing"})`);
    const charts = await page.$$eval("#cost-quality svg.plot", (ss) => ss.map((s) => s.getBoundingClientRect().right));
    check(charts.length > 0 && charts.every((r) => r <= 390), `phone: every cost/quality chart fits the screen (${charts.length})`);
    const boxes = await page.$$eval(".scroll", (ss) => ss.map((s) => s.getBoundingClientRect().right));
    check(boxes.every((r) => r <= 390), `phone: wide tables scroll inside their own box (${boxes.length} boxes)`);
    await noNegativeZero(page, "phone");
    check(seen.errors.length === 0, `phone: no console error (${seen.errors.join(" | ") || "none"})`);
    await page.screenshot({ path: join(shotDir, "report-phone.png") });
  } finally {
    await close();
  }
}

async function hostile(bypassCSP) {
  const label = `hostile (CSP ${bypassCSP ? "bypassed, escaping alone" : "on"})`;
  const { page, seen, url, close } = await open(join(hostileDir, "report.html"), { bypassCSP });
  try {
    await page.locator("details.case").first().locator("summary").click();
    await page.click("#expand");
    await page.waitForTimeout(200);
    check(await page.evaluate(() => window.__pwned === undefined && parent.__pwned === undefined),
      `${label}: no payload ran (window.__pwned = ${await page.evaluate(() => String(window.__pwned))})`);
    check(seen.dialogs.length === 0, `${label}: no dialog opened`);
    check(seen.errors.length === 0, `${label}: no console error, no CSP violation (${seen.errors.join(" | ") || "none"})`);
    check(seen.requests.every((u) => u === url), `${label}: no request but the page itself (${seen.requests.filter((u) => u !== url).join(", ") || "none"})`);
    const injected = await page.evaluate(() => {
      const bad = [];
      for (const el of document.querySelectorAll("*")) {
        if (["IMG", "IFRAME", "OBJECT", "EMBED", "LINK", "BASE", "FORM"].includes(el.tagName)) bad.push(el.tagName);
        for (const a of el.attributes) {
          if (a.name.startsWith("on") || /^\s*javascript:/i.test(a.value) || a.name === "srcdoc" || a.name === "autofocus") bad.push(`${el.tagName}[${a.name}]`);
        }
      }
      return bad;
    });
    check(injected.length === 0, `${label}: no element or attribute came from a payload (${injected.join(", ") || "none"})`);
    check(await page.locator("script").count() === 1, `${label}: the page's own script is its only one`);
    const body = await page.evaluate(() => document.body.innerText);
    check(body.includes('<script>window.__pwned="script"</script>') && body.includes("<img src=x onerror="),
      `${label}: the payloads are shown as text`);
    check(await page.locator("#overview").isVisible(), `${label}: a hostile <style> did not hide the page`);
  } finally {
    await close();
  }
}

await demo();
await phone();
await hostile(false);
await hostile(true);
console.log(`\nscreenshots in ${shotDir}`);
// The last line is the plain closing line CI reads.
console.log(`browser: ${checked - failures.length} passed, ${failures.length} failed`);
process.exit(failures.length ? 1 : 0);
