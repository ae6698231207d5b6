package stats

import (
	"math"
	"sort"

	"gonum.org/v1/gonum/stat/distuv"
)

// The operational checks of a gate (cost, error rate, latency) alarm only
// on a rise that is shown: they need one-sided confidence bounds on a
// ratio of sums, a difference of rates and a quantile, at a level of
// their own (the gate's, Bonferroni-split across suites).

// RatioBounds returns the ratio ΣCandidate/ΣBaseline over paired cases and
// its one-sided (1-q) lower and upper confidence bounds, by the delta
// method over the cases (the clustered standard error of deltaRatio, with
// Student's t at C-1 degrees of freedom). The bounds are NaN with fewer
// than two cases or a zero baseline sum; equal to the ratio when every
// case has the same ratio.
func RatioBounds(cases []PairedCase, q float64) (ratio, lo, hi float64) {
	var sumA, sumB float64
	for _, pc := range cases {
		sumA += pc.Baseline
		sumB += pc.Candidate
	}
	if sumA == 0 {
		return math.NaN(), math.NaN(), math.NaN()
	}
	ratio = sumB / sumA
	if len(cases) < 2 {
		return ratio, math.NaN(), math.NaN()
	}
	var ss float64
	for _, pc := range cases {
		dev := pc.Candidate - ratio*pc.Baseline
		ss += dev * dev
	}
	k := float64(len(cases))
	se := math.Sqrt(k/(k-1)*ss) / sumA
	h := studentQuantile(1-q, k-1) * se
	return ratio, ratio - h, ratio + h
}

// DiffBounds returns the row-weighted mean difference Candidate -
// Baseline over paired cases and its one-sided (1-q) lower and upper
// confidence bounds: the clustered standard error (ClusteredMean) with
// Student's t at C-1 degrees of freedom. NaN bounds with fewer than two
// cases.
func DiffBounds(cases []PairedCase, q float64) (diff, lo, hi float64) {
	_, _, d := pairedClusters(cases)
	diff, se := ClusteredMean(d)
	if len(cases) < 2 {
		return diff, math.NaN(), math.NaN()
	}
	h := studentQuantile(1-q, float64(len(cases)-1)) * se
	return diff, diff - h, diff + h
}

// QuantileBounds returns distribution-free one-sided (1-q) confidence
// bounds on the p-quantile of the distribution sorted was drawn from
// (independently), from its order statistics: the lower bound is the
// l-th smallest value for the largest l with P(Binomial(n, p) <= l-1) <=
// q, the upper the u-th for the smallest u with P(Binomial(n, p) >= u) <=
// q. A bound the sample is too small for is NaN (lo) or +Inf (hi).
func QuantileBounds(sorted []float64, p, q float64) (lo, hi float64) {
	n := len(sorted)
	lo, hi = math.NaN(), math.Inf(1)
	if n == 0 {
		return lo, hi
	}
	b := distuv.Binomial{N: float64(n), P: p}
	// P(Bin <= l-1) grows with l: the largest l with it at most q is one
	// less than the smallest l with it above q.
	if l := sort.Search(n+1, func(l int) bool { return l > 0 && b.CDF(float64(l-1)) > q }) - 1; l >= 1 {
		lo = sorted[l-1]
	}
	// P(Bin >= u) = 1 - CDF(u-1) falls with u: the smallest u with it at most q.
	if u := sort.Search(n+1, func(u int) bool { return u > 0 && 1-b.CDF(float64(u-1)) <= q }); u >= 1 && u <= n {
		hi = sorted[u-1]
	}
	return lo, hi
}
