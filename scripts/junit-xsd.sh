#!/usr/bin/env bash
# Validates the gate's JUnit XML against the Jenkins xunit plugin's
# junit-10.xsd (vendored in gate/testdata/) with xmllint: runs
# TestJUnitXSD with PARITY_REQUIRE_XMLLINT=1, so it fails rather than
# skips. Installs what it needs: Debian's libxml2-utils when xmllint is
# missing.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v xmllint >/dev/null; then
	sudo=""
	[ "$(id -u)" -eq 0 ] || sudo=sudo
	echo "junit-xsd: installing Debian's libxml2-utils (xmllint)" >&2
	$sudo apt-get update -qq
	$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libxml2-utils >/dev/null
fi
PARITY_REQUIRE_XMLLINT=1 go test -count=1 -run '^TestJUnitXSD$' -v ./gate
