package routing

import (
	"fmt"
	"github.com/parity-eval/parity/internal/format"
	"github.com/parity-eval/parity/internal/testkit"
	"slices"
	"strings"
	"testing"
)

func TestAssignFolds(t *testing.T) {
	t.Parallel()
	hs := DefaultHoldoutSettings()
	tests := []struct {
		cases, folds int
		sizes        string
		method       string
	}{
		{40, 1, "20", "split: 20 of 40 cases held out"},
		{21, 1, "11", "split: 11 of 21 cases held out"},
		{12, 5, "3,3,2,2,2", "5-fold cross-validation over 12 cases"},
		{3, 3, "1,1,1", "3-fold cross-validation over 3 cases"},
		{1, 0, "", ""},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.cases), func(t *testing.T) {
			t.Parallel()
			ev := testkit.AddSpecs(NewEvidence(), "x", DefaultTier, testkit.Spec{ID: "a", Scores: testkit.Repeat(1, tt.cases)})
			re := ev.routes[Key{"x", DefaultTier}]
			cases := re.sortedCases(re.index)
			tests, method := assignFolds(cases, Key{"x", DefaultTier}, hs)
			var sizes []string
			seen := map[int32]int{}
			for _, f := range tests {
				sizes = append(sizes, fmt.Sprint(len(f)))
				for _, c := range f {
					seen[c]++
				}
			}
			if len(tests) != tt.folds || strings.Join(sizes, ",") != tt.sizes || method != tt.method {
				t.Errorf("%d folds of %v (%q), want %d of %s (%q)", len(tests), sizes, method, tt.folds, tt.sizes, tt.method)
			}
			for c, n := range seen {
				if n != 1 {
					t.Errorf("case %v held out %d times", caseKey(re.index, re.globalOf(c)), n)
				}
			}
			again, _ := assignFolds(cases, Key{"x", DefaultTier}, hs)
			if fmt.Sprint(again) != fmt.Sprint(tests) {
				t.Error("the same seed gave other folds")
			}
		})
	}
}

// holdoutEvidence is two rules where the truth is known. On extract
// (24 cases: one split) frontier always scores 1 at $0.01, mini 0.99 at
// $0.001, budget 0 at $0.0001. On classify (6 cases: 5 folds) frontier and
// mini score 1, budget 0.98.
func holdoutEvidence() *Evidence {
	ev := testkit.AddSpecs(NewEvidence(), "extract", DefaultTier,
		testkit.Spec{ID: "frontier", Scores: testkit.Repeat(1, 24), Cost: 0.01},
		testkit.Spec{ID: "mini", Scores: testkit.Repeat(0.99, 24), Cost: 0.001},
		testkit.Spec{ID: "budget", Scores: testkit.Repeat(0, 24), Cost: 0.0001})
	return testkit.AddSpecs(ev, "classify", DefaultTier,
		testkit.Spec{ID: "frontier", Scores: testkit.Repeat(1, 6), Cost: 0.01},
		testkit.Spec{ID: "mini", Scores: testkit.Repeat(1, 6), Cost: 0.001},
		testkit.Spec{ID: "budget", Scores: testkit.Repeat(0.98, 6), Cost: 0.0001})
}

// TestHoldout checks every held-out figure against a hand computation.
// Held out: 12 extract and 6 classify cases. At tolerance 0.05 the rules
// send extract to mini and classify to budget; the best is frontier on
// extract and mini on classify (tied with frontier, and cheaper); the
// cheapest is budget; the baseline frontier.
func TestHoldout(t *testing.T) {
	t.Parallel()
	s := DefaultSettings()
	s.Baseline = "frontier"
	h := New(holdoutEvidence(), nil, s, testkit.T0).Holdout
	if h == nil {
		t.Fatal("no held-out proof")
	}
	qRules, cRules := (12*0.99+6*0.98)/18, (12*0.001+6*0.0001)/18
	qBest, cBest := 1.0, (12*0.01+6*0.001)/18
	qCheap, cCheap := 6*0.98/18, 0.0001
	want := Holdout{Cases: 18, Rules: Outcome{format.RoundTo(qRules, 4), format.RoundSig(cRules, 4)},
		Best: Outcome{qBest, format.RoundSig(cBest, 4)}, Cheapest: Outcome{format.RoundTo(qCheap, 4), cCheap}}
	if h.Cases != want.Cases || h.Rules != want.Rules || h.Best != want.Best || h.Cheapest != want.Cheapest {
		t.Fatalf("outcomes %d %+v %+v %+v, want %+v", h.Cases, h.Rules, h.Best, h.Cheapest, want)
	}
	// The curve: at 0 the best everywhere; at 0.01 mini everywhere; from
	// 0.02 to 0.5 the rules; at 1 budget everywhere (its bound 0 >= 1 - 1,
	// its paired bound -1 >= -1).
	type pt struct{ q, c float64 }
	curve := map[float64]pt{0: {qBest, cBest}, 0.01: {(12*0.99 + 6) / 18, 0.001}, 0.02: {qRules, cRules},
		0.05: {qRules, cRules}, 0.1: {qRules, cRules}, 0.2: {qRules, cRules}, 0.5: {qRules, cRules}, 1: {qCheap, cCheap}}
	var pts []apgrPoint
	for _, c := range h.Curve {
		w := curve[c.Tolerance]
		x, _ := costGapShare(w.c, cCheap, cBest)
		pts = append(pts, apgrPoint{x, w.q})
		if c.MeanScore != format.RoundTo(w.q, 4) || c.CostPerCaseUSD != format.RoundSig(w.c, 4) || c.CostShare != format.RoundTo(x, 4) {
			t.Errorf("curve at %v: %+v, want q %v c %v x %v", c.Tolerance, c, w.q, w.c, x)
		}
	}
	wantAPGR, _ := apgr(pts, qCheap, qBest)
	check := map[string][2]float64{
		"quality kept vs best": {deref(h.QualityKeptVsBestPct), format.RoundTo(100*qRules/qBest, 2)},
		"cost saved vs best":   {deref(h.CostSavedVsBestPct), format.RoundTo(100*(1-cRules/cBest), 2)},
		"quality kept vs base": {deref(h.QualityKeptVsBaselinePct), format.RoundTo(100*qRules, 2)},
		"cost saved vs base":   {deref(h.CostSavedVsBaselinePct), format.RoundTo(100*(1-cRules/0.01), 2)},
		"PGR":                  {deref(h.PGR), format.RoundTo((qRules-qCheap)/(qBest-qCheap), 4)},
		"APGR":                 {deref(h.APGR), format.RoundTo(wantAPGR, 4)},
		// Only tolerance 0 matches the best: nothing saved.
		"cost to match, saved":  {h.CostToMatchBest.CostSavedVsBestPct, 0},
		"cost to match, at tol": {h.CostToMatchBest.Tolerance, 0},
		"length of the curve":   {float64(len(h.Curve)), 8},
	}
	for name, c := range check {
		if !near(c[0], c[1]) {
			t.Errorf("%s = %v, want %v", name, c[0], c[1])
		}
	}
	if len(h.Routes) != 2 || h.Routes[0].Route != "classify" || h.Routes[0].Stability != 1 || h.Routes[1].Stability != 1 {
		t.Errorf("routes %+v", h.Routes)
	}
}

// deref returns *p, -999 for nil.
func deref(p *float64) float64 {
	if p == nil {
		return -999
	}
	return *p
}

func TestHoldoutBaselineCannotServe(t *testing.T) {
	t.Parallel()
	ev := holdoutEvidence()
	testkit.AddSpecs(ev, "caption", DefaultTier, testkit.Spec{ID: "frontier", Scores: testkit.Repeat(1, 4), Unsupported: true},
		testkit.Spec{ID: "mini", Scores: testkit.Repeat(1, 4), Cost: 0.001})
	s := DefaultSettings()
	s.Baseline = "frontier"
	h := New(ev, nil, s, testkit.T0).Holdout
	if !slices.ContainsFunc(h.Warnings, func(w string) bool { return strings.Contains(w, "caption: the baseline frontier cannot serve it") }) {
		t.Errorf("warnings %q", h.Warnings)
	}
}
