package routing

import (
	"github.com/parity-eval/parity/internal/testkit"
	"strings"
	"testing"
)

func TestDecideRoute(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		specs    []testkit.Spec
		tol      float64
		primary  string
		best     string
		rejected string
	}{
		{
			// Identical but one case: the paired difference is tiny and tight.
			name: "a cheaper provider within the tolerance and non-inferior wins",
			specs: []testkit.Spec{{ID: "frontier", Scores: testkit.Repeat(1, 20), Cost: 0.01},
				{ID: "mini", Scores: append(testkit.Repeat(1, 19), 0.9), Cost: 0.001}},
			tol: 0.05, primary: "mini", best: "frontier",
		},
		{
			// Both swing between 0 and 1 on opposite cases: their bounds are
			// close, the paired differences are ±1.
			name: "within on the bounds but not non-inferior on paired cases: the best",
			specs: []testkit.Spec{{ID: "frontier", Scores: testkit.Alternate(1, 0, 11), Cost: 0.01},
				{ID: "mini", Scores: testkit.Alternate(0, 1, 11), Cost: 0.001}},
			tol: 0.2, primary: "frontier", best: "frontier", rejected: "mini",
		},
		{
			name: "identical scores at tolerance 0: the cheaper",
			specs: []testkit.Spec{{ID: "frontier", Scores: testkit.Repeat(1, 10), Cost: 0.01},
				{ID: "mini", Scores: testkit.Repeat(1, 10), Cost: 0.001}},
			tol: 0, primary: "mini", best: "mini",
		},
		{
			name: "far below the best: not within",
			specs: []testkit.Spec{{ID: "frontier", Scores: testkit.Repeat(1, 10), Cost: 0.01},
				{ID: "budget", Scores: testkit.Repeat(0.5, 10), Cost: 0.0001}},
			tol: 0.05, primary: "frontier", best: "frontier",
		},
		{
			// One case: no interval, so no paired test can pass.
			name: "one case: the best, whatever the price",
			specs: []testkit.Spec{{ID: "frontier", Scores: []float64{1}, Cost: 0.01},
				{ID: "mini", Scores: []float64{0.99}, Cost: 0.001}},
			tol: 0.05, primary: "frontier", best: "frontier", rejected: "mini",
		},
		{
			// Three repeats of each case count as one cluster per case.
			name: "repeats of every case",
			specs: []testkit.Spec{{ID: "frontier", Scores: testkit.Repeat(1, 12), Cost: 0.01, Repeats: 3},
				{ID: "mini", Scores: testkit.Repeat(1, 12), Cost: 0.001, Repeats: 3}},
			tol: 0.05, primary: "mini", best: "mini",
		},
		{
			name: "a provider that failed every request is never chosen",
			specs: []testkit.Spec{{ID: "frontier", Scores: testkit.Repeat(1, 10), Cost: 0.01},
				{ID: "dead", Scores: testkit.Repeat(0, 10), Failed: []int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}}},
			tol: 0.05, primary: "frontier", best: "frontier",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			v, _ := viewOf(testkit.AddSpecs(NewEvidence(), "extract", DefaultTier, tt.specs...), "extract", DefaultTier, nil)
			d := decideRoute(v.candidates(), v.paired, tt.tol)
			if !d.ok || d.primary.provider != tt.primary || d.best.provider != tt.best {
				t.Fatalf("primary %s best %s, want %s %s", d.primary.provider, d.best.provider, tt.primary, tt.best)
			}
			var rejected []string
			for _, r := range d.rejected {
				rejected = append(rejected, r.c.provider)
			}
			if strings.Join(rejected, ",") != tt.rejected {
				t.Errorf("rejected %v, want %q", rejected, tt.rejected)
			}
			if (d.paired != nil) != (tt.primary != tt.best) {
				t.Errorf("paired test %v with primary %s and best %s", d.paired, tt.primary, tt.best)
			}
		})
	}
}

func TestDecideRouteNobodyAnswered(t *testing.T) {
	t.Parallel()
	v, _ := viewOf(testkit.AddSpecs(NewEvidence(), "x", DefaultTier,
		testkit.Spec{ID: "a", Scores: []float64{0, 0}, Failed: []int{0, 1}}), "x", DefaultTier, nil)
	if d := decideRoute(v.candidates(), v.paired, 0.05); d.ok {
		t.Errorf("a decision among providers that never answered: %+v", d)
	}
}

// fb is a fallback candidate with a lower bound, an error rate and a cost.
func fb(id string, low, errRate, cost float64) routeCandidate {
	return routeCandidate{idx: int(id[0]), provider: id, score: scoreInterval{mean: low, low: low, clusters: 10, n: 10},
		errorRate: errRate, cost: cost, rows: 10}
}

func TestChooseFallbacks(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		cands []routeCandidate
		limit int
		want  string
	}{
		{"by quality, ending on the most reliable", []routeCandidate{fb("a", 0.9, 0, 1), fb("b", 0.8, 0.2, 1), fb("c", 0.7, 0.1, 1)}, 5, "b,c"},
		{"equal quality and errors: cheaper first", []routeCandidate{fb("a", 0.9, 0, 1), fb("b", 0.7, 0.2, 1), fb("c", 0.7, 0.2, 0.5), fb("d", 0.5, 0, 1)}, 5, "c,b,d"},
		{"the chain ends on the most reliable when it would be cut",
			[]routeCandidate{fb("a", 0.9, 0.2, 1), fb("b", 0.85, 0.3, 1), fb("c", 0.8, 0.25, 1), fb("s", 0.6, 0, 1)}, 2, "b,s"},
		{"nothing less reliable follows the most reliable",
			[]routeCandidate{fb("a", 0.9, 0, 1), fb("b", 0.85, 0, 1), fb("c", 0.8, 0.3, 1)}, 2, "b"},
		{"a tie on reliability keeps the quality order",
			[]routeCandidate{fb("a", 0.9, 0, 1), fb("b", 0.85, 0, 1), fb("c", 0.8, 0, 1)}, 2, "b,c"},
		{"a limit of one: the most reliable", []routeCandidate{fb("a", 0.9, 0, 1), fb("b", 0.85, 0.3, 1), fb("d", 0.6, 0.1, 1)}, 1, "d"},
		{"max_fallbacks 0: no chain", []routeCandidate{fb("a", 0.9, 0, 1), fb("b", 0.85, 0, 1)}, 0, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var got []string
			for _, c := range chooseFallbacks(tt.cands, tt.cands[0], tt.limit) {
				got = append(got, c.provider)
			}
			if strings.Join(got, ",") != tt.want {
				t.Errorf("fallbacks %v, want %s", got, tt.want)
			}
		})
	}
}
