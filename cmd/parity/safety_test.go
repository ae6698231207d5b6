package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/parity-eval/parity/fixtures"
	"github.com/parity-eval/parity/report"
	"github.com/parity-eval/parity/results"
	"github.com/parity-eval/parity/suites"
)

// TestKeyNeverWritten runs with a key that one provider accepts and one
// rejects (so error messages are written) and checks the key appears in
// no output file, no stdout and no stderr.
func TestKeyNeverWritten(t *testing.T) {
	t.Parallel()
	const secret = "sk-live-DO-NOT-LEAK-4242"
	ss, err := suites.Load(classifySuite)
	if err != nil {
		t.Fatal(err)
	}
	_, hs := simulate(t, []string{classifySuite}, fixtures.Profiles(
		fixtures.Profile{ID: "good", Quality: map[string]float64{fixtures.AnyTag: 1}, APIKey: secret},
		fixtures.Profile{ID: "strict", Quality: map[string]float64{fixtures.AnyTag: 1}, APIKey: "another-key"},
	))
	dir := t.TempDir()
	cfg := writeConfig(t, dir, `providers:
  - {id: good, base_url: URL/good/v1, model: m, api_key_env: TEST_KEY}
  - {id: strict, base_url: URL/strict/v1, model: m, api_key_env: TEST_KEY}
`, hs.URL)
	out := filepath.Join(dir, "out")
	code, stdout, stderr := cli(t, map[string]string{"TEST_KEY": secret}, "run", "--config", cfg,
		"--suites", classifySuite, "--out", out, "--quiet")
	if code != ExitProviderFailed { // strict refuses the key: every row is auth
		t.Fatalf("exit %d: %s", code, stderr)
	}
	rows := readRows(t, out)
	auth := 0
	for _, r := range rows {
		if r.Provider == "strict" && r.ErrorClass == "auth" {
			auth++
		}
	}
	if auth != ss[0].Cases.Len() {
		t.Fatalf("%d auth failures, want %d: the test must exercise error messages", auth, ss[0].Cases.Len())
	}
	for name, text := range map[string]string{"stdout": stdout, "stderr": stderr} {
		if strings.Contains(text, secret) {
			t.Errorf("the key is in %s", name)
		}
	}
	for _, name := range []string{results.FileName, report.SummaryFile, report.ReportFile, report.RulesFile} {
		data, err := os.ReadFile(filepath.Join(out, name))
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(data), secret) {
			t.Errorf("the key is in %s", name)
		}
	}
}

// TestTimeoutKeepsWhatFinished stops a run midway (--timeout takes the same
// path as Ctrl-C) and checks the outputs are written, readable, and say the
// run is incomplete.
func TestTimeoutKeepsWhatFinished(t *testing.T) {
	t.Parallel()
	_, hs := simulate(t, []string{classifySuite}, fixtures.Profiles(
		fixtures.Profile{ID: "fast", Quality: map[string]float64{fixtures.AnyTag: 1}},
		fixtures.Profile{ID: "slow", Quality: map[string]float64{fixtures.AnyTag: 1}, Latency: time.Hour},
	))
	dir := t.TempDir()
	cfg := writeConfig(t, dir, "providers:\n  - {id: fast, base_url: URL/fast/v1, model: m}\n  - {id: slow, base_url: URL/slow/v1, model: m}\n", hs.URL)
	out := filepath.Join(dir, "out")
	code, _, stderr := cli(t, nil, "run", "--config", cfg,
		"--suites", classifySuite, "--out", out, "--quiet", "--timeout", "1s")
	if code != ExitInterrupted || !strings.Contains(stderr, "interrupted: 11 of 22 results finished") {
		t.Fatalf("exit %d, want %d: %s", code, ExitInterrupted, stderr)
	}
	rows := readRows(t, out)
	if len(rows) != 11 {
		t.Errorf("%d rows, want the 11 of the fast provider", len(rows))
	}
	for _, r := range rows {
		if r.Provider != "fast" || !r.Pass {
			t.Errorf("row %s/%s: pass %v %s", r.Provider, r.CaseID, r.Pass, r.ErrorClass)
		}
	}
	data, err := os.ReadFile(filepath.Join(out, report.SummaryFile))
	if err != nil {
		t.Fatal(err)
	}
	var sum struct {
		Complete bool `json:"complete"`
		Planned  int  `json:"planned"`
		Done     int  `json:"done"`
	}
	if err := json.Unmarshal(data, &sum); err != nil {
		t.Fatal(err)
	}
	if sum.Complete || sum.Planned != 22 || sum.Done != 11 {
		t.Errorf("summary %+v: want incomplete, 11 of 22", sum)
	}
}
