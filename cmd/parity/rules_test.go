package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/goccy/go-yaml"

	"github.com/parity-eval/parity/fixtures"
	"github.com/parity-eval/parity/internal/testkit"
	"github.com/parity-eval/parity/report"
	"github.com/parity-eval/parity/results"
	"github.com/parity-eval/parity/routing"
	"github.com/parity-eval/parity/suites"
)

const (
	rulesConfigFile = "testdata/rules/parity.yaml"
	rulesSuites     = "testdata/rules/suites"
)

// rulesEnv is the environment of `parity rules` in tests: fixed base URLs
// and clock (2025-06-01T12:00:00Z), and no API key.
var rulesEnv = map[string]string{"PARITY_FIXTURES": "http://fixtures.test:8089", "SOURCE_DATE_EPOCH": "1748779200"}

// rulesProfiles are simulated providers whose quality per tag is certain.
func rulesProfiles() []fixtures.Profile {
	all := map[string]float64{fixtures.AnyTag: 1}
	return []fixtures.Profile{
		{ID: "sim-frontier", Model: "frontier-1", Quality: all},
		{ID: "sim-next", Model: "next-1", Quality: all},
		{ID: "sim-mini", Model: "mini-1", Quality: all},
		// Right on classify, and on caption, which it may not serve: it
		// lacks vision.
		{ID: "sim-budget", Model: "budget-1", Quality: map[string]float64{"classify": 1, "caption": 1}},
		{ID: "sim-flaky", Model: "flaky-1", Quality: all, FailureRate: 1, FailureStatus: 400},
	}
}

// rulesResults runs the rules suites over loopback HTTP (twice each)
// and returns the run's directory.
func rulesResults(t *testing.T) string {
	t.Helper()
	_, hs := simulate(t, []string{rulesSuites}, fixtures.Profiles(rulesProfiles()...), fixtures.Seed(7))
	dir := t.TempDir()
	code, _, stderr := cli(t, map[string]string{"PARITY_FIXTURES": hs.URL, "PARITY_TEST_FRONTIER_KEY": "k"},
		"run", "--config", rulesConfigFile, "--suites", rulesSuites, "--out", dir, "--repeat", "2", "--run-id", "rules-e2e", "--quiet")
	if code != ExitProviderFailed { // sim-flaky fails every request
		t.Fatalf("the run failed: %s", stderr)
	}
	return dir
}

// TestRulesEndToEnd runs the suites, then `parity rules` on the results:
// the primaries are the ones the profiles imply, no rule names a provider
// lacking a capability it needs, the held-out figures are there, and the
// run's own rules.yaml agrees.
func TestRulesEndToEnd(t *testing.T) {
	t.Parallel()
	dir := rulesResults(t)
	code, stdout, stderr := cli(t, rulesEnv, "rules", dir, "--config", rulesConfigFile)
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var rules routing.Rules
	if err := yaml.Unmarshal([]byte(stdout), &rules); err != nil {
		t.Fatal(err)
	}
	checkRulesPrimaries(t, &rules)
	h := rules.Holdout
	if h == nil || h.Cases != 20 || h.QualityKeptVsBestPct == nil || h.CostSavedVsBaselinePct == nil || len(h.Curve) != 8 {
		t.Fatalf("held-out proof %+v", h)
	}
	if *h.QualityKeptVsBestPct != 100 || *h.CostSavedVsBaselinePct < 75 {
		t.Errorf("held out: %.1f%% of the best's quality, %.1f%% cheaper than the baseline", *h.QualityKeptVsBestPct, *h.CostSavedVsBaselinePct)
	}
	if p := rules.Projections; p == nil || len(p.Rules.ByTokens) != 4 || p.Rules.Coverage != 1 {
		t.Errorf("projections %+v", p)
	}
	// The run wrote rules.yaml with the same choices.
	var own routing.Rules
	data, err := os.ReadFile(filepath.Join(dir, report.RulesFile))
	if err != nil || yaml.Unmarshal(data, &own) != nil {
		t.Fatalf("the run's rules.yaml: %v", err)
	}
	checkRulesPrimaries(t, &own)
}

// checkRulesPrimaries checks the choices the profiles imply.
func checkRulesPrimaries(t *testing.T, rules *routing.Rules) {
	t.Helper()
	want := map[string]string{
		"classify":      "sim-budget", // right on classify, and the cheapest
		"classify@high": "sim-budget", // the same in the high tier
		"extract":       "sim-mini",   // budget is always wrong on extract
		"caption":       "sim-mini",   // budget would be right, but lacks vision
	}
	if len(rules.Tags) != len(want) {
		t.Errorf("rules for %d tags, want %d", len(rules.Tags), len(want))
	}
	for key, primary := range want {
		rule, ok := rules.Tags[key]
		if !ok || rule.Primary == nil || rule.Primary.Provider != primary {
			t.Errorf("%s: primary %+v, want %s (%s)", key, rule.Primary, primary, rule.Why)
			continue
		}
		for _, id := range ruleProviders(rule) {
			if id == "sim-flaky" || key == "caption" && id == "sim-budget" {
				t.Errorf("%s names %s: %+v", key, id, rule)
			}
		}
	}
	if c := rules.Tags["caption"]; suites.JoinCapabilities(c.Needs, ",") != "vision" || len(c.Excluded) != 2 {
		t.Errorf("caption needs %v, excluded %+v", c.Needs, c.Excluded)
	}
}

// ruleProviders lists every provider a rule routes to.
func ruleProviders(r routing.TagRule) []string {
	ids := []string{r.Primary.Provider}
	for _, f := range r.Fallbacks {
		ids = append(ids, f.Provider)
	}
	if r.Split != nil {
		for _, t := range r.Split.Targets {
			ids = append(ids, t.Provider)
		}
	}
	return ids
}

// TestRulesExports writes the three formats with --out: each parses back,
// the router configs match their goldens, and stdout summarises.
func TestRulesExports(t *testing.T) {
	t.Parallel()
	dir := rulesResults(t)
	out := t.TempDir()
	for _, f := range []struct{ format, file string }{
		{"native", "rules.yaml"}, {"litellm", "litellm.yaml"}, {"portkey", "portkey.json"},
	} {
		path := filepath.Join(out, f.file)
		code, stdout, stderr := cli(t, rulesEnv, "rules", filepath.Join(dir, results.FileName), "--config", rulesConfigFile,
			"--format", f.format, "--out", path)
		if code != ExitOK {
			t.Fatalf("%s: exit %d: %s", f.format, code, stderr)
		}
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		var back map[string]any
		if f.format == "portkey" {
			err = json.Unmarshal(data, &back)
		} else {
			err = yaml.Unmarshal(data, &back)
		}
		if err != nil || len(back) == 0 {
			t.Errorf("%s does not parse back: %v", f.format, err)
		}
		if f.format != "native" {
			testkit.Golden(t, "rules/"+f.file, data)
		}
		testkit.Golden(t, "rules/"+f.format+".stdout", strings.ReplaceAll(stdout, out, "OUT"))
	}
}

// TestRulesCanary adds a 5% canary of the gated candidate on the tag
// where the gate passed, none where it failed.
func TestRulesCanary(t *testing.T) {
	t.Parallel()
	dir := rulesResults(t)
	code, stdout, stderr := cli(t, rulesEnv, "rules", dir, "--config", rulesConfigFile, "--gate", "testdata/rules/gate.json", "--split", "0")
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var rules routing.Rules
	if err := yaml.Unmarshal([]byte(stdout), &rules); err != nil {
		t.Fatal(err)
	}
	ex := rules.Tags["extract"]
	if ex.Split == nil || len(ex.Split.Targets) != 2 || ex.Split.Targets[0].Provider != "sim-mini" || ex.Split.Targets[0].Weight != 0.95 ||
		ex.Split.Targets[1].Provider != "sim-next" || ex.Split.Targets[1].Role != "canary" || ex.Split.Targets[1].Weight != 0.05 {
		t.Errorf("extract split %+v", ex.Split)
	}
	for key, verdict := range map[string]string{"classify": "fail", "classify@high": "fail", "caption": "absent"} {
		r := rules.Tags[key]
		if r.Split != nil || r.Canary == nil || r.Canary.Verdict != verdict || r.Canary.Weight != 0 {
			t.Errorf("%s: split %+v canary %+v, want no canary (%s)", key, r.Split, r.Canary, verdict)
		}
	}
	if rules.Gate == nil || rules.Gate.Candidate != "sim-next" {
		t.Errorf("gate %+v", rules.Gate)
	}
}

// TestRulesBadInput checks bad input fails with exit code 2 and says why.
func TestRulesBadInput(t *testing.T) {
	t.Parallel()
	dir := rulesResults(t)
	bad := filepath.Join(t.TempDir(), "gate.json")
	if err := os.WriteFile(bad, []byte(`{"schema_version": 1, "verdict": "pass"}`), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"no results", []string{"rules"}, "rules needs the results"},
		{"missing results", []string{"rules", "testdata/rules/nope.parquet"}, "no such file"},
		{"not parquet", []string{"rules", rulesConfigFile}, "not a Parquet file"},
		{"unknown format", []string{"rules", dir, "--format", "bifrost"}, `--format "bifrost"`},
		{"tolerance out of range", []string{"rules", dir, "--tolerance", "2"}, "--tolerance 2"},
		{"canary weight", []string{"rules", dir, "--canary-weight", "1"}, "--canary-weight 1"},
		{"missing config", []string{"rules", dir, "--config", "testdata/rules/nope.yaml"}, "config:"},
		// No parity.yaml here: the native rules need none, LiteLLM needs
		// the endpoints.
		{"litellm without a config", []string{"rules", dir, "--format", "litellm"}, "has no base_url"},
		{"a bad gate", []string{"rules", dir, "--config", rulesConfigFile, "--gate", bad}, "no candidate"},
		{"a stray argument", []string{"rules", dir, "extra"}, "one results file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			code, stdout, stderr := cli(t, rulesEnv, tt.args...)
			if code != ExitUsage || !strings.Contains(stderr, tt.want) {
				t.Errorf("exit %d, stderr %q; want %d and %q", code, stderr, ExitUsage, tt.want)
			}
			if tt.name == "litellm without a config" && stdout != "" {
				t.Errorf("stdout %q", stdout)
			}
		})
	}
	if code, stdout, _ := cli(t, rulesEnv, "rules", dir); code != ExitOK || !strings.Contains(stdout, "schema_version: 2") {
		t.Errorf("native rules without a config: exit %d", code)
	}
}
