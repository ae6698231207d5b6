package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/parity-eval/parity/cmd/parity/internal/resume"
	"github.com/parity-eval/parity/fixtures"
)

// TestResumeRestoresSettings interrupts a `--no-cache --cache-dir X` run
// (at its budget) and resumes it from a shell whose default cache holds
// every answer of an earlier run: the resumed half sends what the
// journal lacks and answers nothing from that cache, because run.json
// restored the cache settings, the budget and the rest. Flags that
// would change a recorded setting are refused; --config naming the same
// inputs is accepted, and a changed config is refused naming what
// changed.
func TestResumeRestoresSettings(t *testing.T) {
	t.Parallel()
	srv, cfg, out := twoProviders(t, always, "{concurrency: 2}")
	shell := map[string]string{"PARITY_CACHE_DIR": t.TempDir()}
	base := []string{"run", "--config", cfg, "--suites", classifySuite, "--quiet", "--repeat", "3"}
	// An older run fills the default cache with every answer.
	if code, _, stderr := cli(t, shell, append(base, "--out", out+"-old")...); code != ExitOK {
		t.Fatalf("the older run: exit %d: %s", code, stderr)
	}
	x := filepath.Join(t.TempDir(), "x")
	code, _, stderr := cli(t, shell, append(base, "--out", out, "--no-cache", "--cache-dir", x, "--cache-ttl", "5h", "--max-cost", "0.002", "--gate", "b", "--gate-margin", "0.1", "--gate-mode", "nightly")...)
	if code != ExitInterrupted {
		t.Fatalf("the budgeted run: exit %d: %s", code, stderr)
	}
	m, err := resume.Read(out)
	if err != nil {
		t.Fatal(err)
	}
	if s := m.Settings; s == nil || !s.NoCache || s.CacheDir != x || s.CacheTTL != resume.Duration(5*60*60e9) || s.MaxCost != 0.002 || s.Gate != "b" || s.GateMargin != 0.1 || s.GateMode != "nightly" {
		t.Fatalf("run.json records %+v", m.Settings)
	}
	sent := len(srv.Requests())
	journaled := countLines(filepath.Join(out, "journal.jsonl"))

	other := writeConfig(t, t.TempDir(), strings.ReplaceAll(mustRead(t, cfg), "model: m, price", "model: m2, price"), "")
	for _, tt := range []struct {
		name string
		args []string
		want string
	}{
		{"another cache", []string{"--cache-dir", t.TempDir()}, "drop --cache-dir ("},
		{"the cache on", []string{"--no-cache=false"}, "drop --no-cache (false; the run's is true)"},
		{"another gate", []string{"--gate", "a"}, "drop --gate (a; the run's is b)"},
		{"another gate mode", []string{"--gate-mode", "migration"}, "drop --gate-mode (migration; the run's is nightly)"},
		{"another model", []string{"--config", other}, "(provider a changed, provider b changed)"},
	} {
		code, _, stderr := cli(t, shell, append([]string{"run", "--resume", "--out", out, "--quiet"}, tt.args...)...)
		if code != ExitUsage || !strings.Contains(stderr, tt.want) {
			t.Errorf("%s: exit %d: %s", tt.name, code, stderr)
		}
	}
	if len(srv.Requests()) != sent {
		t.Fatal("a refused resume sent requests")
	}
	// The same config, named again, is accepted; a larger budget goes on.
	code, stdout, stderr := cli(t, shell, "run", "--resume", "--out", out, "--quiet", "--config", cfg, "--suites", classifySuite, "--max-cost", "0")
	// The gate's verdict is noise here: that it ran, in the run's nightly
	// mode (so never exit 5), is the point.
	if code != ExitOK && (code != ExitFailed || !strings.Contains(stderr, "gate failed: b ")) {
		t.Fatalf("resume: exit %d: %s", code, stderr)
	}
	rows := readRows(t, out)
	assertOneRowEach(t, rows, 11*2*3)
	for _, r := range rows {
		if r.Cached {
			t.Fatalf("%s was answered from a cache the run did not use", rowKey(r))
		}
	}
	if n := srv.Count("", fixtures.EndpointChat) - sent; n != 66-journaled {
		t.Errorf("the resumed half sent %d requests, want the %d the journal lacked", n, 66-journaled)
	}
	if _, err := os.Stat(x); err == nil {
		t.Errorf("--no-cache stored answers in %s", x)
	}
	if !strings.Contains(stdout, "gate ") {
		t.Errorf("the resumed run did not gate b as the run asked:\n%s", stdout)
	}
}

func mustRead(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
