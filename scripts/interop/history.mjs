// Runs the README's History queries, exactly as written there (the ```sql
// blocks between the history-queries markers), with DuckDB over a
// simulated month of nightlies, and checks every answer against the runs'
// own summary.json and the simulation's events (expect.json).
// usage: node history.mjs README.md DIR
//   DIR holds runs/ (the published history), out/RUN_ID/summary.json and
//   expect.json, as scripts/history/run.sh leaves them.
import { DuckDBInstance } from '@duckdb/node-api';
import { readFileSync } from 'node:fs';
import { resolve, join } from 'node:path';

const [readmePath, dir] = process.argv.slice(2).map((p) => resolve(p));
const problems = [];
const fail = (msg) => problems.push(msg);

// queries returns the README's history queries by name: the first
// comment line of each block, up to its first ':' or '('.
function queries(readme) {
  const m = readme.match(/<!-- history-queries:begin -->([\s\S]*?)<!-- history-queries:end -->/);
  if (!m) throw new Error('README.md has no history-queries markers');
  const out = new Map();
  for (const [, body] of m[1].matchAll(/```sql\n([\s\S]*?)```/g)) {
    const name = body.match(/^-- ([^:(]*)/)[1].trim();
    out.set(name, body);
  }
  return out;
}

const expect = JSON.parse(readFileSync(join(dir, 'expect.json'), 'utf8'));
const summaries = expect.runs.map((r) => ({ ...r, s: JSON.parse(readFileSync(join(dir, 'out', r.run_id, 'summary.json'), 'utf8')) }));

// truth adds up what the summaries say, per day.
function truth() {
  const t = { rows: 0, cost: new Map(), sp: new Map(), prov: new Map(), p95: new Map() };
  const add = (m, k, f) => m.set(k, f(m.get(k) ?? {}));
  for (const { date, s } of summaries) {
    t.rows += s.totals.n;
    for (const g of s.tags) add(t.cost, `${date}|${g.tag}`, (v) => ({ usd: (v.usd ?? 0) + g.n * g.cost_per_case_usd, n: (v.n ?? 0) + g.n }));
    for (const g of s.suite_providers) {
      add(t.sp, `${date}|${g.provider}|${g.suite}`, (v) => ({ n: (v.n ?? 0) + g.n, pass: (v.pass ?? 0) + g.pass, score: (v.score ?? 0) + g.mean_score * g.n }));
    }
    for (const g of s.providers) {
      add(t.prov, `${date}|${g.provider}`, (v) => ({ n: (v.n ?? 0) + g.n, ok: (v.ok ?? 0) + g.ok }));
      add(t.p95, `${date}|${g.provider}`, (v) => ({ runs: [...(v.runs ?? []), g.latency_ms.p95] }));
    }
  }
  return t;
}

const close = (a, b, rel = 1e-9) => Math.abs(a - b) <= 1e-12 + rel * Math.abs(b);
const day = (d) => (d instanceof Date ? d.toISOString().slice(0, 10) : String(d).slice(0, 10));
const addDays = (d, n) => new Date(Date.parse(d) + n * 86400e3).toISOString().slice(0, 10);
const num = (x) => (x === null || x === undefined ? null : Number(x));

// sameKeys fails unless the query answered exactly the keys of want.
function sameKeys(name, got, want) {
  const missing = [...want.keys()].filter((k) => !got.has(k));
  const extra = [...got.keys()].filter((k) => !want.has(k));
  if (missing.length || extra.length) fail(`${name}: missing ${missing.slice(0, 3)}, unexpected ${extra.slice(0, 3)} (of ${want.size})`);
}

function checkHistory(rows, t) {
  const [{ n, runs }] = rows;
  if (Number(n) !== t.rows) fail(`history: ${n} rows, the summaries say ${t.rows}`);
  if (Number(runs) !== expect.runs.length) fail(`history: ${runs} (date, run_id) partitions, want ${expect.runs.length}`);
}

function checkCost(rows, t) {
  const got = new Map(rows.map((r) => [`${day(r.date)}|${r.tag}`, r]));
  sameKeys('cost per tag per day', got, t.cost);
  for (const [k, want] of t.cost) {
    const r = got.get(k);
    if (r && (!close(num(r.cost_usd), want.usd) || Number(r.results) !== want.n)) {
      fail(`cost per tag per day ${k}: $${r.cost_usd} over ${r.results}, summary.json says $${want.usd} over ${want.n}`);
    }
  }
}

function checkDrift(rows, t) {
  const got = new Map(rows.map((r) => [`${day(r.date)}|${r.provider}|${r.suite}`, r]));
  sameKeys('drift', got, t.sp);
  const rate = (k) => (t.sp.has(k) ? t.sp.get(k).pass / t.sp.get(k).n : null);
  for (const [k, want] of t.sp) {
    const r = got.get(k);
    if (!r) continue;
    const [d, p, s] = k.split('|');
    const before = rate(`${addDays(d, -7)}|${p}|${s}`);
    const change = before === null ? null : rate(k) - before;
    if (!close(num(r.pass_rate), rate(k)) || !close(num(r.mean_score), want.score / want.n)) {
      fail(`drift ${k}: pass rate ${r.pass_rate}, score ${r.mean_score}; summary.json says ${rate(k)}, ${want.score / want.n}`);
    }
    const gotChange = num(r.pass_rate_vs_week_ago);
    if ((gotChange === null) !== (change === null) || (change !== null && !close(gotChange, change))) {
      fail(`drift ${k}: change vs a week ago ${gotChange}, want ${change}`);
    }
  }
}

function checkAlerts(rows) {
  const { provider, suite, date } = expect.degraded;
  const want = [0, 1, 2, 3, 4, 5, 6].map((i) => `${addDays(date, i)}|${provider}|${suite}`);
  const got = rows.map((r) => `${day(r.date)}|${r.provider}|${r.suite}`);
  if (got.join(',') !== want.join(',')) fail(`drift alerts: ${got}, want the 7 days from ${date} of ${provider} ${suite} only`);
}

function checkErrors(rows, t) {
  const got = new Map(rows.map((r) => [`${day(r.date)}|${r.provider}`, r]));
  sameKeys('error rate per provider per day', got, t.prov);
  for (const [k, want] of t.prov) {
    const r = got.get(k);
    if (r && (!close(num(r.error_rate), (want.n - want.ok) / want.n) || Number(r.errors) !== want.n - want.ok)) {
      fail(`error rate ${k}: ${r.errors} errors, rate ${r.error_rate}; summary.json says ${want.n - want.ok} of ${want.n}`);
    }
  }
  const mine = rows.filter((r) => r.provider === expect.spike.provider).sort((a, b) => num(b.error_rate) - num(a.error_rate));
  if (day(mine[0].date) !== expect.spike.date || !(num(mine[0].error_rate) > 2 * num(mine[1].error_rate))) {
    fail(`error rate: ${expect.spike.provider}'s worst day is ${day(mine[0].date)} (${mine[0].error_rate}), want ${expect.spike.date} standing out`);
  }
}

// checkP95 checks each day's p95 against the day's answered latencies
// (DuckDB's quantile_disc: the k-th smallest, k = ceil(0.95 n)),
// and each run's summary.json p95 against that run's (HDR's nearest rank,
// k = round(0.95 n), to 3 significant figures).
async function checkP95(rows, t) {
  const got = new Map(rows.map((r) => [`${day(r.date)}|${r.provider}`, r]));
  sameKeys('p95 latency per provider per day', got, t.p95);
  const sorted = `list(latency_ms ORDER BY latency_ms) AS ls FROM history WHERE error_class = '' GROUP BY ALL`;
  for (const r of await run(`SELECT date, provider, ${sorted}`)) {
    const k = `${day(r.date)}|${r.provider}`;
    const want = num(r.ls[Math.max(1, Math.ceil(0.95 * r.ls.length)) - 1]);
    if (num(got.get(k)?.p95_latency_ms) !== want) fail(`p95 ${k}: ${got.get(k)?.p95_latency_ms} ms, the day's latencies give ${want}`);
  }
  const byRun = new Map(summaries.map((x) => [x.run_id, x.s]));
  for (const r of await run(`SELECT run_id, provider, ${sorted}`)) {
    const n = r.ls.length;
    const want = num(r.ls[Math.min(n, Math.max(1, Math.floor(0.95 * n + 0.5))) - 1]);
    const p95 = byRun.get(r.run_id).providers.find((p) => p.provider === r.provider).latency_ms.p95;
    if (!close(p95, want, 0.001)) fail(`p95 of run ${r.run_id} ${r.provider}: summary.json says ${p95}, its latencies give ${want}`);
  }
  const { provider, date } = expect.slow;
  const [before, after] = [got.get(`${addDays(date, -1)}|${provider}`), got.get(`${date}|${provider}`)];
  const ratio = num(after?.p95_latency_ms) / num(before?.p95_latency_ms);
  if (!(ratio > 1.9 && ratio < 2.1)) fail(`p95: ${provider} on ${date} is ${ratio}x the day before, want 2x`);
}

const checks = {
  'history': [checkHistory, `SELECT count(*) AS n, count(DISTINCT (date, run_id)) AS runs FROM history`],
  'cost per tag per day': [checkCost],
  'drift': [checkDrift],
  'drift alerts': [checkAlerts],
  'error rate per provider per day': [checkErrors],
  'p95 latency per provider per day': [checkP95],
};

const qs = queries(readFileSync(readmePath, 'utf8'));
for (const name of Object.keys(checks)) if (!qs.has(name)) fail(`README.md has no "${name}" query`);
for (const name of qs.keys()) if (!checks[name]) fail(`README.md's "${name}" query is not checked here: add its check`);

process.chdir(dir); // the queries read runs/ from where they run
const db = await DuckDBInstance.create(':memory:');
const con = await db.connect();
const run = async (sql) => {
  let rows = [];
  // One statement at a time: a block may create a view, then query it.
  for (const stmt of sql.split(/;\s*(?:\n|$)/).map((s) => s.trim()).filter((s) => s && !/^(--[^\n]*\n?)*$/.test(s))) {
    rows = (await con.runAndReadAll(stmt)).getRowObjectsJS();
  }
  return rows;
};
const t = truth();
for (const [name, [check, extra]] of Object.entries(checks)) {
  if (!qs.has(name)) continue;
  let rows = await run(qs.get(name));
  if (extra) rows = await run(extra);
  if (!rows.length) fail(`${name}: no rows`);
  else await check(rows, t);
  console.log(`history: ${name}: ${rows.length} rows checked`);
}
if (problems.length) {
  console.error(`history queries (${readmePath}):\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
console.log(`history: DuckDB ran the README's ${qs.size} queries over ${expect.runs.length} runs; every answer matches the runs' summary.json`);
