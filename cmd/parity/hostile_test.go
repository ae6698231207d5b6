package main

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/parity-eval/parity/fixtures"
	"github.com/parity-eval/parity/runner"

	"github.com/parity-eval/parity/internal/testkit"
)

// hostileKey matches no credential shape: only its configured value
// finds it.
const hostileKey = "hostile-key-3f9a7c1e5b20d4"

// TestEchoedKeyNeverWritten runs providers that echo the request's
// Authorization header (in a 200 answer and in a 401; the 500 is
// runner's test, its retries are slow), also in pieces of a few bytes an
// event and with JSON \u escapes (a 200 and a 401), and greps every file
// under --out (gate files included), the cache directory, stdout and
// stderr for the key: none holds it.
func TestEchoedKeyNeverWritten(t *testing.T) {
	t.Parallel()
	echo := func(id string, h fixtures.Hostile) fixtures.Profile {
		p := always
		p.ID, p.Hostile = id, h
		return p
	}
	srv, hs := simulate(t, []string{classifySuite}, fixtures.Profiles(
		echo("a", fixtures.EchoKeyAnswer), echo("b", fixtures.EchoKey401), echo("c", fixtures.EchoKeySplit),
		echo("d", fixtures.EchoKeyEscaped), echo("e", fixtures.EchoKeyEscaped401)))
	dir := t.TempDir()
	var providers strings.Builder
	for _, id := range []string{"a", "b", "c", "d", "e"} {
		fmt.Fprintf(&providers, "  - {id: %s, base_url: URL/%[1]s/v1, model: m, api_key_env: HOSTILE_KEY, price: {input: 1, output: 2}}\n", id)
	}
	cfg := writeConfig(t, dir, "baseline: a\nproviders:\n"+providers.String(), hs.URL)
	out, cache := filepath.Join(dir, "out"), t.TempDir()
	vars := map[string]string{"HOSTILE_KEY": hostileKey, "PARITY_CACHE_DIR": cache}
	_, stdout, stderr := cli(t, vars, "run", "--config", cfg, "--suites", classifySuite, "--out", out, "--gate", "b")
	rows := readRows(t, out)
	if len(rows) != 55 {
		t.Errorf("%d rows, want 55", len(rows))
	}
	redacted := map[string]int{}
	for _, r := range rows {
		if strings.Contains(r.Output+r.Error, "Bearer "+runner.Redacted) {
			redacted[r.Provider]++
		}
	}
	// Every answer of a, c and d echoes; b's and e's first 401 at least
	// (a breaker may skip the rest).
	if redacted["a"] != 11 || redacted["c"] != 11 || redacted["d"] != 11 || redacted["b"] == 0 || redacted["e"] == 0 {
		t.Errorf("rows showing the echo redacted: %v, want 11 of a, c and d, some of b and e", redacted)
	}
	if got := srv.Requests()[0].Header.Get("Authorization"); got != "Bearer "+hostileKey {
		t.Fatalf("the provider got Authorization %q: the test sends no key", got)
	}
	if strings.Contains(stdout, hostileKey) || strings.Contains(stderr, hostileKey) {
		t.Errorf("the key is printed:\n%s\n%s", stdout, stderr)
	}
	for _, root := range []string{out, cache} {
		n := grepTree(t, root, hostileKey)
		if n == 0 {
			t.Errorf("no file under %s", root)
		}
	}
}

// grepTree fails t for every file under root that holds s, and returns
// how many files it read.
func grepTree(t *testing.T, root, s string) int {
	t.Helper()
	n := 0
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		n++
		if strings.Contains(string(b), s) {
			t.Errorf("%s holds the key", path)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// TestHugeAnswerRow checks one provider answering 1 GiB to every request
// leaves too_large rows, quickly, beside the other provider's answers, in a
// readable results.parquet.
func TestHugeAnswerRow(t *testing.T) {
	t.Parallel()
	huge := always
	huge.ID, huge.Hostile = "huge", fixtures.HugeAnswer
	good := always
	good.ID = "a"
	_, hs := simulate(t, []string{classifySuite}, fixtures.Profiles(good, huge))
	dir := t.TempDir()
	cfg := writeConfig(t, dir, `baseline: a
providers:
  - {id: a, base_url: URL/a/v1, model: m, price: {input: 1, output: 2}}
  - {id: huge, base_url: URL/huge/v1, model: m, price: {input: 1, output: 2}, limits: {max_response_bytes: 2097152}}
`, hs.URL)
	out := filepath.Join(dir, "out")
	start := time.Now()
	code, _, stderr := cli(t, nil, "run", "--config", cfg, "--suites", classifySuite, "--out", out, "--quiet", "--no-cache")
	if d := time.Since(start); d > time.Minute {
		t.Errorf("the run took %v", d)
	}
	rows := readRows(t, out)
	tooLarge := 0
	for _, r := range rows {
		switch {
		case r.Provider == "huge" && r.ErrorClass == runner.ClassTooLarge && r.Output == "":
			tooLarge++
		case r.Provider == "a" && r.ErrorClass == "":
		default:
			t.Errorf("%s/%s: class %q, %d bytes of output", r.Provider, r.CaseID, r.ErrorClass, len(r.Output))
		}
	}
	if len(rows) != 22 || tooLarge != 11 {
		t.Errorf("%d rows, %d too_large: want 22 and 11 (exit %d: %s)", len(rows), tooLarge, code, stderr)
	}
}

// BenchmarkHugeAnswer runs against a provider that answers 1 GiB to every
// request, at the default limits.max_response_bytes, and reports the
// process's peak RSS (Linux; the fixture server runs in the same process)
// and peak live heap. The target is under 200 MB.
func BenchmarkHugeAnswer(b *testing.B) {
	huge := always
	huge.ID, huge.Hostile = "huge", fixtures.HugeAnswer
	_, hs := simulate(b, []string{classifySuite}, fixtures.Profiles(huge))
	dir := b.TempDir()
	cfg := writeConfig(b, dir, "providers:\n  - {id: huge, base_url: URL/huge/v1, model: m, price: {input: 1, output: 2}}\n", hs.URL)
	testkit.ResetPeakRSS()
	var peak atomic.Uint64
	stop := make(chan struct{})
	go samplePeak(&peak, stop)
	b.ResetTimer()
	var out string
	for i := range b.N {
		out = filepath.Join(dir, fmt.Sprint(i))
		// Every answer is too large, so the provider failed everything:
		// that is exit 4, and the run must still be written whole.
		if code, _, stderr := cli(b, nil, "run", "--config", cfg, "--suites", classifySuite, "--out", out, "--quiet", "--no-cache"); code != ExitProviderFailed {
			b.Fatalf("exit %d, want %d: %s", code, ExitProviderFailed, stderr)
		}
	}
	b.StopTimer()
	close(stop)
	rows := readRows(b, out)
	for _, r := range rows {
		if r.ErrorClass != runner.ClassTooLarge {
			b.Fatalf("a row of class %q, want too_large", r.ErrorClass)
		}
	}
	if len(rows) != 11 {
		b.Fatalf("%d rows, want 11 in a readable results.parquet", len(rows))
	}
	b.ReportMetric(float64(peak.Load())/(1<<20), "peak-live-heap-MB")
	if rss := testkit.PeakRSS(); rss > 0 {
		b.ReportMetric(float64(rss)/(1<<20), "peak-RSS-MB")
	}
}
