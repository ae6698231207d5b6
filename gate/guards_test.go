//go:build !race

package gate

import (
	"math/rand/v2"
	"testing"

	"github.com/parity-eval/parity/results"
)

// guardRate runs reps repetitions of the profile with the candidate's
// rows changed by edit, and returns the share of suite-repetitions in
// which check failed.
func guardRate(t *testing.T, check string, edit func(rng *rand.Rand, r *results.Row)) float64 {
	t.Helper()
	o := DefaultOptions()
	o.Mode, o.Baseline, o.Candidate = ModeNightly, "base", "cand"
	o.Stats.Resamples = 0 // the score's method is not what these measure
	failed, n := 0, 0
	for rep := range simReps {
		o.Stats.Seed = uint64(rep) + 1
		g, err := New(o)
		if err != nil {
			t.Fatal(err)
		}
		rng := rand.New(rand.NewPCG(uint64(rep), 0x9a4d))
		sized := map[string]int{}
		for _, s := range profileSuites {
			sized[s.name] = 200
		}
		profileRows(rng, sized, nil, func(r *results.Row) {
			if r.Provider == "cand" && edit != nil {
				edit(rng, r)
			}
			g.Add(SideBaseline, r)
			g.Add(SideCandidate, r)
		})
		res, err := g.Result()
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range res.Suites {
			for _, c := range s.Checks {
				if c.Name == check {
					n++
					if c.Verdict == Fail {
						failed++
					}
				}
			}
		}
	}
	return float64(failed) / float64(n)
}

// TestProfileGuards: at the defaults (cost +10%, p95 +20%, errors +1
// point), on the profile's 200-case suites, a clone's token and latency
// noise fails a guard check in at most 1% of suites, while a candidate
// 30% pricier, 60% slower or failing 8% more requests fails that check
// in at least power of them (measured: 100%, 86%, 82%).
func TestProfileGuards(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		check string
		power float64
		edit  func(*rand.Rand, *results.Row)
	}{
		{CheckCost, 0.95, func(_ *rand.Rand, r *results.Row) { r.CostUSD *= 1.3 }},
		{CheckP95, 0.8, func(_ *rand.Rand, r *results.Row) { r.LatencyMS *= 1.6 }},
		{CheckErrors, 0.75, func(rng *rand.Rand, r *results.Row) {
			if rng.Float64() < 0.08 {
				r.ErrorClass, r.Score, r.Pass = "server_error", 0, false
			}
		}},
	} {
		clone, worse := guardRate(t, tt.check, nil), guardRate(t, tt.check, tt.edit)
		t.Logf("%s: a clone fails it in %.1f%% of suites, the worse candidate in %.1f%%", tt.check, 100*clone, 100*worse)
		if clone > 0.01 {
			t.Errorf("%s: a clone fails in %.3f of suites, want at most 0.01", tt.check, clone)
		}
		if worse < tt.power {
			t.Errorf("%s: a clearly worse candidate fails in %.3f of suites, want at least %v", tt.check, worse, tt.power)
		}
	}
}
