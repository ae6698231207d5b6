package routing

import (
	"github.com/parity-eval/parity/internal/testkit"
	"testing"
)

// TestProjections checks monthly costs by hand. Two rules of 6 cases
// each (half the traffic each). Every request takes 100 input and 20
// output tokens. mini ($0.15/$0.60 per M) costs 100·0.15e-6 + 20·0.6e-6
// = $0.000027 a request and serves both rules; budget ($0.10/$0.40,
// $0.000018) lacks vision and serves extract only. The rules send extract
// to budget and caption to mini.
func TestProjections(t *testing.T) {
	t.Parallel()
	ev := testkit.AddSpecs(NewEvidence(), "extract", DefaultTier,
		testkit.Spec{ID: "mini", Scores: testkit.Repeat(1, 6), Cost: 0.000027},
		testkit.Spec{ID: "budget", Scores: testkit.Repeat(1, 6), Cost: 0.000018})
	testkit.AddSpecs(ev, "caption", DefaultTier,
		testkit.Spec{ID: "mini", Scores: testkit.Repeat(1, 6), Cost: 0.000027},
		testkit.Spec{ID: "budget", Scores: testkit.Repeat(1, 6), Unsupported: true})
	providers := testkit.EndpointProviders()
	s := DefaultSettings()
	s.SplitShare = 0
	s.Volumes = Volumes{Requests: []int64{1_000_000}, Tokens: []int64{120_000_000}}
	p := New(ev, providers, s, testkit.T0).Projections
	if p == nil || p.Mix["extract"] != 0.5 || p.Mix["caption"] != 0.5 {
		t.Fatalf("projections %+v", p)
	}
	// The rules: half at $0.000018, half at $0.000027: $0.0000225 a
	// request, $22.50 a million; 120M tokens are 1M requests.
	want := Projection{Coverage: 1, CostPerRequestUSD: 0.0000225, TokensPerRequest: 120,
		ByRequests: []VolumeCost{{1_000_000, 22.5}}, ByTokens: []VolumeCost{{120_000_000, 22.5}}}
	if !projectionEqual(p.Rules, want) {
		t.Errorf("rules %+v, want %+v", p.Rules, want)
	}
	if len(p.Providers) != 2 || p.Providers[0].Provider != "budget" || p.Providers[1].Provider != "mini" {
		t.Fatalf("providers %+v", p.Providers)
	}
	budget := Projection{Provider: "budget", Coverage: 0.5, Missing: []string{"caption"}, CostPerRequestUSD: 0.000018,
		TokensPerRequest: 120, ByRequests: []VolumeCost{{1_000_000, 18}}, ByTokens: []VolumeCost{{120_000_000, 18}}}
	mini := Projection{Provider: "mini", Coverage: 1, CostPerRequestUSD: 0.000027,
		TokensPerRequest: 120, ByRequests: []VolumeCost{{1_000_000, 27}}, ByTokens: []VolumeCost{{120_000_000, 27}}}
	if !projectionEqual(p.Providers[0], budget) || !projectionEqual(p.Providers[1], mini) {
		t.Errorf("providers\ngot  %+v\nwant %+v %+v", p.Providers, budget, mini)
	}
}

// projectionEqual compares projections field by field.
func projectionEqual(a, b Projection) bool {
	if a.Provider != b.Provider || a.Coverage != b.Coverage || !near(a.CostPerRequestUSD, b.CostPerRequestUSD) ||
		a.TokensPerRequest != b.TokensPerRequest || len(a.Missing) != len(b.Missing) ||
		len(a.ByRequests) != len(b.ByRequests) || len(a.ByTokens) != len(b.ByTokens) {
		return false
	}
	for i := range a.Missing {
		if a.Missing[i] != b.Missing[i] {
			return false
		}
	}
	for i := range a.ByRequests {
		if a.ByRequests[i] != b.ByRequests[i] {
			return false
		}
	}
	for i := range a.ByTokens {
		if a.ByTokens[i] != b.ByTokens[i] {
			return false
		}
	}
	return true
}
