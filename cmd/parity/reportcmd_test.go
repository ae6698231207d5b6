package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/parity-eval/parity/fixtures"
	"github.com/parity-eval/parity/report"
)

// TestReportReproducesTheRun: `parity report` on a run of the demo's
// suites (chat, vision, tools, images) from its results file alone (no
// config, no suites) writes exactly the summary.json the run wrote, the
// same rules.yaml, and a report.html; over two runs it reports their rows
// together under both run ids.
func TestReportReproducesTheRun(t *testing.T) {
	t.Parallel()
	suitesArg := "../../suites/examples,../../suites/examples/capabilities"
	_, hs := simulate(t, []string{"../../suites/examples", "../../suites/examples/capabilities"}, fixtures.Profiles(fastProfiles()...), fixtures.Seed(3))
	env := map[string]string{"PARITY_FIXTURES": hs.URL, "SOURCE_DATE_EPOCH": "1767225600"}
	run := func(id string) string {
		out := filepath.Join(t.TempDir(), id)
		if code, _, stderr := cli(t, env, "run", "--config", "../../parity.yaml", "--suites", suitesArg,
			"--out", out, "--quiet", "--no-cache", "--run-id", id); code != ExitOK {
			t.Fatalf("run %s: exit %d: %s", id, code, stderr)
		}
		return out
	}
	one := run("one")
	again := filepath.Join(t.TempDir(), "again")
	code, stdout, stderr := cli(t, env, "report", "--out", again, one)
	if code != ExitOK || !strings.Contains(stdout, "summary  "+filepath.Join(again, report.SummaryFile)) {
		t.Fatalf("report: exit %d\n%s\n%s", code, stdout, stderr)
	}
	want, got := mustRead(t, filepath.Join(one, report.SummaryFile)), mustRead(t, filepath.Join(again, report.SummaryFile))
	if got != want {
		t.Errorf("summary.json differs from the run's:\n%s", firstDiff(want, got))
	}
	stamp := regexp.MustCompile(`(?m)^generated_at: .*$`) // the run's clock, then this command's
	if w, g := stamp.ReplaceAllString(mustRead(t, filepath.Join(one, report.RulesFile)), ""), stamp.ReplaceAllString(mustRead(t, filepath.Join(again, report.RulesFile)), ""); w != g {
		t.Errorf("rules.yaml differs from the run's:\n%s", firstDiff(w, g))
	}
	if html := mustRead(t, filepath.Join(again, report.ReportFile)); !strings.Contains(html, "sim-frontier") {
		t.Error("report.html names no provider")
	}

	// Two runs: their rows together, both run ids.
	two := run("two")
	both := filepath.Join(t.TempDir(), "both")
	if code, _, stderr := cli(t, env, "report", one, two, "--out", both); code != ExitOK {
		t.Fatalf("report of two runs: exit %d: %s", code, stderr)
	}
	var s1, s2 struct {
		RunID string `json:"run_id"`
		Done  int    `json:"done"`
	}
	if err := json.Unmarshal([]byte(want), &s1); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal([]byte(mustRead(t, filepath.Join(both, report.SummaryFile))), &s2); err != nil {
		t.Fatal(err)
	}
	if s2.RunID != "one+two" || s2.Done != 2*s1.Done {
		t.Errorf("two runs: run id %q, %d rows; want one+two, %d", s2.RunID, s2.Done, 2*s1.Done)
	}

	// Bad input: no --out, an --out holding an input, a file that is not results.
	notParquet := filepath.Join(t.TempDir(), "x.parquet")
	if err := os.WriteFile(notParquet, []byte("PAR1 not really"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"report", one}, {"report", "--out", one, one}, {"report", "--out", t.TempDir(), notParquet}} {
		if code, _, stderr := cli(t, env, args...); code != ExitUsage {
			t.Errorf("%v: exit %d: %s", args, code, stderr)
		}
	}
}

// firstDiff shows the first line where two texts differ.
func firstDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := range min(len(w), len(g)) {
		if w[i] != g[i] {
			return fmt.Sprintf("line %d:\nwant %s\ngot  %s", i+1, w[i], g[i])
		}
	}
	return fmt.Sprintf("%d lines against %d", len(w), len(g))
}
