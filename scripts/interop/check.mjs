// Reads results.parquet with DuckDB and checks the documented columns, the
// row count (cases x providers x repeats) and one row per key.
// usage: node check.mjs RESULTS.parquet EXPECTED_ROWS
import { DuckDBInstance } from '@duckdb/node-api';

const [file, expected] = process.argv.slice(2);
const want = [
  'run_id', 'suite', 'case_id', 'tags', 'provider', 'model', 'repeat', 'output', 'error',
  'error_class', 'latency_ms', 'ttft_ms', 'input_tokens', 'output_tokens', 'cost_usd',
  'similarity', 'json_valid', 'judge_score', 'score', 'pass', 'attempts', 'metadata',
  'truncated',
];
const db = await DuckDBInstance.create(':memory:');
const con = await db.connect();
const q = async (sql) => (await con.runAndReadAll(sql)).getRowObjectsJS();
const src = `read_parquet('${file.replaceAll("'", "''")}')`;

const cols = (await q(`DESCRIBE SELECT * FROM ${src}`)).map((r) => r.column_name);
const missing = want.filter((c) => !cols.includes(c));
const [{ n, keys }] = await q(
  `SELECT count(*) AS n, count(DISTINCT (suite, case_id, provider, repeat)) AS keys FROM ${src}`);
const [{ cut }] = await q(`SELECT count(*) FILTER (WHERE truncated) AS cut FROM ${src}`);
const [{ tag }] = await q(`SELECT tags[1] AS tag FROM ${src} LIMIT 1`);
const [{ feature }] = await q(
  `SELECT metadata['feature'] AS feature FROM ${src} WHERE suite = 'classify-ticket' LIMIT 1`);

const problems = [];
if (missing.length) problems.push(`missing columns: ${missing.join(', ')}`);
if (Number(n) !== Number(expected)) problems.push(`${n} rows, want ${expected}`);
if (Number(keys) !== Number(n)) problems.push(`${n} rows but ${keys} distinct (suite, case, provider, repeat)`);
if (Number(cut) !== 0) problems.push(`${cut} rows truncated, want 0 (the demo's answers are short)`);
if (!tag) problems.push('tags is not a readable list');
if (feature !== 'support') problems.push(`metadata['feature'] = ${feature}, want support`);
if (problems.length) {
  console.error(`interop: ${file}:\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
console.log(`interop: DuckDB read ${n} rows, ${cols.length} columns, one row per case x provider x repeat`);
