package routing

import (
	"bytes"
	"github.com/parity-eval/parity/internal/format"
	"github.com/parity-eval/parity/internal/testkit"
	"strings"
	"testing"

	"github.com/goccy/go-yaml"

	"github.com/parity-eval/parity/suites"
)

func TestRulesYAML(t *testing.T) {
	t.Parallel()
	s := NewEvidence()
	for _, r := range testkit.SummaryRows() {
		s.AddScored(r)
	}
	var buf bytes.Buffer
	if err := WriteRules(&buf, s, testkit.Providers, testkit.Config().Routing, testkit.T0); err != nil {
		t.Fatal(err)
	}
	testkit.Golden(t, "rules.golden.yaml", buf.Bytes())

	var back Rules
	if err := yaml.Unmarshal(buf.Bytes(), &back); err != nil {
		t.Fatal(err)
	}
	if back.SchemaVersion != SchemaVersion || back.RunID != "run-test" || back.GeneratedAt != "2025-06-01T12:00:00Z" {
		t.Errorf("header %+v", back)
	}
	// The classify suite is in the high tier: its tags are keyed tag@high.
	for _, k := range []string{"extract", "classify@high", "short@high"} {
		if _, ok := back.Tags[k]; !ok {
			t.Errorf("no rule %s in %v", k, back.Tags)
		}
	}
	ex := back.Tags["extract"]
	if ex.Primary == nil || ex.Primary.Model == "" || ex.Best == nil || ex.Tier != DefaultTier || ex.Cases != 2 {
		t.Errorf("extract rule %+v", ex)
	}
	if ref := back.Providers["sim-frontier"]; ref.Model != "frontier-1" || ref.Price == nil {
		t.Errorf("providers %+v", back.Providers)
	}
}

func TestRulesProvidersFilter(t *testing.T) {
	t.Parallel()
	s := NewEvidence()
	for _, r := range testkit.SummaryRows() {
		s.AddScored(r)
	}
	// Only the configured providers are candidates. The model pinned is
	// the one measured; a config naming another earns a warning.
	renamed := *testkit.Frontier
	renamed.Model = "frontier-1@2025-06-01"
	r := Build(s, []*suites.Provider{&renamed}, suites.Routing{Tolerance: 0.05, MaxFallbacks: 2}, testkit.T0)
	ex := r.Tags["extract"]
	if ex.Primary == nil || ex.Primary.Provider != "sim-frontier" || ex.Primary.Model != "frontier-1" || len(ex.Fallbacks) != 0 {
		t.Errorf("extract rule %+v", ex)
	}
	if ex.Primary.Price == nil || ex.Primary.Price.Input != 2.5 || ex.Primary.Price.Source != "OpenAI pricing" {
		t.Errorf("price %+v", ex.Primary.Price)
	}
	if len(r.Warnings) != 1 || !strings.Contains(r.Warnings[0], `the rules pin "frontier-1"`) {
		t.Errorf("warnings %q", r.Warnings)
	}
	if len(ex.Excluded) != 2 || ex.Excluded[0].Reason != "not in the config" {
		t.Errorf("excluded %+v", ex.Excluded)
	}
}

// TestCapabilityExclusion checks that a provider lacking a capability the
// tag needs is in no primary, split or fallback: known from its
// unsupported rows, or from the config when the need is.
func TestCapabilityExclusion(t *testing.T) {
	t.Parallel()
	ev := testkit.AddSpecs(NewEvidence(), "caption", DefaultTier,
		testkit.Spec{ID: "frontier", Scores: testkit.Repeat(1, 12), Cost: 0.01},
		testkit.Spec{ID: "mini", Scores: testkit.Repeat(1, 12), Cost: 0.001},
		testkit.Spec{ID: "budget", Scores: testkit.Repeat(1, 12), Unsupported: true})
	// steady answered (no rows say it cannot), but the config says it
	// lacks vision, which budget's rows name.
	testkit.AddSpecs(ev, "caption", DefaultTier, testkit.Spec{ID: "steady", Scores: testkit.Repeat(1, 12), Cost: 0.0001})
	providers := testkit.EndpointProviders()
	providers[3].Capabilities = []suites.Capability{suites.CapJSONSchema}
	r := New(ev, providers, DefaultSettings(), testkit.T0)
	rule := r.Tags["caption"]
	if rule.Primary == nil || rule.Primary.Provider != "mini" || suites.JoinCapabilities(rule.Needs, ",") != "vision" {
		t.Fatalf("rule %+v", rule)
	}
	for _, id := range rule.providers() {
		if id == "budget" || id == "steady" {
			t.Errorf("%s lacks vision but is in the rule: %+v", id, rule)
		}
	}
	want := "budget: lacks a capability the tag needs (vision): its rows are unsupported; steady: lacks capability vision (config)"
	var got []string
	for _, e := range rule.Excluded {
		got = append(got, e.Provider+": "+e.Reason)
	}
	if strings.Join(got, "; ") != want {
		t.Errorf("excluded\ngot  %s\nwant %s", strings.Join(got, "; "), want)
	}
}

func TestBuildTagRule(t *testing.T) {
	t.Parallel()
	ev := testkit.AddSpecs(NewEvidence(), "extract", DefaultTier,
		testkit.Spec{ID: "frontier", Scores: testkit.Repeat(1, 20), Cost: 0.01},
		testkit.Spec{ID: "mini", Scores: testkit.Repeat(1, 20), Cost: 0.001, Failed: []int{3}},
		testkit.Spec{ID: "steady", Scores: append(testkit.Repeat(1, 19), 0.95), Cost: 0.002},
		testkit.Spec{ID: "budget", Scores: testkit.Repeat(0.2, 20), Cost: 0.0001})
	v, excluded := viewOf(ev, "extract", DefaultTier, nil)
	s := DefaultSettings()
	rule := buildTagRule(v, excluded, s)
	if rule.Primary.Provider != "steady" {
		// mini failed one request: its bound drops below the tolerance.
		t.Fatalf("primary %s: %s", rule.Primary.Provider, rule.Why)
	}
	// frontier is the best left and makes no errors: nothing follows it.
	if ids(rule.Fallbacks) != "frontier" {
		t.Errorf("fallbacks %s", ids(rule.Fallbacks))
	}
	// steady and frontier are eligible: 80% to steady, 20% to frontier.
	want := Split{Targets: []SplitTarget{{"steady", "steady-1", 0.8, "primary"}, {"frontier", "frontier-1", 0.2, "reliable"}},
		Expected: Mix{Outcome: Outcome{MeanScore: format.RoundTo(0.8*0.9975+0.2*1, 4), CostPerCaseUSD: 0.8*0.002 + 0.2*0.01}, ErrorRate: 0}}
	if rule.Split == nil || !splitEqual(*rule.Split, want) {
		t.Errorf("split %+v, want %+v", rule.Split, want)
	}
	// The paired differences: 19 zeros and -0.05, so a mean of -0.0025, a
	// standard error of 0.0025 and a lower bound of -0.0025 - 2.093·0.0025.
	if ni := rule.NonInferiority; ni == nil || ni.Against != "frontier" || ni.Cases != 20 || ni.MeanDiff != -0.0025 ||
		ni.StdErr != 0.0025 || ni.DiffLow != format.RoundTo(-0.0025-studentT975(19)*0.0025, 4) {
		t.Errorf("non-inferiority %+v", rule.NonInferiority)
	}
	if !strings.HasPrefix(rule.Why, "cheapest within 0.05 of the best (frontier, lower bound 1.000) and non-inferior on 20 paired cases") {
		t.Errorf("why %q", rule.Why)
	}
}

// splitEqual compares splits up to rounding.
func splitEqual(a, b Split) bool {
	if len(a.Targets) != len(b.Targets) {
		return false
	}
	for i := range a.Targets {
		if a.Targets[i] != b.Targets[i] {
			return false
		}
	}
	return a.Expected.MeanScore == b.Expected.MeanScore && format.RoundSig(a.Expected.CostPerCaseUSD, 4) == format.RoundSig(b.Expected.CostPerCaseUSD, 4) &&
		a.Expected.ErrorRate == b.Expected.ErrorRate
}

func TestRuleWarnings(t *testing.T) {
	t.Parallel()
	ev := testkit.AddSpecs(NewEvidence(), "x", DefaultTier,
		testkit.Spec{ID: "frontier", Scores: []float64{1, 0.2, 1, 0.4}, Cost: 0.01},
		testkit.Spec{ID: "mini", Scores: []float64{0.2, 1, 0.3, 1}, Cost: 0.001})
	v, _ := viewOf(ev, "x", DefaultTier, nil)
	rule := buildTagRule(v, nil, DefaultSettings())
	w := strings.Join(rule.Warnings, "\n")
	for _, want := range []string{"4 cases < 10", "wider than the tolerance", "mini is cheaper and within"} {
		if !strings.Contains(w, want) {
			t.Errorf("warnings lack %q:\n%s", want, w)
		}
	}
}
