#!/usr/bin/env bash
# The README's History queries, run as written with DuckDB (from npm, the
# install scripts/interop.sh uses) over a simulated month of nightlies:
# scripts/history/nightly writes 60 runs with parity's report writer,
# `parity publish` files them into a hive layout, and
# scripts/interop/history.mjs checks every answer against the runs'
# summary.json. Needs node and npm.
set -euo pipefail
cd "$(dirname "$0")/../.."
[ -x bin/parity ] || go build -o bin/parity ./cmd/parity
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
go run ./scripts/history/nightly "$tmp"
./bin/parity publish --history "$tmp/runs" "$tmp"/out/* >/dev/null
(cd scripts/interop && { [ -d node_modules/@duckdb/node-api ] || npm ci --no-audit --no-fund --silent; })
node scripts/interop/history.mjs README.md "$tmp"
