package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/goccy/go-yaml"

	"github.com/parity-eval/parity/fixtures"
	"github.com/parity-eval/parity/report"
	"github.com/parity-eval/parity/routing"
)

// TestRunUnpricedNotFree runs two providers that answer every case right,
// a priced and an unpriced one whose rows therefore cost $0: the priced
// one is the primary, the unpriced one its fallback, and the warning is on
// stderr, in rules.yaml (warnings and the rule's why), summary.json and
// report.html.
func TestRunUnpricedNotFree(t *testing.T) {
	t.Parallel()
	a, b := always, always
	a.ID, b.ID = "priced", "local"
	_, hs := simulate(t, []string{classifySuite}, fixtures.Profiles(a, b))
	dir := t.TempDir()
	cfg := writeConfig(t, dir, `baseline: priced
providers:
  - {id: priced, base_url: URL/priced/v1, model: m, price: {input: 1, output: 2}}
  - {id: local, base_url: URL/local/v1, model: m}
`, hs.URL)
	out := filepath.Join(dir, "out")
	code, _, stderr := cli(t, nil, "run", "--config", cfg, "--suites", classifySuite, "--out", out, "--quiet", "--no-cache")
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(stderr, "parity: warning: "+cfg+":4:5: provider local has no price") {
		t.Errorf("stderr lacks the warning: %s", stderr)
	}
	for _, r := range readRows(t, out) {
		if r.Provider == "local" && (r.ErrorClass != "" || r.CostUSD != 0) {
			t.Fatalf("local row %s: class %q cost %v, want a $0 answer", rowKey(r), r.ErrorClass, r.CostUSD)
		}
	}

	var rules routing.Rules
	b2, err := os.ReadFile(filepath.Join(out, report.RulesFile))
	if err != nil || yaml.Unmarshal(b2, &rules) != nil {
		t.Fatalf("rules.yaml: %v", err)
	}
	rule, ok := rules.Tags["classify"]
	if !ok || rule.Primary == nil || rule.Primary.Provider != "priced" || len(rule.Fallbacks) != 1 || rule.Fallbacks[0].Provider != "local" {
		t.Fatalf("classify rule %+v, want primary priced, fallback local", rule)
	}
	if !strings.Contains(rule.Why, "local has no price in the config: ranked as costing more than every priced provider") {
		t.Errorf("why %q does not say how local was ranked", rule.Why)
	}
	if w := strings.Join(rules.Warnings, "\n"); !strings.Contains(w, "local has no price in the config") {
		t.Errorf("rules warnings %q lack local", w)
	}

	var sum struct {
		Warnings []string `json:"warnings"`
	}
	b2, err = os.ReadFile(filepath.Join(out, report.SummaryFile))
	if err != nil || json.Unmarshal(b2, &sum) != nil {
		t.Fatalf("summary.json: %v", err)
	}
	if len(sum.Warnings) != 1 || !strings.HasPrefix(sum.Warnings[0], "provider local has no price") {
		t.Errorf("summary.json warnings %q", sum.Warnings)
	}
	html, err := os.ReadFile(filepath.Join(out, report.ReportFile))
	if err != nil || !strings.Contains(string(html), `<span class="warnline">warning: provider local has no price`) {
		t.Errorf("report.html lacks the warning: %v", err)
	}
}
