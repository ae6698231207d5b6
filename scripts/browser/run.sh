#!/usr/bin/env bash
# Browser tests of report.html: opens a demo report and a report of hostile
# outputs from disk in Debian's headless Chromium and checks them (see
# check.mjs). Installs what it needs: Debian's chromium when
# /usr/bin/chromium is missing, and playwright-core from npm. Writes the
# screenshots to out/browser/ at 1440 px wide: report.png (the whole
# page), report-top.png (its first screen), report-case.png (an opened
# case).
set -euo pipefail
cd "$(dirname "$0")/../.."
if [ ! -x /usr/bin/chromium ]; then
	sudo=""
	[ "$(id -u)" -eq 0 ] || sudo=sudo
	echo "browser tests: installing Debian's chromium" >&2
	$sudo apt-get update -qq
	$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi
(cd scripts/browser && { [ -d node_modules/playwright-core ] || npm ci --no-audit --no-fund --silent; })
[ -x bin/parity ] || go build -o bin/parity ./cmd/parity
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
./bin/parity demo --out "$tmp/demo" --quiet >/dev/null
go run ./scripts/browser/hostile "$tmp/hostile"
mkdir -p out/browser
node scripts/browser/check.mjs "$tmp/demo" "$tmp/hostile" out/browser
