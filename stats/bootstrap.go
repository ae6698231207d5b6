package stats

import (
	"encoding/binary"
	"hash/fnv"
	"math"
	"math/rand/v2"
	"slices"

	"gonum.org/v1/gonum/stat"
	"gonum.org/v1/gonum/stat/distuv"
)

// bootstrapPaired sets c's interval, p-value and ratio interval from a
// cluster bootstrap: Resamples times (more for a small MinLevel), draw
// len(cases) cases with replacement, each with all its rows, and
// recompute the difference and the ratio of the row-weighted means. The
// interval is the expanded percentile interval: empirical quantiles
// (stat.Quantile, stat.Empirical) of the sorted resampled differences at
// expandedLevel(alpha/2) and its complement.
func (s Settings) bootstrapPaired(c *Comparison, cases []PairedCase) {
	src := rand.NewPCG(s.seeds(cases))
	rng := rand.New(src)
	nb := s.resamples()
	diffs := make([]float64, 0, nb)
	ratios := make([]float64, 0, nb)
	kinds := caseKinds(cases)
	for range nb {
		var a, b float64
		n := 0
		if kinds != nil {
			a, b, n = kinds.resample(src, len(cases))
		} else {
			for range cases {
				pc := cases[rng.IntN(len(cases))]
				a, b, n = a+pc.Baseline, b+pc.Candidate, n+pc.N
			}
		}
		diffs = append(diffs, (b-a)/float64(n))
		if a != 0 {
			ratios = append(ratios, b/a)
		}
	}
	slices.Sort(diffs)
	c.Method = MethodBootstrap
	c.boot = diffs
	q := expandedLevel(s.Alpha/2, len(cases))
	c.Lo, c.Hi = bootPercentiles(diffs, q)
	c.P = math.Min(1, 2*unexpandedLevel(bootstrapShare(diffs), len(cases)))
	// A resample whose baseline scores are all 0 has no ratio; the ratio
	// interval stands on the others when they are nearly all of them.
	if !math.IsNaN(c.Ratio) && len(ratios) >= nb*99/100 {
		slices.Sort(ratios)
		c.RatioLo, c.RatioHi = bootPercentiles(ratios, q)
		c.RatioMethod = MethodBootstrap
	}
}

// bootPercentiles returns the q and 1-q empirical quantiles of sorted.
func bootPercentiles(sorted []float64, q float64) (lo, hi float64) {
	return stat.Quantile(q, stat.Empirical, sorted, nil), stat.Quantile(1-q, stat.Empirical, sorted, nil)
}

// bootstrapShare returns the smaller share of resampled differences on
// either side of 0 (ties count on both sides): the one-sided level at
// which the percentile interval's end touches 0.
func bootstrapShare(sorted []float64) float64 {
	var below, above int
	for _, x := range sorted {
		if x <= 0 {
			below++
		}
		if x >= 0 {
			above++
		}
	}
	return float64(min(below, above)) / float64(len(sorted))
}

// expandedLevel returns the level at which the expanded percentile
// interval (Hesterberg, "What Teachers Should Know About the Bootstrap",
// The American Statistician 69(4), 2015) reads the resampled
// distribution for a one-sided level q over n cases:
// Φ(-sqrt(n/(n-1))·t_{1-q, n-1}). The plain percentile interval is too
// narrow in small samples (it divides the variance by n, not n-1, and
// uses the normal's tails, not Student's); this widens it to what t would
// give, keeping the bootstrap's asymmetry. For n = 40 and q = 0.025 it
// reads the 0.0203 quantile.
func expandedLevel(q float64, n int) float64 {
	k := float64(n)
	return distuv.UnitNormal.CDF(-math.Sqrt(k/(k-1)) * studentQuantile(1-q, k-1))
}

// unexpandedLevel inverts expandedLevel: the one-sided level q whose
// expanded level is s, so that a share of resampled differences s below
// a bound is a p-value on the scale of the levels it is compared with.
func unexpandedLevel(s float64, n int) float64 {
	k := float64(n)
	return studentSurvival(-distuv.UnitNormal.Quantile(s)*math.Sqrt((k-1)/k), k-1)
}

// seeds returns the seeds of the bootstrap's random stream for a sample
// (PCG): Seed and a hash of the cases, so the same cases give the same
// interval whichever group (a suite, the tag that only it carries) they
// are in, and no group's interval depends on another's.
func (s Settings) seeds(cases []PairedCase) (uint64, uint64) {
	h := fnv.New64a()
	var buf [24]byte
	for _, pc := range cases {
		binary.LittleEndian.PutUint64(buf[0:], math.Float64bits(pc.Baseline))
		binary.LittleEndian.PutUint64(buf[8:], math.Float64bits(pc.Candidate))
		binary.LittleEndian.PutUint64(buf[16:], uint64(pc.N))
		h.Write(buf[:])
	}
	return s.Seed, h.Sum64()
}

// maxCaseKinds is how many distinct cases a sample may have for its
// resamples to be drawn as counts of each (see caseKinds).
const maxCaseKinds = 32

// kindCounts are a sample's distinct cases and how many of each it holds.
type kindCounts struct {
	kinds []PairedCase
	count []float64
}

// caseKinds returns the distinct cases of a sample with their
// multiplicities, or nil when there are more than maxCaseKinds or too few
// cases per kind to gain anything. Pass/fail scores over a few repeats
// give a handful of kinds: drawing n cases with replacement is then
// drawing the multinomial counts of the kinds, the same distribution in
// O(kinds) work per resample instead of O(n).
func caseKinds(cases []PairedCase) *kindCounts {
	k := &kindCounts{}
	idx := map[PairedCase]int{}
	for _, pc := range cases {
		i, ok := idx[pc]
		if !ok {
			if len(k.kinds) == maxCaseKinds {
				return nil
			}
			i = len(k.kinds)
			idx[pc] = i
			k.kinds = append(k.kinds, pc)
			k.count = append(k.count, 0)
		}
		k.count[i]++
	}
	if len(cases) < 4*len(k.kinds) {
		return nil
	}
	return k
}

// resample draws n cases with replacement as multinomial counts of the
// kinds (a binomial draw per kind, conditioned on those before) and
// returns the sums of the baseline's and the candidate's scores and of
// the rows.
func (k *kindCounts) resample(src rand.Source, n int) (a, b float64, rows int) {
	left, weight := float64(n), float64(n)
	for i, pc := range k.kinds {
		var m float64
		switch {
		case left == 0:
			return a, b, rows
		case i == len(k.kinds)-1 || k.count[i] >= weight:
			m = left
		default:
			m = distuv.Binomial{N: left, P: k.count[i] / weight, Src: src}.Rand()
		}
		a, b, rows = a+m*pc.Baseline, b+m*pc.Candidate, rows+int(m)*pc.N
		left, weight = left-m, weight-k.count[i]
	}
	return a, b, rows
}
