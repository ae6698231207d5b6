# parity: `make demo` runs the example suites on simulated providers,
# `make test` runs every test. Nothing here needs an API key or the internet
# beyond the Go module proxy and the npm registry.

GO         ?= go
BIN        := bin/parity
STATICCHECK_VERSION := v0.8.2

.PHONY: all build demo test unit simulate lint ci-lint interop test-history junit-xsd test-browser test-portkey bench bench-slow fuzz clean

all: build

build:
	$(GO) build -buildvcs=auto -o $(BIN) ./cmd/parity

## demo: run the example suites against the built-in simulated providers.
demo: build
	./$(BIN) demo --out out/demo

## test: formatting, vet, staticcheck, the unit and end-to-end tests (with
## the race detector), a Parquet read-back by DuckDB, and the report in a
## headless browser, and the shipped nightly setups under their linters.
test: lint ci-lint unit simulate interop junit-xsd test-browser test-portkey

unit:
	$(GO) test -race -count=1 ./...

## simulate: the tests the race detector would distort, run without it:
## the gate's error rates by simulation at the sizes users run (4 suites
## x 200 cases, 200 repetitions: pure arithmetic, //go:build !race), and
## the allocation guards that count encoding/json's, parquet-go's and the
## runner's pooled buffers (-race empties sync.Pools at random).
simulate:
	$(GO) test -count=1 -run 'TestProfile|TestSequentialProfile' -v ./gate
	$(GO) test -count=1 -run 'Allocs' ./judges ./report ./results ./routing ./runner

lint:
	@unformatted=$$(gofmt -l $$(git ls-files '*.go')); \
	if [ -n "$$unformatted" ]; then echo "gofmt needed:"; echo "$$unformatted"; exit 1; fi
	$(GO) vet ./...
	$(GO) run honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK_VERSION) ./...

## ci-lint: the shipped nightly setups under their ecosystems' linters:
## .github/workflows/parity-nightly.yml with actionlint (and shellcheck,
## Debian's, installed when missing), deploy/kubernetes/*.yaml with
## kubeconform -strict against schemas generated offline from the pinned
## k8s.io/kubernetes module's OpenAPI spec (scripts/kubeschema); then
## broken copies of both must be refused.
ci-lint:
	./scripts/ci-lint.sh

## junit-xsd: the gate's JUnit against the Jenkins xunit junit-10.xsd
## (gate/testdata/) with xmllint (Debian's libxml2-utils, installed when
## missing); fails rather than skips without it.
junit-xsd:
	./scripts/junit-xsd.sh

## test-portkey: the Portkey export in the real open-source gateway
## (@portkey-ai/gateway from npm, pinned in scripts/portkey), on loopback:
## each tag reaches its primary, dead and 503 primaries fall back, and a
## split's weights show over 300 requests.
test-portkey:
	./scripts/portkey/run.sh

## interop: DuckDB (not our code) reads the demo's results.parquet, and
## runs the README's History queries (test-history).
interop: build
	./scripts/interop.sh
	./scripts/history/run.sh

## test-history: the README's History queries, as written, run by DuckDB
## over a simulated month of nightlies published by parity publish (60
## runs in date=/run_id= partitions), each answer checked against the
## runs' summary.json.
test-history: build
	./scripts/history/run.sh

## test-browser: report.html in Debian's headless Chromium (installed when
## missing): no console error, sorting, the drill-down, hostile outputs
## that run nothing; screenshots in out/browser/.
test-browser: build
	./scripts/browser/run.sh

## bench: every benchmark, longer than the test suite allows: those of
## each package, then bench-slow's, which print what issue 14 asks of a
## run (the ratios to the in-run ceiling at 50,000 and at 200,000
## distinct results, peak RSS over 200,000 cases and 1,000,000 results,
## connections per provider).
bench:
	$(GO) test -run '^$$' -bench . -skip '^BenchmarkSlow' -benchmem ./...
	$(MAKE) bench-slow

## bench-slow: the benchmarks that take minutes: parity's throughput over
## 200,000 distinct results as a ratio of the in-run ceiling, its peak
## RSS (a child process of its own) over 200,000 distinct cases and over
## 1,000,000 results, and parity merge of a 1,000,000-result nightly over
## 8 shards (time, peak memory).
bench-slow:
	$(GO) test -run '^$$' -bench '^BenchmarkSlow' -benchtime 1x -benchmem -timeout 30m ./cmd/parity

## fuzz: each parser's fuzz target for a while.
FUZZTIME ?= 30s
fuzz:
	$(GO) test ./suites -run '^$$' -fuzz FuzzParseSuite -fuzztime $(FUZZTIME)
	$(GO) test ./suites -run '^$$' -fuzz FuzzExpand -fuzztime $(FUZZTIME)
	$(GO) test ./suites -run '^$$' -fuzz FuzzLoadConfig -fuzztime $(FUZZTIME)
	$(GO) test ./suites -run '^$$' -fuzz FuzzReadCases -fuzztime $(FUZZTIME)
	$(GO) test ./suites -run '^$$' -fuzz FuzzDecodeCase -fuzztime $(FUZZTIME)
	$(GO) test ./judges -run '^$$' -fuzz FuzzParseJudge -fuzztime $(FUZZTIME)
	$(GO) test ./fixtures -run '^$$' -fuzz FuzzParseJudge -fuzztime $(FUZZTIME)
	$(GO) test ./routing -run '^$$' -fuzz FuzzParseCanaryGate -fuzztime $(FUZZTIME)
	$(GO) test ./runner -run '^$$' -fuzz FuzzDecodeChunk -fuzztime $(FUZZTIME)
	$(GO) test ./judges -run '^$$' -fuzz FuzzValidate -fuzztime $(FUZZTIME)
	$(GO) test ./shard -run '^$$' -fuzz FuzzParse -fuzztime $(FUZZTIME)

clean:
	rm -rf bin out
