package runner_test

import (
	"context"
	"math"
	"testing"

	"github.com/parity-eval/parity/fixtures"
	"github.com/parity-eval/parity/runner"
)

func TestBelievable(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name                   string
		in, out, estIn, estOut int
		want                   bool
	}{
		// What a provider reports for an ordinary request.
		{"ordinary", 120, 40, 100, 512, true},
		// A prompt in a script at a character a token: 4x the estimate.
		{"dense script", 400, 10, 100, 1024, true},
		{"negative prompt", -1_000_000, 40, 100, 1024, false},
		{"negative answer", 120, -1, 100, 1024, false},
		{"2^62 answer", 120, 1 << 62, 100, 1024, false},
		{"over ten million", 10_000_001, 0, 1_000_000, 1024, false},
		// An answer far past the request's max_tokens.
		{"answer past max_tokens", 120, 5_097, 100, 1024, false},
		{"answer at the bound", 120, 5_096, 100, 1024, true},
		{"prompt at the bound", 2_600, 10, 100, 1024, true},
		{"prompt past the bound", 2_601, 10, 100, 1024, false},
	}
	for _, tt := range tests {
		if got := runner.Believable(tt.in, tt.out, tt.estIn, tt.estOut); got != tt.want {
			t.Errorf("%s: Believable(%d, %d, %d, %d) = %v, want %v", tt.name, tt.in, tt.out, tt.estIn, tt.estOut, got, tt.want)
		}
	}
}

// TestAbsurdUsageCostedFromEstimate: a provider that reports -1,000,000
// prompt tokens and 2^62 answer tokens is neither paid for negatively nor
// billed $1.8e13: its rows are flagged and carry the estimate, the same
// the run's dry-run estimate gives.
func TestAbsurdUsageCostedFromEstimate(t *testing.T) {
	t.Parallel()
	ss := loadSuites(t)
	_, hs := fixtureServer(t, ss, fixtures.Profiles(fixtures.Profile{
		ID: "sim-frontier", Quality: map[string]float64{fixtures.AnyTag: 1},
		Chaos: fixtures.Chaos{Rate: 1, Kinds: []fixtures.Fault{fixtures.FaultAbsurdUsage}},
	}))
	cfg := loadConfig(t, hs.URL, "  - {id: sim-frontier, base_url: URL/sim-frontier/v1, model: m, price: {input: 2.5, output: 10}, capabilities: [streaming]}\n")
	r := runner.New(cfg)
	ests, err := r.Estimate(ss)
	if err != nil {
		t.Fatal(err)
	}
	est := ests[0]
	results := collect(r.Run(context.Background(), ss))
	var cost float64
	var in, out int
	for _, res := range results {
		if res.ErrorClass != "" || !res.UsageEstimated {
			t.Errorf("%s: class %q, usage estimated %v: want a good answer with estimated usage", res.Case.ID, res.ErrorClass, res.UsageEstimated)
		}
		cost += res.CostUSD
		in, out = in+res.InputTokens, out+res.OutputTokens
	}
	if len(results) != est.Requests || in != est.InputTokens || out != est.OutputTokens || math.Abs(cost-est.CostUSD) > 1e-12 {
		t.Errorf("%d rows, %d+%d tokens, $%g; want the estimate's %d, %d+%d, $%g", len(results), in, out, cost,
			est.Requests, est.InputTokens, est.OutputTokens, est.CostUSD)
	}
}

// TestOrdinaryUsageBelieved: the simulated providers' usage is believed.
func TestOrdinaryUsageBelieved(t *testing.T) {
	t.Parallel()
	ss := loadSuites(t)
	_, hs := fixtureServer(t, ss, fixtures.Profiles(fixtures.Profile{ID: "sim-frontier", Quality: map[string]float64{fixtures.AnyTag: 1}}))
	cfg := loadConfig(t, hs.URL, "  - {id: sim-frontier, base_url: URL/sim-frontier/v1, model: m, capabilities: [streaming]}\n")
	for _, res := range collect(runner.New(cfg).Run(context.Background(), ss)) {
		if res.UsageEstimated || res.InputTokens <= 0 {
			t.Errorf("%s: usage estimated %v, %d prompt tokens: want the provider's usage", res.Case.ID, res.UsageEstimated, res.InputTokens)
		}
	}
}
