package stats

import (
	"math"
	"math/rand/v2"
	"slices"

	"gonum.org/v1/gonum/stat"
	"gonum.org/v1/gonum/stat/distuv"
)

// The operational checks of a gate (cost, error rate, latency) alarm only
// on a rise that is shown: they need one-sided confidence bounds on a
// ratio of sums, a difference of rates and a ratio of quantiles, at a
// level of their own (the gate's, Bonferroni-split across suites).

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

// QuantileRatioBounds returns the ratio of the p-quantiles (the
// empirical ones, as stat.Empirical gives) of cand over base, two
// independent sorted samples, and its one-sided (1-q) lower and upper
// bounds by a percentile bootstrap that resamples each side on its own.
//
// A resample's p-quantile is its k-th smallest value, k = ceil(p·n), so
// it is one of the sample's order statistics, and its bootstrap
// distribution is exact: P(x*_(k) <= x_(j)) = P(Binomial(n, j/n) >= k).
// Draws come from it by inversion, so the bootstrap costs O(sqrt(n)) CDF
// evaluations and O(log n) per draw, not O(n) per resample: enough draws
// for small levels (20/q, at least 2000) at any n. seed fixes the draws.
// NaN bounds for an empty side or a zero baseline quantile.
func QuantileRatioBounds(base, cand []float64, p, q float64, seed uint64) (ratio, lo, hi float64) {
	nan := math.NaN()
	if len(base) == 0 || len(cand) == 0 {
		return nan, nan, nan
	}
	bq, cq := stat.Quantile(p, stat.Empirical, base, nil), stat.Quantile(p, stat.Empirical, cand, nil)
	if bq <= 0 {
		return nan, nan, nan
	}
	ratio = cq / bq
	fb, fc := newQuantileDraw(len(base), p), newQuantileDraw(len(cand), p)
	draws := max(2000, int(math.Ceil(20/q)))
	rng := rand.New(rand.NewPCG(seed, uint64(len(base))<<32|uint64(len(cand))))
	rs := make([]float64, 0, draws)
	for range draws {
		b := base[fb.draw(rng.Float64())]
		if b > 0 {
			rs = append(rs, cand[fc.draw(rng.Float64())]/b)
		}
	}
	if len(rs) < draws*99/100 {
		return ratio, nan, nan
	}
	slices.Sort(rs)
	return ratio, stat.Quantile(q, stat.Empirical, rs, nil), stat.Quantile(1-q, stat.Empirical, rs, nil)
}

// quantileRank returns k = ceil(p·n), within [1, n]: the rank of
// stat.Empirical's p-quantile among n sorted values.
func quantileRank(n int, p float64) int {
	return min(max(int(math.Ceil(p*float64(n)-1e-9)), 1), n)
}

// quantileDraw draws the index of a resample's p-quantile among a
// sample's order statistics: cdf[i] = P(x*_(k) <= x_(from+i+1)) over the
// indexes where it is neither 0 nor 1 to double precision.
type quantileDraw struct {
	from int
	cdf  []float64
}

// newQuantileDraw tabulates the bootstrap distribution of the p-quantile
// of n values within 9 binomial standard deviations of its rank.
func newQuantileDraw(n int, p float64) quantileDraw {
	k := quantileRank(n, p)
	w := int(math.Ceil(9*math.Sqrt(float64(n)*p*(1-p)))) + 2
	from, to := max(k-w, 1), min(k+w, n)
	d := quantileDraw{from: from - 1, cdf: make([]float64, 0, to-from+1)}
	for j := from; j <= to; j++ {
		b := distuv.Binomial{N: float64(n), P: float64(j) / float64(n)}
		d.cdf = append(d.cdf, 1-b.CDF(float64(k-1)))
	}
	d.cdf[len(d.cdf)-1] = 1
	return d
}

// draw returns the 0-based index of the order statistic for uniform u.
func (d quantileDraw) draw(u float64) int {
	i, _ := slices.BinarySearch(d.cdf, u)
	return d.from + min(i, len(d.cdf)-1)
}
