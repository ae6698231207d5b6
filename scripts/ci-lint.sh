#!/usr/bin/env bash
# ci-lint: the shipped nightly setups checked by their ecosystems' linters.
#
# - .github/workflows/parity-nightly.yml with actionlint (its expressions,
#   contexts and types, untrusted input in scripts, and each run: script
#   with shellcheck), once as written (actions pinned to commits) and once
#   with each pin rewritten to its major tag (`@SHA # v6.1.0` -> `@v6`),
#   the form actionlint knows the actions' inputs for.
# - deploy/kubernetes/*.yaml with kubeconform -strict (no field the API
#   does not define), as written and with ${RUN_ID} filled in as the
#   documented envsubst does. kubeconform's schemas cannot be downloaded
#   here: scripts/kubeschema generates them from the Kubernetes OpenAPI spec
#   (api/openapi-spec/swagger.json) of the k8s.io/kubernetes module, at the
#   pinned version and checksum below, through the Go module proxy.
#
# Then a self-check: deliberately broken copies of both must fail, each
# with the message expected, so a linter that silently checks nothing
# (shellcheck missing, a schema that allows anything) fails this script.
# Both tools run with `go run` at pinned versions; shellcheck is Debian's
# package, installed when missing.
set -euo pipefail
cd "$(dirname "$0")/.."

ACTIONLINT=github.com/rhysd/actionlint/cmd/actionlint@v1.7.12
KUBECONFORM=github.com/yannh/kubeconform/cmd/kubeconform@v0.8.0
KUBERNETES=k8s.io/kubernetes@v1.37.2
KUBERNETES_SUM=h1:A2VDEiObzkYqFTKhSsn0ZEb0RlLEXpHWj93gi2HqEwE=
WORKFLOW=.github/workflows/parity-nightly.yml
MANIFESTS=deploy/kubernetes
RUN_ID=nightly-20261201-0317

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

if ! command -v shellcheck >/dev/null; then
	sudo=""
	[ "$(id -u)" -eq 0 ] || sudo=sudo
	echo "ci-lint: installing Debian's shellcheck (actionlint checks run: scripts with it)" >&2
	$sudo apt-get update -qq
	$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq shellcheck >/dev/null
fi

# actionlint FILE: the workflow as written, then with major-tag pins
# (the copy is kept as $tmp/major.yml for the self-check).
actionlint() {
	go run "$ACTIONLINT" -shellcheck shellcheck "$1" &&
		sed -E 's/@[0-9a-f]{40} # (v[0-9]+)[.0-9]*$/@\1/' "$1" >"$tmp/major.yml" &&
		go run "$ACTIONLINT" -shellcheck shellcheck "$tmp/major.yml"
}

# schemas: kubeconform's schemas for the kinds the manifests use, in
# $tmp/schemas, from the pinned Kubernetes module's OpenAPI spec.
schemas() {
	local info dir sum
	info=$(cd "$tmp" && go mod download -json "$KUBERNETES")
	dir=$(sed -n 's/^\t"Dir": "\(.*\)",$/\1/p' <<<"$info")
	sum=$(sed -n 's/^\t"Sum": "\(.*\)",$/\1/p' <<<"$info")
	if [ "$sum" != "$KUBERNETES_SUM" ]; then
		echo "ci-lint: $KUBERNETES has checksum '$sum', want $KUBERNETES_SUM" >&2
		return 1
	fi
	go run ./scripts/kubeschema -spec "$dir/api/openapi-spec/swagger.json" -out "$tmp/schemas" "$MANIFESTS"/*.yaml
}

# kubeconform PATH...: strict validation against the generated schemas.
kubeconform() {
	go run "$KUBECONFORM" -strict -summary \
		-schema-location "$tmp/schemas/{{ .ResourceKind }}{{ .KindSuffix }}.json" "$@"
}

# broken SRC DST SED-SCRIPT: DST is SRC edited, and the edit changed it.
broken() {
	sed -E "$3" "$1" >"$2"
	if cmp -s "$1" "$2"; then
		echo "ci-lint: self-check: the edit '$3' did not change $1" >&2
		return 1
	fi
}

# fails WANT COMMAND...: COMMAND fails, saying WANT.
fails() {
	local want=$1 out
	shift
	if out=$("$@" 2>&1); then
		echo "ci-lint: self-check: '$*' passed a broken file" >&2
		return 1
	fi
	if ! grep -qF -- "$want" <<<"$out"; then
		printf 'ci-lint: self-check: %s failed, but not with %s:\n%s\n' "$*" "$want" "$out" >&2
		return 1
	fi
	echo "ci-lint: self-check: broken copy refused ($want)"
}

echo "ci-lint: shellcheck scripts/ci-lint.sh"
shellcheck scripts/ci-lint.sh
echo "ci-lint: actionlint $WORKFLOW"
actionlint "$WORKFLOW"

echo "ci-lint: kubeconform -strict $MANIFESTS"
schemas
mkdir -p "$tmp/rendered"
for f in "$MANIFESTS"/*.yaml; do
	sed "s/\${RUN_ID}/$RUN_ID/g" "$f" >"$tmp/rendered/$(basename "$f")"
done
kubeconform "$MANIFESTS" "$tmp/rendered"

# self_check: each deliberately broken copy is refused with its message.
# shellcheck disable=SC2016 # the sed scripts name $ and ${{ }} literally
self_check() {
	local w=$WORKFLOW m=$MANIFESTS/parity-nightly.yaml
	broken "$w" "$tmp/typo.yml" 's/\$\{\{ matrix\.index \}\}$/${{ matrix.indx }}/'
	fails 'property "indx" is not defined' go run "$ACTIONLINT" "$tmp/typo.yml"
	broken "$w" "$tmp/inject.yml" '$a\      - run: echo "${{ github.event.pull_request.title }}"'
	fails 'is potentially untrusted' go run "$ACTIONLINT" "$tmp/inject.yml"
	broken "$w" "$tmp/quote.yml" 's/>> "\$GITHUB_STEP_SUMMARY"$/>> $GITHUB_STEP_SUMMARY/'
	fails 'SC2086' go run "$ACTIONLINT" -shellcheck shellcheck "$tmp/quote.yml"
	broken "$tmp/major.yml" "$tmp/input.yml" 's/if-no-files-found: error/if-no-file-found: error/'
	fails 'input "if-no-file-found" is not defined' go run "$ACTIONLINT" "$tmp/input.yml"
	broken "$m" "$tmp/field.yaml" 's/^  parallelism: 4$/  parallelizm: 4/'
	fails "additional properties 'parallelizm' not allowed" kubeconform "$tmp/field.yaml"
	broken "$m" "$tmp/type.yaml" 's/^  completions: 4$/  completions: four/'
	fails 'got string, want integer' kubeconform "$tmp/type.yaml"
	broken "$m" "$tmp/nested.yaml" 's/^( *)readOnlyRootFilesystem: true$/\1readOnlyRootFileSystem: true/'
	fails "additional properties 'readOnlyRootFileSystem' not allowed" kubeconform "$tmp/nested.yaml"
}

echo "ci-lint: self-check on broken copies"
self_check
echo "ci-lint: ok"
