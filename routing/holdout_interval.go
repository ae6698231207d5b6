package routing

import (
	"fmt"
	"math"
	"math/bits"
	"math/rand/v2"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/parity-eval/parity/internal/format"
	"github.com/parity-eval/parity/stats"
	"gonum.org/v1/gonum/stat"
	"gonum.org/v1/gonum/stat/distuv"
)

// HoldoutInterval bounds the held-out quality kept and cost saved by a
// cluster bootstrap over the held-out cases: Resamples times, draw as
// many cases of each suite as it had held out, with replacement, each
// with all its repeats and under every rule it was held out for, and
// recompute each figure (a ratio of sums: the rules' total over the
// reference's on the same cases). Drawing within suites keeps the run's
// mix of suites, which its design fixed: a suite of costly image cases
// weighs on the pooled cost as much in every resample. The bounds are the
// expanded percentile interval at Confidence, as stats' bootstrap reads
// it. The rules stay those the folds chose: the interval is the noise of
// the held-out cases, not of the choice. Below MinBootstrapCases distinct
// held-out cases there is no interval (Method "none") rather than one too
// few cases could support.
type HoldoutInterval struct {
	// Method is stats.MethodBootstrap or stats.MethodNone; How says how,
	// or why there is no interval.
	Method     string  `yaml:"method" json:"method"`
	How        string  `yaml:"how" json:"how"`
	Confidence float64 `yaml:"confidence" json:"confidence"`
	// Cases counts the distinct held-out cases resampled (a case held out
	// under two tags is one).
	Cases     int `yaml:"cases" json:"cases"`
	Resamples int `yaml:"resamples,omitempty" json:"resamples,omitempty"`
	// The bounds of Holdout's four figures, in percent.
	QualityKeptVsBestPct     *Bounds `yaml:"quality_kept_vs_best_pct,omitempty" json:"quality_kept_vs_best_pct,omitempty"`
	CostSavedVsBestPct       *Bounds `yaml:"cost_saved_vs_best_pct,omitempty" json:"cost_saved_vs_best_pct,omitempty"`
	QualityKeptVsBaselinePct *Bounds `yaml:"quality_kept_vs_baseline_pct,omitempty" json:"quality_kept_vs_baseline_pct,omitempty"`
	CostSavedVsBaselinePct   *Bounds `yaml:"cost_saved_vs_baseline_pct,omitempty" json:"cost_saved_vs_baseline_pct,omitempty"`
}

// Bounds are the two ends of an interval.
type Bounds struct {
	Low  float64 `yaml:"low" json:"low"`
	High float64 `yaml:"high" json:"high"`
}

// caseSums are one held-out case's sums, over the rules and folds it was
// held out under: n entries of the rules' primary, the best and the
// baseline, and halfN of the primaries chosen on half the training cases.
type caseSums struct {
	n, rulesQ, rulesC, bestQ, bestC, baseQ, baseC float64
	halfN, halfQ, halfC                           float64
}

// heldSums are one held-out case's sums as heldOutCases keeps them: those
// of caseSums but its counts, 64 bytes, one cache line for each draw of
// the bootstrap.
type heldSums struct {
	rulesQ, rulesC, bestQ, bestC, baseQ, baseC, halfQ, halfC float64
}

// heldCounts are one held-out case's counts, caseSums' n and halfN, in
// float32: exact up to 2^24 entries of a case.
type heldCounts struct{ n, halfN float32 }

// plus adds one entry's sums.
func (s *heldSums) plus(o *caseSums) {
	s.rulesQ, s.rulesC = s.rulesQ+o.rulesQ, s.rulesC+o.rulesC
	s.bestQ, s.bestC, s.baseQ, s.baseC = s.bestQ+o.bestQ, s.bestC+o.bestC, s.baseQ+o.baseQ, s.baseC+o.baseC
	s.halfQ, s.halfC = s.halfQ+o.halfQ, s.halfC+o.halfC
}

// plus adds a held-out case's sums, its counts apart (plusCounts).
func (s *caseSums) plus(o *heldSums) {
	s.rulesQ, s.rulesC = s.rulesQ+o.rulesQ, s.rulesC+o.rulesC
	s.bestQ, s.bestC, s.baseQ, s.baseC = s.bestQ+o.bestQ, s.bestC+o.bestC, s.baseQ+o.baseQ, s.baseC+o.baseC
	s.halfQ, s.halfC = s.halfQ+o.halfQ, s.halfC+o.halfC
}

// plusCounts adds a held-out case's counts.
func (s *caseSums) plusCounts(c *heldCounts) {
	s.n, s.halfN = s.n+float64(c.n), s.halfN+float64(c.halfN)
}

// The figures a bootstrap bounds, as indices of heldFigures. Half and Gain
// are against the split cost's reference (the baseline when there is one,
// else the best); a gain is full minus half, in percentage points.
const (
	figKeptBest = iota
	figSavedBest
	figKeptBase
	figSavedBase
	figKeptHalf
	figSavedHalf
	figKeptGain
	figSavedGain
	numFigures
)

// heldFigures are the figures of a sample of held-out cases, in percent;
// NaN where a reference sums to 0.
type heldFigures [numFigures]float64

// figures computes every figure from a sample's sums; vsBase picks the
// split cost's reference.
func (s *caseSums) figures(vsBase bool) heldFigures {
	var f heldFigures
	f[figKeptBest], f[figSavedBest] = 100*ratio(s.rulesQ, s.bestQ), 100*(1-ratio(s.rulesC, s.bestC))
	f[figKeptBase], f[figSavedBase] = 100*ratio(s.rulesQ, s.baseQ), 100*(1-ratio(s.rulesC, s.baseC))
	refQ, refC, kept, saved := s.bestQ, s.bestC, f[figKeptBest], f[figSavedBest]
	if vsBase {
		refQ, refC, kept, saved = s.baseQ, s.baseC, f[figKeptBase], f[figSavedBase]
	}
	halfQ, halfC := ratio(s.halfQ, s.halfN), ratio(s.halfC, s.halfN)
	f[figKeptHalf] = 100 * ratio(halfQ, refQ/s.n)
	f[figSavedHalf] = 100 * (1 - ratio(halfC, refC/s.n))
	f[figKeptGain], f[figSavedGain] = kept-f[figKeptHalf], saved-f[figSavedHalf]
	return f
}

// ratio returns a/b, NaN when b is 0.
func ratio(a, b float64) float64 {
	if b == 0 {
		return math.NaN()
	}
	return a / b
}

// heldOutCases accumulates the sums of each held-out case, clustered by
// the evidence's case (suite and case id), in the order the cases were
// first held out; strata are the indices of each suite's cases, in the
// order of the suites' first cases.
type heldOutCases struct {
	// slot holds 1 + the index in sums of the evidence's case g, 0 while
	// it is not held out; n counts the cases.
	slot paged[int32]
	sums paged[heldSums]
	n    int32
	// mixed is set once a case has two entries, or an entry has other
	// counts than one entry of the first's halfN halves. Until then every
	// case's counts are those, and counts holds nothing: the bootstrap
	// need not read them, nor memory hold them.
	mixed  bool
	halfN  float64
	counts paged[heldCounts]
	suites map[uint32]int
	strata [][]int32
}

// add records one held-out entry of the evidence's case g, of the suite
// of index suite.
func (h *heldOutCases) add(g int32, suite uint32, s *caseSums) {
	slot := h.slot.grow(g, 0)
	known := *slot != 0
	if !known {
		if h.suites == nil {
			h.suites, h.halfN = map[uint32]int{}, s.halfN
		}
		i := h.n
		h.n++
		*slot = i + 1
		h.sums.grow(i, heldSums{})
		st, ok := h.suites[suite]
		if !ok {
			st = len(h.strata)
			h.suites[suite] = st
			h.strata = append(h.strata, nil)
		}
		h.strata[st] = append(h.strata[st], i)
	}
	i := *slot - 1
	if !h.mixed && (known || s.n != 1 || s.halfN != h.halfN) {
		h.mix(i, known)
	}
	if h.mixed {
		c := h.counts.grow(i, heldCounts{})
		c.n, c.halfN = c.n+float32(s.n), c.halfN+float32(s.halfN)
	}
	h.sums.at(i).plus(s)
}

// mix sets mixed and writes down the counts so far: one entry of halfN
// halves a case, none for case i unless known.
func (h *heldOutCases) mix(i int32, known bool) {
	h.mixed = true
	for j := range h.n {
		if j != i || known {
			*h.counts.grow(j, heldCounts{}) = heldCounts{1, float32(h.halfN)}
		}
	}
}

// total returns the sums over every case.
func (h *heldOutCases) total() caseSums {
	var t caseSums
	for i := range h.n {
		t.plus(h.sums.at(i))
		if h.mixed {
			t.plusCounts(h.counts.at(i))
		}
	}
	if !h.mixed {
		t.n, t.halfN = float64(h.n), float64(h.n)*h.halfN
	}
	return t
}

// bootstrapStream is the PCG stream of the held-out bootstrap, beside
// the holdout's seed: resample b draws from the stream of
// resampleStream(b).
const bootstrapStream = 0x686f6c646f7574 // "holdout"

// resampleStream returns the PCG stream of resample b: splitmix64 of the
// b+1th step from bootstrapStream, so that the resamples' streams are
// apart however close their indices.
func resampleStream(b int) uint64 {
	z := bootstrapStream + uint64(b+1)*0x9e3779b97f4a7c15
	z = (z ^ z>>30) * 0xbf58476d1ce4e5b9
	z = (z ^ z>>27) * 0x94d049bb133111eb
	return z ^ z>>31
}

// bootstrap returns the expanded percentile bounds of every figure over
// resamples of the cases within their suites (see HoldoutInterval); NaN
// bounds for a figure undefined in more than 1% of the resamples. The
// resamples are drawn by GOMAXPROCS goroutines; each draws from a stream
// of its own (resampleStream) and writes its figures to a slot of its
// own, so that the bounds do not depend on how many goroutines drew them,
// nor in what order.
func (h *heldOutCases) bootstrap(vsBase bool, hs HoldoutSettings) (lo, hi heldFigures) {
	figs := make([]heldFigures, max(hs.Resamples, 0))
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(figs)) {
		wg.Go(func() {
			var src rand.PCG
			for b := int(next.Add(1) - 1); b < len(figs); b = int(next.Add(1) - 1) {
				src.Seed(hs.Seed, resampleStream(b))
				t := h.resample(&src)
				figs[b] = t.figures(vsBase)
			}
		})
	}
	wg.Wait()
	return percentileBounds(figs, expandedLevel((1-Confidence)/2, int(h.n)))
}

// resample returns the sums of one resample: as many cases of each
// suite as it held out, drawn from src with replacement. The sums are
// scalars, which stay in registers, where a caseSums (more than four
// fields) would be loaded and stored at every draw.
func (h *heldOutCases) resample(src *rand.PCG) caseSums {
	var rq, rc, bq, bc, aq, ac, hq, hc, n, halfN float64
	sums, counts := h.sums.pages, h.counts.pages
	for _, st := range h.strata {
		size := uint64(len(st))
		for range st {
			i := uint32(st[drawN(src, size)])
			s := &sums[i/pageLen][i%pageLen]
			rq, rc, bq, bc = rq+s.rulesQ, rc+s.rulesC, bq+s.bestQ, bc+s.bestC
			aq, ac, hq, hc = aq+s.baseQ, ac+s.baseC, hq+s.halfQ, hc+s.halfC
			if h.mixed {
				c := &counts[i/pageLen][i%pageLen]
				n, halfN = n+float64(c.n), halfN+float64(c.halfN)
			}
		}
	}
	if !h.mixed { // every case one entry of halfN halves: the sums of n draws
		n, halfN = float64(h.n), float64(h.n)*h.halfN
	}
	return caseSums{n: n, rulesQ: rq, rulesC: rc, bestQ: bq, bestC: bc, baseQ: aq, baseC: ac, halfN: halfN, halfQ: hq, halfC: hc}
}

// drawN returns a uniform draw from [0, n) of src, n > 0 (Lemire's
// multiply and reject, as math/rand/v2 draws).
func drawN(src *rand.PCG, n uint64) uint64 {
	hi, lo := bits.Mul64(src.Uint64(), n)
	if lo < n {
		for thresh := -n % n; lo < thresh; {
			hi, lo = bits.Mul64(src.Uint64(), n)
		}
	}
	return hi
}

// percentileBounds returns the bounds at levels q and 1-q of each figure
// over the resamples' figs, NaN where more than 1% of them are NaN.
func percentileBounds(figs []heldFigures, q float64) (lo, hi heldFigures) {
	d := make([]float64, 0, len(figs))
	for i := range numFigures {
		d = d[:0]
		for b := range figs {
			if x := figs[b][i]; !math.IsNaN(x) {
				d = append(d, x)
			}
		}
		lo[i], hi[i] = math.NaN(), math.NaN()
		if len(d) >= len(figs)*99/100 && len(d) > 0 {
			slices.Sort(d)
			lo[i], hi[i] = stat.Quantile(q, stat.Empirical, d, nil), stat.Quantile(1-q, stat.Empirical, d, nil)
		}
	}
	return lo, hi
}

// expandedLevel is the level at which the expanded percentile interval
// reads the resampled figures for a one-sided level q over n cases,
// Φ(-sqrt(n/(n-1))·t_{1-q, n-1}) (Hesterberg 2015), as stats' bootstrap
// does: the plain percentile interval is too narrow in small samples.
func expandedLevel(q float64, n int) float64 {
	k := float64(n)
	t := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: k - 1}.Quantile(1 - q)
	return distuv.UnitNormal.CDF(-math.Sqrt(k/(k-1)) * t)
}

// interval returns the held-out proof's interval and the bounds of every
// figure (NaN without an interval); baseline tells whether the baseline's
// figures are reported.
func (h *heldOutCases) interval(baseline bool, hs HoldoutSettings) (iv *HoldoutInterval, lo, hi heldFigures) {
	n := int(h.n)
	iv = &HoldoutInterval{Method: stats.MethodNone, Confidence: Confidence, Cases: n}
	for i := range lo {
		lo[i], hi[i] = math.NaN(), math.NaN()
	}
	switch {
	case hs.Resamples <= 0:
		iv.How = "no interval: resampling is off"
		return iv, lo, hi
	case n < max(hs.MinBootstrapCases, 2):
		iv.How = fmt.Sprintf("no interval: %d distinct held-out cases, fewer than the %d a bootstrap needs", n, max(hs.MinBootstrapCases, 2))
		return iv, lo, hi
	}
	iv.Method, iv.Resamples = stats.MethodBootstrap, hs.Resamples
	iv.How = fmt.Sprintf("cluster bootstrap over the %d distinct held-out cases, drawn within their %d suites "+
		"(each case with all its repeats and rules), %d resamples seeded %d (PCG), "+
		"%s expanded percentile interval of each ratio of sums; the folds' rules are not chosen again",
		n, len(h.strata), hs.Resamples, hs.Seed, format.Pct(Confidence))
	lo, hi = h.bootstrap(baseline, hs)
	iv.QualityKeptVsBestPct, iv.CostSavedVsBestPct = bounds(lo, hi, figKeptBest), bounds(lo, hi, figSavedBest)
	if baseline {
		iv.QualityKeptVsBaselinePct, iv.CostSavedVsBaselinePct = bounds(lo, hi, figKeptBase), bounds(lo, hi, figSavedBase)
	}
	return iv, lo, hi
}

// bounds returns figure i's bounds rounded to two decimals, nil when
// undefined.
func bounds(lo, hi heldFigures, i int) *Bounds {
	if math.IsNaN(lo[i]) || math.IsNaN(hi[i]) {
		return nil
	}
	return &Bounds{roundPct(lo[i]), roundPct(hi[i])}
}

// roundPct rounds a percentage to two decimals, 0 rather than -0.
func roundPct(v float64) float64 {
	if r := format.RoundTo(v, 2); r != 0 {
		return r
	}
	return 0
}

// heldOutSums are one held-out case's sums under a fold's choices: the
// primary at tolerance index tol, the best, the baseline and the primaries
// chosen on halves of the training cases.
func heldOutSums(re *routeEvidence, c int32, fc holdoutFold, tol int, halves []int) *caseSums {
	r, b, a := re.cell(c, fc.primaries[tol]), re.cell(c, fc.best), re.cell(c, fc.base)
	s := &caseSums{n: 1, rulesQ: r.meanScore(), rulesC: r.meanCost(), bestQ: b.meanScore(), bestC: b.meanCost(),
		baseQ: a.meanScore(), baseC: a.meanCost(), halfN: float64(len(halves))}
	for _, h := range halves {
		s.halfQ += re.cell(c, h).meanScore()
		s.halfC += re.cell(c, h).meanCost()
	}
	return s
}
