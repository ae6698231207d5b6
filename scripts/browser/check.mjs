// Opens parity reports from disk in Debian's headless Chromium (driven by
// playwright-core) and checks them as a reader would use them.
//
//   node check.mjs DEMO_DIR HOSTILE_DIR SHOT_DIR
//
// DEMO_DIR holds a demo run (report.html and summary.json): the page must
// load with no console error and no request, show every section with the
// run's numbers, sort a table, open and filter the drill-down, and toggle
// the diff. Screenshots at desktop width (1440 px) go to SHOT_DIR:
// report.png (the whole page), report-top.png (the first screen) and
// report-case.png (an opened case).
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
async function open(file, { bypassCSP = false } = {}) {
  const profile = mkdtempSync(join(tmpdir(), "parity-chromium-"));
  const ctx = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    headless: true,
    bypassCSP,
    viewport: { width: 1440, height: 900 },
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
    const best = summary.providers.reduce((a, b) => (b.mean_score > a.mean_score ? b : a));
    const winner = await page.locator(".card").first().locator(".winner .chip").textContent();
    check(winner.trim() === best.provider, `demo: quality winner ${winner.trim()} is summary.json's best (${best.provider})`);
    const tags = new Set(summary.tags.map((t) => t.tag));
    check(await page.locator("#cost-quality figure.chart").count() === tags.size, `demo: a cost/quality chart per tag (${tags.size})`);
    check(await page.locator("#cost-quality .frontier").count() === tags.size, "demo: every chart marks its Pareto frontier");
    check(await page.locator("#cost-quality .halo").count() >= 1, "demo: the suggested route is ringed");
    check(await page.locator("#latency .median").count() === summary.providers.length, "demo: a latency distribution per provider");
    check(await page.locator("#suites tbody tr").count() === summary.suites.length, "demo: a heatmap row per suite");
    check(await page.locator("#capabilities tbody tr").count() === summary.providers.length, "demo: a capability row per provider");
    check(await page.locator("#rules table.rules tbody tr").count() >= 1, "demo: routing rules are listed");

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
await hostile(false);
await hostile(true);
console.log(`\nscreenshots in ${shotDir}`);
// The last line is the plain closing line CI reads.
console.log(`browser: ${checked - failures.length} passed, ${failures.length} failed`);
process.exit(failures.length ? 1 : 0);
