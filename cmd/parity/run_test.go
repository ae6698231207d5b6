package main

import (
	"encoding/json"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/goccy/go-yaml"

	"github.com/parity-eval/parity/fixtures"
	"github.com/parity-eval/parity/report"
	"github.com/parity-eval/parity/results"
	"github.com/parity-eval/parity/routing"
)

// e2eProfiles are simulated providers whose quality per task type is
// certain, so the scores and the rules that follow are known exactly.
func e2eProfiles() []fixtures.Profile {
	return []fixtures.Profile{
		// Always right: the baseline, and the best everywhere.
		{ID: "sim-frontier", Model: "frontier-1", Quality: map[string]float64{fixtures.AnyTag: 1}},
		// Right on extract, classify and summarize; always wrong on review.
		{ID: "sim-mini", Model: "mini-1", Quality: map[string]float64{fixtures.AnyTag: 1, "review": 0}},
		// Right on classify only.
		{ID: "sim-budget", Model: "budget-1", Quality: map[string]float64{"classify": 1}},
		// Rejects every request with a 400: never a primary, never a fallback.
		{ID: "sim-flaky", Model: "flaky-1", Quality: map[string]float64{fixtures.AnyTag: 1}, FailureRate: 1, FailureStatus: 400},
	}
}

// e2eServer serves the e2eProfiles over loopback, knowing the answers of
// the suites at paths; it closes with the test.
func e2eServer(t *testing.T, seed int64, paths ...string) (*fixtures.Server, *httptest.Server) {
	t.Helper()
	return simulate(t, paths, fixtures.Profiles(e2eProfiles()...), fixtures.Seed(seed))
}

// TestRunEndToEnd runs the example suites against the simulated providers
// over loopback HTTP, as a user would with `parity run`, and checks the
// four outputs against what the fixture profiles imply.
func TestRunEndToEnd(t *testing.T) {
	t.Parallel()
	srv, hs := e2eServer(t, 7, "../../suites/examples", "testdata/hostile")
	out := t.TempDir()
	code, stdout, stderr := cli(t, map[string]string{"PARITY_FIXTURES": hs.URL},
		"run", "--config", "../../parity.yaml", "--suites", "../../suites/examples,testdata/hostile",
		"--out", out, "--repeat", "2", "--run-id", "e2e", "--quiet")
	// sim-flaky answers 400 to everything: the run says so with its code.
	if code != ExitProviderFailed {
		t.Fatalf("exit %d\n%s\n%s", code, stdout, stderr)
	}
	for _, name := range []string{results.FileName, report.SummaryFile, report.ReportFile, report.RulesFile} {
		if !strings.Contains(stdout, filepath.Join(out, name)) {
			t.Errorf("stdout does not say where %s is:\n%s", name, stdout)
		}
	}

	rows := readRows(t, out)
	const cases, providers, repeats = 42, 4, 2
	if len(rows) != cases*providers*repeats {
		t.Fatalf("%d rows, want cases x providers x repeats = %d", len(rows), cases*providers*repeats)
	}
	checkRows(t, rows)
	if n := srv.Count("sim-flaky", fixtures.EndpointChat); n != cases*repeats {
		t.Errorf("sim-flaky got %d requests: a 400 must not be retried (want %d)", n, cases*repeats)
	}
	checkRules(t, filepath.Join(out, report.RulesFile))
	checkSummary(t, filepath.Join(out, report.SummaryFile))
	checkHTML(t, filepath.Join(out, report.ReportFile))
}

func checkRows(t *testing.T, rows []results.Row) {
	t.Helper()
	seen := map[string]bool{}
	miniReviewPasses := 0
	defer func() {
		if miniReviewPasses > 5 {
			t.Errorf("the always-wrong reviewer passed %d of 20 reviews", miniReviewPasses)
		}
	}()
	for _, r := range rows {
		key := r.Suite + "/" + r.CaseID + "/" + r.Provider + "/" + string(rune('0'+r.Repeat))
		if seen[key] {
			t.Errorf("duplicate row %s", key)
		}
		seen[key] = true
		if r.RunID != "e2e" || r.Model == "" || len(r.Tags) == 0 || r.Metadata["feature"] == "" && r.Suite != "hostile" {
			t.Errorf("%s: identity columns missing: %+v", key, r)
		}
		switch r.Provider {
		case "sim-flaky":
			if r.ErrorClass != "bad_request" || r.Attempts != 1 || r.Pass || r.Score != 0 {
				t.Errorf("%s: want a bad_request row, 1 attempt, score 0: %s %d %v", key, r.ErrorClass, r.Attempts, r.Score)
			}
		case "sim-frontier":
			// Always the reference: every check passes.
			if !r.Pass || r.Score < 0.9 || r.ErrorClass != "" {
				t.Errorf("%s: the always-right provider failed: score %.3f checks %s", key, r.Score, r.Checks)
			}
			if r.InputTokens == 0 || r.OutputTokens == 0 || r.CostUSD <= 0 || r.LatencyMS <= 0 || r.TTFTMS <= 0 {
				t.Errorf("%s: usage, cost or timing missing: %+v", key, r)
			}
		case "sim-mini":
			if r.Suite == "review-snippet" {
				if r.JudgeScore == nil {
					t.Errorf("%s: no judge score", key)
				} else if r.Pass {
					// A wrong review that keeps the reference's first
					// sentence can still convince the judge; rarely.
					miniReviewPasses++
				}
			}
		}
		if r.Suite == "extract-invoice" && r.Provider == "sim-frontier" && (r.JSONValid == nil || !*r.JSONValid || r.Similarity == nil) {
			t.Errorf("%s: json_valid %v similarity %v", key, r.JSONValid, r.Similarity)
		}
	}
}

func checkRules(t *testing.T, path string) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var rules routing.Rules
	if err := yaml.Unmarshal(data, &rules); err != nil {
		t.Fatal(err)
	}
	// The cheapest provider within the tolerance of the best, per tag.
	want := map[string]string{
		"classify":  "sim-budget", // right on classify, and the cheapest
		"extract":   "sim-mini",
		"summarize": "sim-mini",
		"review":    "sim-frontier", // the only one right on review
	}
	for tag, primary := range want {
		rule, ok := rules.Tags[tag]
		if !ok || rule.Primary == nil {
			t.Errorf("no rule for %s", tag)
			continue
		}
		if rule.Primary.Provider != primary {
			t.Errorf("%s: primary %s, want %s (%s)", tag, rule.Primary.Provider, primary, rule.Why)
		}
		if rule.Primary.Model == "" || rule.Why == "" {
			t.Errorf("%s: the rule states no model or evidence: %+v", tag, rule)
		}
		for _, f := range rule.Fallbacks {
			if f.Provider == "sim-flaky" || f.Provider == primary {
				t.Errorf("%s: fallback %s (it fails every request, or is the primary)", tag, f.Provider)
			}
		}
	}
}

func checkSummary(t *testing.T, path string) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var sum struct {
		Complete  bool `json:"complete"`
		Providers []struct {
			Provider string  `json:"provider"`
			N        int     `json:"n"`
			PassRate float64 `json:"pass_rate"`
		} `json:"providers"`
	}
	if err := json.Unmarshal(data, &sum); err != nil {
		t.Fatal(err)
	}
	if !sum.Complete || len(sum.Providers) != 4 {
		t.Fatalf("summary: %s", data)
	}
	for _, p := range sum.Providers {
		if p.N != 84 {
			t.Errorf("%s: n = %d, want 84", p.Provider, p.N)
		}
		if p.Provider == "sim-frontier" && p.PassRate != 1 || p.Provider == "sim-flaky" && p.PassRate != 0 {
			t.Errorf("%s: pass rate %v", p.Provider, p.PassRate)
		}
	}
}

func checkHTML(t *testing.T, path string) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	html := string(data)
	if !strings.Contains(html, "&lt;script&gt;alert(1)&lt;/script&gt;") {
		t.Error("the hostile output is not shown, escaped, in the report")
	}
	for _, raw := range []string{"<script>alert", "<img src=x", `href="javascript:`} {
		if strings.Contains(html, raw) {
			t.Errorf("report.html holds raw %q", raw)
		}
	}
	if strings.Contains(html, "http://") || strings.Contains(html, "https://") && !strings.Contains(html, "Content-Security-Policy") {
		t.Error("report.html refers to the network")
	}
}

// TestRerunSpendsNothing runs the example suites twice with one cache: the
// second run sends no request for anything answered the first time, to the
// providers, the embedder or the judge, and reports the same scores. Only
// failed requests (sim-flaky's 400s, never billed) are tried again.
func TestRerunSpendsNothing(t *testing.T) {
	t.Parallel()
	srv, hs := e2eServer(t, 1, "../../suites/examples")
	vars := map[string]string{"PARITY_FIXTURES": hs.URL, "PARITY_CACHE_DIR": t.TempDir()}
	out := t.TempDir()
	run := func(dir string) []results.Row {
		t.Helper()
		code, _, stderr := cli(t, vars, "run", "--config", "../../parity.yaml", "--suites", "../../suites/examples", "--out", filepath.Join(out, dir), "--quiet", "--run-id", "r")
		if code != ExitProviderFailed { // sim-flaky fails every request
			t.Fatalf("exit %d: %s", code, stderr)
		}
		return readRows(t, filepath.Join(out, dir))
	}
	first := run("1")
	sent := len(srv.Requests())
	if srv.Count("", fixtures.EndpointEmbeddings) == 0 || srv.Count(fixtures.JudgeID, fixtures.EndpointChat) == 0 {
		t.Fatal("the first run used no embedder or judge: the test proves nothing")
	}
	second := run("2")
	by := map[string]int{}
	for _, r := range srv.Requests()[sent:] {
		by[r.Provider+" "+r.Endpoint]++
	}
	if len(by) != 1 || by["sim-flaky chat/completions"] != 41 {
		t.Errorf("the rerun sent %v; want only the 41 requests that failed the first time", by)
	}
	scores := map[string]float64{}
	for _, r := range first {
		scores[rowKey(r)] = r.Score
	}
	for _, r := range second {
		if r.ErrorClass == "" && (!r.Cached || r.ScoringCostUSD != 0) {
			t.Errorf("%s: cached %v, scoring cost %v", rowKey(r), r.Cached, r.ScoringCostUSD)
		}
		if scores[rowKey(r)] != r.Score {
			t.Errorf("%s: score %v, first run %v", rowKey(r), r.Score, scores[rowKey(r)])
		}
	}
}

// TestRunWithGate runs with --gate: sim-mini, always wrong on review, is
// gated against the baseline sim-frontier at the end of the run. The run
// exits 1, names the suite, and the verdict is in gate.json and the report.
func TestRunWithGate(t *testing.T) {
	t.Parallel()
	_, hs := e2eServer(t, 1, "../../suites/examples")
	out := t.TempDir()
	code, stdout, stderr := cli(t, map[string]string{"PARITY_FIXTURES": hs.URL}, "run", "--config", "../../parity.yaml",
		"--suites", "../../suites/examples", "--out", out, "--quiet", "--gate", "sim-mini")
	// sim-flaky failing every request wins over the failed gate, whose
	// message is kept.
	if code != ExitProviderFailed || !strings.Contains(stderr, "gate failed: sim-mini is shown worse than sim-frontier") ||
		!strings.Contains(stderr, "review-snippet") || !strings.Contains(stdout, "gate     fail: sim-mini against sim-frontier") {
		t.Fatalf("exit %d\nstdout %s\nstderr %s", code, stdout, stderr)
	}
	var g struct {
		Verdict string `json:"verdict"`
		Suites  []struct {
			Suite, Verdict string
		} `json:"suites"`
	}
	data, err := os.ReadFile(filepath.Join(out, report.GateJSONFile))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &g); err != nil || g.Verdict != "fail" {
		t.Fatalf("gate.json: %v %s", err, data)
	}
	for _, s := range g.Suites {
		if s.Suite == "review-snippet" && s.Verdict != "fail" {
			t.Errorf("review-snippet: %s", s.Verdict)
		}
	}
	html, err := os.ReadFile(filepath.Join(out, report.ReportFile))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(html), "sim-mini against the baseline sim-frontier") {
		t.Error("report.html does not show the gate")
	}
	if code, _, stderr := cli(t, map[string]string{"PARITY_FIXTURES": hs.URL}, "run", "--config", "../../parity.yaml",
		"--suites", "../../suites/examples", "--out", t.TempDir(), "--gate", "sim-frontier"); code != ExitUsage {
		t.Errorf("gating the baseline against itself: exit %d: %s", code, stderr)
	}
}
