#!/usr/bin/env bash
# The Portkey export against the real gateway: installs the open-source
# Portkey gateway pinned in package.json (npm ci, from the lockfile), then
# runs cmd/parity's TestPortkeyGateway with PARITY_PORTKEY_GATEWAY set, so
# that it cannot skip. The test starts the gateway on loopback (see
# preload.mjs), runs the rules suites against simulated providers, and
# sends the generated config: each tag reaches its primary, a dead or 503
# primary falls back, and a split's weights show over 300 requests.
set -euo pipefail
cd "$(dirname "$0")/../.."
dir=scripts/portkey
pinned=$(node -p "require('./$dir/package.json').dependencies['@portkey-ai/gateway']")
installed=$(node -p "try { require('./$dir/node_modules/@portkey-ai/gateway/package.json').version } catch { '' }")
if [ "$installed" != "$pinned" ]; then
	(cd "$dir" && npm ci --no-audit --no-fund --silent)
fi
entry="$PWD/$dir/node_modules/@portkey-ai/gateway/build/start-server.js"
[ -f "$entry" ] || { echo "portkey: no $entry after npm ci" >&2; exit 1; }
echo "portkey: @portkey-ai/gateway $pinned" >&2
PARITY_PORTKEY_GATEWAY="$entry" go test -count=1 -run '^TestPortkeyGateway$' -v ./cmd/parity
