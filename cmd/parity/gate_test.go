package main

import (
	"encoding/xml"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/parity-eval/parity/fixtures"
	"github.com/parity-eval/parity/internal/testkit"
	"github.com/parity-eval/parity/routing"
)

// gateProfiles are a baseline, a clone of it, and a candidate worse only
// on review (right 20% of the time instead of always).
func gateProfiles() []fixtures.Profile {
	return []fixtures.Profile{
		{ID: "sim-frontier", Model: "frontier-1", Quality: map[string]float64{fixtures.AnyTag: 1}},
		{ID: "sim-clone", Model: "clone-1", Quality: map[string]float64{fixtures.AnyTag: 1}},
		{ID: "sim-worse", Model: "worse-1", Quality: map[string]float64{fixtures.AnyTag: 1, "review": 0.2}},
	}
}

// gateResults runs the example suites against the three simulated
// providers over loopback HTTP, twice per case, into a directory of t's,
// and returns it.
func gateResults(t *testing.T) string {
	t.Helper()
	_, hs := simulate(t, []string{"../../suites/examples"}, fixtures.Profiles(gateProfiles()...), fixtures.Seed(4))
	dir := filepath.Join(t.TempDir(), "run")
	code, stdout, stderr := cli(t, map[string]string{"PARITY_FIXTURES": hs.URL},
		"run", "--config", "testdata/gate/parity.yaml", "--suites", "../../suites/examples",
		"--out", dir, "--repeat", "2", "--run-id", "gate", "--quiet")
	if code != ExitOK {
		t.Fatalf("the run for the gate failed: exit %d\n%s\n%s", code, stdout, stderr)
	}
	return dir
}

// TestGateEndToEnd runs the suites once, then gates a clone of the
// baseline and a candidate worse on review only, and feeds the gate bad
// input.
func TestGateEndToEnd(t *testing.T) {
	t.Parallel()
	dir := gateResults(t)
	t.Run("clone passes", func(t *testing.T) { t.Parallel(); testGateClonePasses(t, dir) })
	t.Run("worse fails", func(t *testing.T) { t.Parallel(); testGateWorseFails(t, dir) })
	t.Run("input errors", func(t *testing.T) { t.Parallel(); testGateInputErrors(t, dir) })
}

// gateArgs are the settings of the end-to-end gates: the simulated clone
// sometimes wraps its JSON in prose, a few tokens more than the baseline
// (so cost may rise 5%), and loopback latencies of a few milliseconds are
// noise (so the p95 check is off).
func gateArgs(candidate string, more ...string) []string {
	args := []string{"gate", "--baseline", "sim-frontier", "--candidate", candidate, "--max-cost-increase", "0.05", "--max-p95-increase", "off"}
	return append(args, more...)
}

// testGateClonePasses: a candidate identical in quality to the baseline,
// on the examples' 10 cases a suite, is inconclusive at the default
// margin (the rule of three: 100 agreeing cases exclude a 3% difference):
// migration mode blocks with exit 5 and says how many cases would
// decide, nightly mode exits 0 with a warning. At a margin of 0.3 the
// same cases suffice, and it passes, from one results file or from two.
func testGateClonePasses(t *testing.T, dir string) {
	code, stdout, stderr := cli(t, nil, gateArgs("sim-clone", dir)...)
	if code != ExitInconclusive || !strings.Contains(stdout, "candidate sim-clone vs baseline sim-frontier: inconclusive") ||
		!strings.Contains(stdout, "100 cases would (the rule of three)") || !strings.Contains(stderr, "in migration mode this blocks") {
		t.Fatalf("clone, migration: exit %d\n%s\n%s", code, stdout, stderr)
	}
	code, _, stderr = cli(t, nil, gateArgs("sim-clone", "--mode", "nightly", dir)...)
	if code != ExitOK || !strings.Contains(stderr, "warning: gate inconclusive") {
		t.Fatalf("clone, nightly: exit %d\n%s", code, stderr)
	}
	code, stdout, stderr = cli(t, nil, gateArgs("sim-clone", "--margin", "0.3", dir)...)
	if code != ExitOK || !strings.Contains(stdout, "candidate sim-clone vs baseline sim-frontier: pass") {
		t.Fatalf("clone, margin 0.3: exit %d\n%s\n%s", code, stdout, stderr)
	}
	// Two files, the flags after them.
	args := append([]string{"gate", dir, dir}, gateArgs("sim-clone", "--margin", "0.3")[1:]...)
	if code, stdout, stderr := cli(t, nil, args...); code != ExitOK {
		t.Errorf("clone from two files: exit %d\n%s\n%s", code, stdout, stderr)
	}
}

// testGateWorseFails: a candidate worse on review only fails, in nightly
// mode, on exactly that suite and tag, names it, and writes JUnit (the
// other suites' inconclusive scores skipped, not failed), Markdown and
// JSON.
func testGateWorseFails(t *testing.T, dir string) {
	out := t.TempDir()
	junit, md, js := filepath.Join(out, "junit.xml"), filepath.Join(out, "summary.md"), filepath.Join(out, "gate.json")
	code, stdout, stderr := cli(t, nil, gateArgs("sim-worse", "--mode", "nightly", "--out", "junit="+junit, "--out", "markdown="+md, "--out", js, dir)...)
	if code != ExitFailed {
		t.Fatalf("exit %d, want %d (failed)\n%s\n%s", code, ExitFailed, stdout, stderr)
	}
	if !strings.Contains(stderr, "on 1 of 4 suites: review-snippet") {
		t.Errorf("stderr does not name the failing suite: %s", stderr)
	}
	failures := junitFailures(t, junit)
	if len(failures) != 1 || !strings.HasPrefix(failures["review-snippet/score"], "diff -0.") || !strings.Contains(failures["review-snippet/score"], "harm shown") {
		t.Errorf("JUnit failures %v, want only review-snippet/score", failures)
	}
	gate := readGateJSON(t, js)
	for _, s := range gate.Suites {
		if (s.Verdict == "fail") != (s.Suite == "review-snippet") {
			t.Errorf("suite %s: %s %v", s.Suite, s.Verdict, s.Reasons)
		}
	}
	for _, tg := range gate.Tags {
		if (tg.Verdict == "fail") != (tg.Tag == "review") {
			t.Errorf("tag %s: %s %v", tg.Tag, tg.Verdict, tg.Reasons)
		}
	}
	if gate.Verdict != "fail" || gate.Baseline != "sim-frontier" || gate.Candidate != "sim-worse" || gate.Margin != 0.03 {
		t.Errorf("gate.json: %+v", gate)
	}
	summary, err := os.ReadFile(md)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(summary), "## ❌ parity gate") || !strings.Contains(string(summary), "review-snippet: score: diff -0.") {
		t.Errorf("markdown:\n%s", summary)
	}
}

// junitFailures parses a JUnit file and returns its failures by
// suite/check.
func junitFailures(t *testing.T, path string) map[string]string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Tests  int `xml:"tests,attr"`
		Suites []struct {
			Name  string `xml:"name,attr"`
			Cases []struct {
				Name    string `xml:"name,attr"`
				Failure *struct {
					Message string `xml:"message,attr"`
				} `xml:"failure"`
			} `xml:"testcase"`
		} `xml:"testsuite"`
	}
	if err := xml.Unmarshal(data, &doc); err != nil {
		t.Fatalf("%s is not valid XML: %v", path, err)
	}
	if len(doc.Suites) != 4 || doc.Tests != 20 {
		t.Errorf("JUnit: %d suites, %d tests; want 4 suites of 5 checks", len(doc.Suites), doc.Tests)
	}
	out := map[string]string{}
	for _, s := range doc.Suites {
		for _, c := range s.Cases {
			if c.Failure != nil {
				out[s.Name+"/"+c.Name] = c.Failure.Message
			}
		}
	}
	return out
}

// readGateJSON reads a gate.json as `parity rules --gate` does
// (routing.ReadCanaryGate checks its schema version and verdicts), and
// checks it has suites and tags.
func readGateJSON(t *testing.T, path string) *routing.CanaryGate {
	t.Helper()
	g, err := routing.ReadCanaryGate(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(g.Suites) == 0 || len(g.Tags) == 0 {
		t.Errorf("gate.json: %+v", g)
	}
	return g
}

// testGateInputErrors: bad input is exit 2, never 1: a failed gate never
// looks like a broken tool, nor a broken tool like a failed gate.
func testGateInputErrors(t *testing.T, dir string) {
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"absent provider", gateArgs("sim-nope", dir), `the candidate "sim-nope" has no row (the results hold: sim-clone, sim-frontier, sim-worse)`},
		{"no results", gateArgs("sim-clone"), "gate takes one results file"},
		{"three results", gateArgs("sim-clone", dir, dir, dir), "got 3"},
		{"missing file", gateArgs("sim-clone", filepath.Join(dir, "nope.parquet")), "no such file"},
		{"no baseline", []string{"gate", "--candidate", "sim-clone", dir}, "--baseline and --candidate"},
		{"same provider", gateArgs("sim-frontier", dir), "with one results file they must differ"},
		{"bad format", gateArgs("sim-clone", "--format", "yaml", dir), `--format "yaml"`},
		{"bad out", gateArgs("sim-clone", "--out", "gate.yaml", dir), "name the format"},
		{"bad limit", gateArgs("sim-clone", "--max-p95-increase", "lots", dir), "want a number or off"},
		{"negative margin", gateArgs("sim-clone", "--margin", "-0.1", dir), "the margin must be in [0, 1)"},
	}
	for _, tt := range tests {
		code, stdout, stderr := cli(t, nil, tt.args...)
		if code != ExitUsage || !strings.Contains(stderr, tt.want) || stdout != "" {
			t.Errorf("%s: exit %d, stderr %q (want %q), stdout %q", tt.name, code, stderr, tt.want, stdout)
		}
	}
}

// TestGateGolden runs the gate on a synthetic results file whose answer
// is known: the candidate matches the baseline on extract and is worse
// on classify. The Markdown (a CI step summary) is golden.
func TestGateGolden(t *testing.T) {
	t.Parallel()
	run := synthRun{runID: "golden", started: time.Date(2025, 3, 1, 2, 0, 0, 0, time.UTC), seed: 1,
		quality: map[string]map[string]float64{
			"base": {"classify-ticket": 0.9, "extract-invoice": 0.8},
			"cand": {"classify-ticket": 0.7, "extract-invoice": 0.8},
		},
		cost: map[string]float64{"base": 0.002, "cand": 0.0004}}
	dir := writeResults(t, run.rows())
	code, stdout, stderr := cli(t, nil, "gate", "--baseline", "base", "--candidate", "cand", "--format", "markdown", dir)
	if code != ExitFailed {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	testkit.Golden(t, "gate/gate.md", stdout)
	code, stdout, _ = cli(t, nil, "gate", "--baseline", "base", "--candidate", "cand", "--margin", "0.4", dir)
	if code != ExitOK {
		t.Errorf("margin 0.4: exit %d\n%s", code, stdout)
	}
}
