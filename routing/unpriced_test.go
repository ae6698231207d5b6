package routing

import (
	"strings"
	"testing"

	"github.com/parity-eval/parity/internal/testkit"
	"github.com/parity-eval/parity/suites"
)

// TestUnpricedNeverCheapest checks a provider the config gives no price,
// whose rows therefore cost $0, is not chosen primary for being cheap: it
// ranks as costing more than every priced provider, stays a fallback, and
// the rule's why and the rules' warnings say so. It is primary only on
// quality, where no priced provider qualifies; an explicit zero price is
// priced and free.
func TestUnpricedNeverCheapest(t *testing.T) {
	t.Parallel()
	priced := &suites.Provider{ID: "priced", Endpoint: suites.Endpoint{Model: "priced-1", Price: suites.Price{Input: 1, Output: 2}}}
	tests := []struct {
		name    string
		specs   []testkit.Spec
		free    *suites.Provider
		primary string
		// why and warning are wanted in the rule's why and the rules'
		// warnings; "" wants no mention of "no price".
		why, warning string
	}{
		{
			// As good as the priced one and $0 a row: once the primary.
			name: "as good as a priced provider: the priced one is primary",
			specs: []testkit.Spec{{ID: "priced", Scores: testkit.Repeat(1, 20), Cost: 0.01},
				{ID: "local", Scores: testkit.Repeat(1, 20), Cost: 0}},
			free:    &suites.Provider{ID: "local", Unpriced: true, Endpoint: suites.Endpoint{Model: "local-1"}},
			primary: "priced",
			why:     "local has no price in the config: ranked as costing more than every priced provider, not as free",
			warning: "local has no price in the config",
		},
		{
			// The priced provider is far below: the unpriced one is primary
			// for its quality, and the why says its cost is unknown.
			name: "no priced provider qualifies: primary on quality",
			specs: []testkit.Spec{{ID: "priced", Scores: testkit.Repeat(0.4, 20), Cost: 0.01},
				{ID: "local", Scores: testkit.Repeat(1, 20), Cost: 0}},
			free:    &suites.Provider{ID: "local", Unpriced: true, Endpoint: suites.Endpoint{Model: "local-1"}},
			primary: "local",
			why:     "local has no price in the config: chosen on quality",
			warning: "local has no price in the config",
		},
		{
			// price: {input: 0, output: 0} is a deliberate free model.
			name: "an explicit zero price is free and wins",
			specs: []testkit.Spec{{ID: "priced", Scores: testkit.Repeat(1, 20), Cost: 0.01},
				{ID: "local", Scores: testkit.Repeat(1, 20), Cost: 0}},
			free:    &suites.Provider{ID: "local", Endpoint: suites.Endpoint{Model: "local-1"}},
			primary: "local",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ev := testkit.AddSpecs(NewEvidence(), "extract", DefaultTier, tt.specs...)
			r := Build(ev, []*suites.Provider{priced, tt.free}, suites.Routing{Tolerance: 0.05, MaxFallbacks: 2}, testkit.T0)
			rule := r.Tags["extract"]
			if rule.Primary == nil || rule.Primary.Provider != tt.primary {
				t.Fatalf("primary %+v, want %s (why: %s)", rule.Primary, tt.primary, rule.Why)
			}
			if tt.primary == "priced" && ids(rule.Fallbacks) != "local" {
				t.Errorf("fallbacks %s, want local", ids(rule.Fallbacks))
			}
			warnings := strings.Join(r.Warnings, "\n")
			if tt.why == "" {
				if strings.Contains(rule.Why+warnings, "no price") {
					t.Errorf("a priced provider named unpriced: why %q, warnings %q", rule.Why, warnings)
				}
				return
			}
			if !strings.Contains(rule.Why, tt.why) {
				t.Errorf("why %q, want it to contain %q", rule.Why, tt.why)
			}
			if !strings.Contains(warnings, tt.warning) || !strings.Contains(warnings, "never primary on cost") {
				t.Errorf("warnings %q, want %q", warnings, tt.warning)
			}
		})
	}
}
