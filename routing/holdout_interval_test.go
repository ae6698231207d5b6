package routing

import (
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"runtime"
	"strings"
	"testing"

	"github.com/parity-eval/parity/internal/testkit"
	"github.com/parity-eval/parity/stats"
	"github.com/parity-eval/parity/suites"
)

// Truth of syntheticEvidence: quality kept and cost saved, in percent,
// of mini against frontier.
const trueKept, trueSaved = 90.0, 70.0

// syntheticEvidence is one rule, extract, of n cases with k repeats each,
// drawn with seed, where the truth is known. frontier (the baseline)
// scores 1 at $0.01·L, L uniform on [0.5, 1.5] (the case's length). mini
// fails every repeat of a hard case (probability 0.1: its repeats are
// not independent) and passes the others, at $0.001·L + $0.002·E, E
// exponential of mean 1 (a skewed cost). So mini keeps 90% of the
// quality and saves 1 - 0.003/0.01 = 70% of the cost.
func syntheticEvidence(seed uint64, n, k int) *Evidence {
	rng := rand.New(rand.NewPCG(seed, 7))
	ev := NewEvidence()
	// One row of each provider, copied: the rows share their suite and
	// providers.
	f0 := testkit.SpecRow(testkit.Spec{ID: "frontier"}, "extract", DefaultTier, 0, 0, 1)
	m0 := testkit.SpecRow(testkit.Spec{ID: "mini"}, "extract", DefaultTier, 0, 0, 1)
	for i := range n {
		l, e := 0.5+rng.Float64(), rng.ExpFloat64()
		score := 1.0
		if rng.Float64() < 0.1 {
			score = 0
		}
		c := &suites.Case{ID: fmt.Sprintf("c%02d", i)}
		for rep := range k {
			f, fr := *f0, *f0.Result
			fr.Case, fr.Repeat, fr.CostUSD, f.Result = c, rep, 0.01*l, &fr
			m, mr := *m0, *m0.Result
			mr.Case, mr.Repeat, mr.CostUSD, m.Result, m.Score = c, rep, 0.001*l+0.002*e, &mr, score
			ev.AddScored(&f)
			ev.AddScored(&m)
		}
	}
	return ev
}

// syntheticHoldout proves the rules of syntheticEvidence against
// frontier, at a tolerance wide enough that mini is always the primary,
// with resamples resamples and no split cost.
func syntheticHoldout(t *testing.T, seed uint64, n, k, resamples int) *Holdout {
	t.Helper()
	s := DefaultSettings()
	s.Baseline, s.Tolerance = "frontier", 1
	s.Holdout.Resamples, s.Holdout.HalfDraws = resamples, 0
	h := New(syntheticEvidence(seed, n, k), nil, s, testkit.T0).Holdout
	if h == nil || h.Interval == nil || h.Interval.Method != stats.MethodBootstrap {
		t.Fatalf("no bootstrap interval: %+v", h)
	}
	if h.Rules.CostPerCaseUSD >= h.Baseline.CostPerCaseUSD {
		t.Fatalf("mini is not the primary: %+v against %+v", h.Rules, *h.Baseline)
	}
	return h
}

// TestHoldoutIntervalContainsEstimate checks that each interval holds its
// figure and that the figures against the best (frontier itself here)
// agree with those against the baseline.
func TestHoldoutIntervalContainsEstimate(t *testing.T) {
	t.Parallel()
	h := syntheticHoldout(t, 1, 60, 3, 2000)
	iv := h.Interval
	if iv.Cases != 30 || iv.Resamples != 2000 || iv.Confidence != 0.95 || !strings.Contains(iv.How, "cluster bootstrap over the 30") {
		t.Errorf("interval %+v", iv)
	}
	for name, c := range map[string]struct {
		est *float64
		b   *Bounds
	}{
		"quality kept vs baseline": {h.QualityKeptVsBaselinePct, iv.QualityKeptVsBaselinePct},
		"cost saved vs baseline":   {h.CostSavedVsBaselinePct, iv.CostSavedVsBaselinePct},
		"quality kept vs best":     {h.QualityKeptVsBestPct, iv.QualityKeptVsBestPct},
		"cost saved vs best":       {h.CostSavedVsBestPct, iv.CostSavedVsBestPct},
	} {
		if c.est == nil || c.b == nil || !(c.b.Low <= *c.est && *c.est <= c.b.High && c.b.Low < c.b.High) {
			t.Errorf("%s: %v outside %+v", name, deref(c.est), c.b)
		}
	}
	if *iv.CostSavedVsBestPct != *iv.CostSavedVsBaselinePct {
		t.Errorf("the best is the baseline, yet %+v != %+v", *iv.CostSavedVsBestPct, *iv.CostSavedVsBaselinePct)
	}
}

// TestHoldoutIntervalCovers draws the synthetic evidence 100 times (30
// held-out cases each) and counts the 95% intervals (1000 resamples)
// that hold the truth. Measured over 600 other draws, they cover it 96%
// (quality) and 93% (cost) of the time. The test asks for 87 of 100: at a true coverage of 93% it
// fails with probability 1% (binomial), at 95% 0.05%; an interval that
// covers 85% fails it with probability 65%, and one that treats the
// repeats as independent cases (about 75% here) 99.7%.
func TestHoldoutIntervalCovers(t *testing.T) {
	t.Parallel()
	const reps, want = 100, 87
	var kept, saved int
	for r := range uint64(reps) {
		iv := syntheticHoldout(t, 100+r, 60, 3, 1000).Interval
		if b := iv.QualityKeptVsBaselinePct; b.Low <= trueKept && trueKept <= b.High {
			kept++
		}
		if b := iv.CostSavedVsBaselinePct; b.Low <= trueSaved && trueSaved <= b.High {
			saved++
		}
	}
	if kept < want || saved < want {
		t.Errorf("the intervals held the truth %d (quality kept) and %d (cost saved) times of %d, want at least %d", kept, saved, reps, want)
	}
}

// TestHoldoutIntervalNarrows checks that four times the cases about
// halve the intervals.
func TestHoldoutIntervalNarrows(t *testing.T) {
	t.Parallel()
	small, large := syntheticHoldout(t, 1, 60, 3, 2000).Interval, syntheticHoldout(t, 1, 240, 3, 2000).Interval
	width := func(b *Bounds) float64 { return b.High - b.Low }
	for name, b := range map[string][2]*Bounds{
		"quality kept": {small.QualityKeptVsBaselinePct, large.QualityKeptVsBaselinePct},
		"cost saved":   {small.CostSavedVsBaselinePct, large.CostSavedVsBaselinePct},
	} {
		t.Logf("%s: %v -> %v", name, width(b[0]), width(b[1]))
		if r := width(b[1]) / width(b[0]); !(r < 0.7) {
			t.Errorf("%s: 120 held-out cases give %+v, 30 %+v: width ratio %.2f, want about 0.5", name, *b[1], *b[0], r)
		}
	}
}

// TestHoldoutIntervalWithinSuites checks that resamples keep the run's
// mix of suites: 15 held-out extract cases, where mini saves 90% of
// frontier's $0.01, and 15 photo cases at $0.04 that frontier cannot
// serve (its best, imagen, stands in). Every case of a suite is alike,
// so only a resample that changed the mix could move the 18% saved.
func TestHoldoutIntervalWithinSuites(t *testing.T) {
	t.Parallel()
	ev := testkit.AddSpecs(NewEvidence(), "extract", DefaultTier,
		testkit.Spec{ID: "frontier", Scores: testkit.Repeat(1, 30), Cost: 0.01},
		testkit.Spec{ID: "mini", Scores: testkit.Repeat(1, 30), Cost: 0.001})
	testkit.AddSpecs(ev, "photo", DefaultTier,
		testkit.Spec{ID: "frontier", Scores: testkit.Repeat(1, 30), Unsupported: true},
		testkit.Spec{ID: "imagen", Scores: testkit.Repeat(1, 30), Cost: 0.04})
	s := DefaultSettings()
	s.Baseline = "frontier"
	h := New(ev, nil, s, testkit.T0).Holdout
	b := h.Interval.CostSavedVsBaselinePct
	if b == nil || *h.CostSavedVsBaselinePct != 18 || b.Low != 18 || b.High != 18 || !strings.Contains(h.Interval.How, "within their 2 suites") {
		t.Errorf("cost saved %v in %+v, want 18 in [18, 18] (%s)", deref(h.CostSavedVsBaselinePct), b, h.Interval.How)
	}
}

// TestHoldoutIntervalTooFew checks that 18 held-out cases get no
// interval rather than one invented from too few.
func TestHoldoutIntervalTooFew(t *testing.T) {
	t.Parallel()
	s := DefaultSettings()
	s.Baseline = "frontier"
	iv := New(holdoutEvidence(), nil, s, testkit.T0).Holdout.Interval
	want := HoldoutInterval{Method: stats.MethodNone, Confidence: 0.95, Cases: 18,
		How: "no interval: 18 distinct held-out cases, fewer than the 20 a bootstrap needs"}
	if iv == nil || *iv != want {
		t.Errorf("interval %+v, want %+v", iv, want)
	}
	s.Holdout.Resamples = 0
	if iv := New(syntheticEvidence(1, 60, 1), nil, s, testkit.T0).Holdout.Interval; iv.Method != stats.MethodNone || iv.How != "no interval: resampling is off" {
		t.Errorf("no resamples: %+v", iv)
	}
}

// TestHoldoutDeterministic checks that a seed gives the same proof, its
// interval and split cost included, and another seed another.
func TestHoldoutDeterministic(t *testing.T) {
	t.Parallel()
	ev := syntheticEvidence(3, 60, 2)
	s := DefaultSettings()
	s.Baseline = "frontier"
	a, b := New(ev, nil, s, testkit.T0).Holdout, New(ev, nil, s, testkit.T0).Holdout
	if !reflect.DeepEqual(a, b) || a.SplitCost == nil {
		t.Errorf("the same seed gave\n%+v\n%+v", a.Interval, b.Interval)
	}
	s.Holdout.Seed = 2
	if c := New(ev, nil, s, testkit.T0).Holdout; reflect.DeepEqual(a.Interval, c.Interval) {
		t.Errorf("seeds 1 and 2 gave the same interval %+v", c.Interval)
	}
}

// TestHeldOutBootstrap checks the figures of a hand example and the
// bootstrap's edge cases: every case alike gives the point as both ends,
// a reference that is 0 gives no bounds.
func TestHeldOutBootstrap(t *testing.T) {
	t.Parallel()
	// Two cases: the rules score 0.5 and 1 at $1 and $3, the baseline 1
	// and 1 at $4 and $4; halves score 1 and 1 at $4 and $2.
	sums := caseSums{n: 2, rulesQ: 1.5, rulesC: 4, bestQ: 2, bestC: 8, baseQ: 2, baseC: 8, halfN: 2, halfQ: 2, halfC: 6}
	f := sums.figures(true)
	want := heldFigures{75, 50, 75, 50, 100, 25, -25, 25}
	for i := range f {
		if !near(f[i], want[i]) {
			t.Errorf("figure %d = %v, want %v", i, f[i], want[i])
		}
	}
	hs := DefaultHoldoutSettings()
	var same heldOutCases
	for i := range 25 {
		same.add(int32(i), 0, &caseSums{n: 1, rulesQ: 0.5, rulesC: 1, bestQ: 1, bestC: 4, baseQ: 1, baseC: 4})
	}
	lo, hi := same.bootstrap(true, hs)
	if lo[figKeptBase] != 50 || hi[figKeptBase] != 50 || lo[figSavedBase] != 75 || hi[figSavedBase] != 75 {
		t.Errorf("alike cases: kept [%v, %v], saved [%v, %v]", lo[figKeptBase], hi[figKeptBase], lo[figSavedBase], hi[figSavedBase])
	}
	if !math.IsNaN(lo[figKeptHalf]) || bounds(lo, hi, figKeptHalf) != nil {
		t.Errorf("no halves, yet bounds %v", lo[figKeptHalf])
	}
	// The same case twice under two tags is one cluster.
	same.add(0, 0, &caseSums{n: 1})
	if same.n != 25 || same.counts.at(0).n != 2 || !same.mixed {
		t.Errorf("%d clusters, the first of %v entries (mixed %v)", same.n, same.counts.at(0).n, same.mixed)
	}
}

// TestHeldOutBootstrapParallel checks that the bootstrap's bounds do not
// depend on the goroutines that draw it: GOMAXPROCS 1 and 4 give the
// bounds, bit for bit, of the resamples drawn one after the other from
// their streams, so does reading every case's counts rather than
// knowing them alike, and another seed gives other bounds. It changes GOMAXPROCS,
// so it does not run in parallel.
func TestHeldOutBootstrapParallel(t *testing.T) {
	h, hs := syntheticHeld(3000, 2), DefaultHoldoutSettings()
	hs.Resamples = 500
	figs := make([]heldFigures, hs.Resamples)
	for b := range figs {
		var src rand.PCG
		src.Seed(hs.Seed, resampleStream(b))
		t := h.resample(&src)
		figs[b] = t.figures(true)
	}
	wantLo, wantHi := percentileBounds(figs, expandedLevel((1-Confidence)/2, int(h.n)))
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	for _, procs := range []int{1, 4} {
		runtime.GOMAXPROCS(procs)
		lo, hi := h.bootstrap(true, hs)
		if fmt.Sprint(lo, hi) != fmt.Sprint(wantLo, wantHi) || lo[figKeptBase] >= hi[figKeptBase] {
			t.Errorf("GOMAXPROCS %d: bounds %v %v, want %v %v", procs, lo, hi, wantLo, wantHi)
		}
	}
	h.mix(0, true) // what reading every case's counts gives
	if lo, hi := h.bootstrap(true, hs); fmt.Sprint(lo, hi) != fmt.Sprint(wantLo, wantHi) {
		t.Errorf("read counts: bounds %v %v, want %v %v", lo, hi, wantLo, wantHi)
	}
	hs.Seed = 2
	if lo, hi := h.bootstrap(true, hs); fmt.Sprint(lo, hi) == fmt.Sprint(wantLo, wantHi) {
		t.Errorf("seeds 1 and 2 gave the same bounds %v %v", lo, hi)
	}
}

// TestDrawN checks that draws cover [0, n) evenly, for an n of each kind:
// 1, a power of two, another, and one whose draws are rejected a quarter
// of the time (3·2^61), by its sevenths.
func TestDrawN(t *testing.T) {
	t.Parallel()
	src := rand.NewPCG(1, 2)
	for _, n := range []uint64{1, 8, 7, 3 << 61} {
		const draws = 70_000
		k := n // a part a value, or sevenths of a large n
		if n > 8 {
			k = 7
		}
		buckets := make([]int, k)
		for range draws {
			d := drawN(src, n)
			if d >= n {
				t.Fatalf("drawN(%d) = %d", n, d)
			}
			buckets[min(uint64(float64(d)/float64(n)*float64(k)), k-1)]++
		}
		for i, c := range buckets {
			if want := draws / int(k); c < want*95/100 || c > want*105/100 {
				t.Errorf("drawN(%d): %d of %d draws in part %d of %d", n, c, draws, i, k)
			}
		}
	}
}

// TestHeldOutCounts checks the counts of the held-out cases as they stop
// being alike: first a new case of other halves, then a case's second
// entry; the totals count every entry and half.
func TestHeldOutCounts(t *testing.T) {
	t.Parallel()
	var h heldOutCases
	for i := range 4 {
		h.add(int32(i), 0, &caseSums{n: 1, rulesQ: 1, halfN: 5})
	}
	if tot := h.total(); h.mixed || h.counts.at(0) != nil || tot.n != 4 || tot.halfN != 20 || tot.rulesQ != 4 {
		t.Fatalf("alike cases: mixed %v, totals %+v", h.mixed, tot)
	}
	h.add(7, 1, &caseSums{n: 1, rulesQ: 1, halfN: 3})
	h.add(2, 0, &caseSums{n: 1, rulesQ: 1, halfN: 5})
	want := []heldCounts{{1, 5}, {1, 5}, {2, 10}, {1, 5}, {1, 3}}
	for i, w := range want {
		if c := h.counts.at(int32(i)); c == nil || *c != w {
			t.Errorf("case %d: counts %v, want %v", i, c, w)
		}
	}
	if tot := h.total(); !h.mixed || h.n != 5 || tot.n != 6 || tot.halfN != 28 || tot.rulesQ != 6 || len(h.strata) != 2 {
		t.Errorf("mixed %v, %d cases in %d strata, totals %+v", h.mixed, h.n, len(h.strata), tot)
	}
}
