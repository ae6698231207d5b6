#!/usr/bin/env bash
# A Parquet reader that is not ours (DuckDB, from npm) reads the results of
# a demo run: the documented columns and exactly cases x providers x repeats
# rows. Installs its own dependencies; needs node and npm.
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
./bin/parity demo --out "$out" --suites suites/examples --repeat 2 --quiet >/dev/null
expected=$(./bin/parity validate --config parity.yaml --suites suites/examples --repeat 2 | sed -n 's/^ok: .*: a run produces \([0-9]*\) results.*/\1/p')
(cd scripts/interop && { [ -d node_modules/@duckdb/node-api ] || npm ci --no-audit --no-fund --silent; })
node scripts/interop/check.mjs "$out/results.parquet" "$expected"
