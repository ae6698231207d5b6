package report

import (
	"fmt"
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
			ev := addSpecs(NewEvidence(), "x", DefaultTier, pspec{id: "a", scores: repeat(1, tt.cases)})
			cases := ev.routes[RouteKey{"x", DefaultTier}].sortedCases()
			tests, method := assignFolds(cases, RouteKey{"x", DefaultTier}, hs)
			var sizes []string
			seen := map[*routeCase]int{}
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
					t.Errorf("case %v held out %d times", c.key, n)
				}
			}
			again, _ := assignFolds(cases, RouteKey{"x", DefaultTier}, hs)
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
	ev := addSpecs(NewEvidence(), "extract", DefaultTier,
		pspec{id: "frontier", scores: repeat(1, 24), cost: 0.01},
		pspec{id: "mini", scores: repeat(0.99, 24), cost: 0.001},
		pspec{id: "budget", scores: repeat(0, 24), cost: 0.0001})
	return addSpecs(ev, "classify", DefaultTier,
		pspec{id: "frontier", scores: repeat(1, 6), cost: 0.01},
		pspec{id: "mini", scores: repeat(1, 6), cost: 0.001},
		pspec{id: "budget", scores: repeat(0.98, 6), cost: 0.0001})
}

// TestHoldout checks every held-out figure against a hand computation.
// Held out: 12 extract and 6 classify cases. At tolerance 0.05 the rules
// send extract to mini and classify to budget; the best is frontier on
// extract and mini on classify (tied with frontier, and cheaper); the
// cheapest is budget; the baseline frontier.
func TestHoldout(t *testing.T) {
	t.Parallel()
	s := DefaultRuleSettings()
	s.Baseline = "frontier"
	h := NewRules(holdoutEvidence(), nil, s, t0).Holdout
	if h == nil {
		t.Fatal("no held-out proof")
	}
	qRules, cRules := (12*0.99+6*0.98)/18, (12*0.001+6*0.0001)/18
	qBest, cBest := 1.0, (12*0.01+6*0.001)/18
	qCheap, cCheap := 6*0.98/18, 0.0001
	want := Holdout{Cases: 18, Rules: Outcome{roundTo(qRules, 4), roundSig(cRules, 4)},
		Best: Outcome{qBest, roundSig(cBest, 4)}, Cheapest: Outcome{roundTo(qCheap, 4), cCheap}}
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
		if c.MeanScore != roundTo(w.q, 4) || c.CostPerCaseUSD != roundSig(w.c, 4) || c.CostShare != roundTo(x, 4) {
			t.Errorf("curve at %v: %+v, want q %v c %v x %v", c.Tolerance, c, w.q, w.c, x)
		}
	}
	wantAPGR, _ := apgr(pts, qCheap, qBest)
	check := map[string][2]float64{
		"quality kept vs best": {deref(h.QualityKeptVsBestPct), roundTo(100*qRules/qBest, 2)},
		"cost saved vs best":   {deref(h.CostSavedVsBestPct), roundTo(100*(1-cRules/cBest), 2)},
		"quality kept vs base": {deref(h.QualityKeptVsBaselinePct), roundTo(100*qRules, 2)},
		"cost saved vs base":   {deref(h.CostSavedVsBaselinePct), roundTo(100*(1-cRules/0.01), 2)},
		"PGR":                  {deref(h.PGR), roundTo((qRules-qCheap)/(qBest-qCheap), 4)},
		"APGR":                 {deref(h.APGR), roundTo(wantAPGR, 4)},
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
	addSpecs(ev, "caption", DefaultTier, pspec{id: "frontier", scores: repeat(1, 4), unsupported: true},
		pspec{id: "mini", scores: repeat(1, 4), cost: 0.001})
	s := DefaultRuleSettings()
	s.Baseline = "frontier"
	h := NewRules(ev, nil, s, t0).Holdout
	if !slices.ContainsFunc(h.Warnings, func(w string) bool { return strings.Contains(w, "caption: the baseline frontier cannot serve it") }) {
		t.Errorf("warnings %q", h.Warnings)
	}
}
