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
	rng := s.rng(cases)
	nb := s.resamples()
	diffs := make([]float64, 0, nb)
	ratios := make([]float64, 0, nb)
	for range nb {
		var a, b float64
		n := 0
		for range cases {
			pc := cases[rng.IntN(len(cases))]
			a, b, n = a+pc.Baseline, b+pc.Candidate, n+pc.N
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

// rng returns the bootstrap's random stream for a sample: PCG seeded with
// Seed and a hash of the cases, so the same cases give the same interval
// whichever group (a suite, the tag that only it carries) they are in,
// and no group's interval depends on another's.
func (s Settings) rng(cases []PairedCase) *rand.Rand {
	h := fnv.New64a()
	var buf [24]byte
	for _, pc := range cases {
		binary.LittleEndian.PutUint64(buf[0:], math.Float64bits(pc.Baseline))
		binary.LittleEndian.PutUint64(buf[8:], math.Float64bits(pc.Candidate))
		binary.LittleEndian.PutUint64(buf[16:], uint64(pc.N))
		h.Write(buf[:])
	}
	return rand.New(rand.NewPCG(s.Seed, h.Sum64()))
}
