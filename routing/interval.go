package routing

import (
	"iter"
	"math"
	"slices"

	"gonum.org/v1/gonum/stat"
	"gonum.org/v1/gonum/stat/distuv"
)

// Confidence is the level of every interval the routing rules use: the
// two-sided 95% interval, whose lower bound is also the one-sided 97.5%
// bound a non-inferiority test needs (REFERENCE.md §1).
const Confidence = 0.95

// clusterTotal is one cluster's (one case's) sum of values and their count.
type clusterTotal struct {
	sum float64
	n   int
}

// scoreInterval is a mean with its case-clustered standard error and the lower
// bound of its 95% interval.
type scoreInterval struct {
	mean, stdErr, low float64
	// n counts the observations (rows or pairs), clusters the cases.
	n, clusters int
}

// caseClusteredInterval returns the mean of the observations in cs, the
// clustered standard error of Miller (2024, REFERENCE.md §1)
//
//	SE_cl = sqrt( C/(C-1) · Σ_c (Σ_{i∈c} (x_i - x̄))² ) / n
//
// over C clusters and n observations (with one observation per cluster it
// is the usual sqrt(Var/n)), and the lower bound x̄ - t·SE_cl with
// Student's t at C-1 degrees of freedom. Below two clusters the interval
// is unbounded and low is floor, the smallest value the measure takes.
func caseClusteredInterval(cs []clusterTotal, floor float64) scoreInterval {
	return clusteredInterval(slices.Values(cs), floor)
}

// clusteredInterval is caseClusteredInterval over the clusters cs
// yields, twice, the same each time: the clusters of every case of a rule
// need not be held at once.
func clusteredInterval(cs iter.Seq[clusterTotal], floor float64) scoreInterval {
	var total float64
	iv := scoreInterval{low: floor}
	for c := range cs {
		total += c.sum
		iv.n += c.n
		iv.clusters++
	}
	if iv.n == 0 {
		return iv
	}
	iv.mean = total / float64(iv.n)
	if iv.clusters < 2 {
		return iv
	}
	var ss float64
	for c := range cs {
		d := c.sum - float64(c.n)*iv.mean
		ss += d * d
	}
	c := float64(iv.clusters)
	iv.stdErr = math.Sqrt(c/(c-1)*ss) / float64(iv.n)
	iv.low = max(iv.mean-studentT975(iv.clusters-1)*iv.stdErr, floor)
	return iv
}

// studentT975 is Student's t quantile of the two-sided Confidence interval
// at df degrees of freedom (2.262 at df = 9; 1.96 as df grows).
func studentT975(df int) float64 {
	t := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: float64(df)}
	return t.Quantile(1 - (1-Confidence)/2)
}

// routePaired is the comparison of two providers on the rows both answered.
type routePaired struct {
	scoreInterval
	// corr is the Pearson correlation of the paired scores; NaN when
	// either is constant.
	corr float64
}

// pairedByCase compares providers a and b over the cases of r, pairing their
// rows by suite, case and repeat: d = score_a - score_b, clustered by case
// (REFERENCE.md §1, paired differences). The lower bound is floored at -1.
// The correlation is left NaN: pairedCorrelation computes it where it is
// reported.
func pairedByCase(r *routeEvidence, cases []int32, a, b int) routePaired {
	iv := clusteredInterval(func(yield func(clusterTotal) bool) {
		for _, c := range cases {
			var cl clusterTotal
			eachPair(r, c, a, b, func(x, y float64) {
				cl.sum += x - y
				cl.n++
			})
			if cl.n > 0 && !yield(cl) {
				return
			}
		}
	}, -1)
	return routePaired{scoreInterval: iv, corr: math.NaN()}
}

// eachPair calls f with the scores of providers a and b on case c of r,
// repeat by repeat, where both have one.
func eachPair(r *routeEvidence, c int32, a, b int, f func(x, y float64)) {
	if !r.has(c, a) || !r.has(c, b) {
		return
	}
	sa, sb := r.cell(c, a).scores, r.cell(c, b).scores
	for r := range min(len(sa), len(sb)) {
		if !math.IsNaN(sa[r]) && !math.IsNaN(sb[r]) {
			f(sa[r], sb[r])
		}
	}
}

// pairedCorrelation returns the Pearson correlation of the n paired
// scores of providers a and b over the cases of r (pairedByCase); NaN
// under two pairs or when either is constant.
func pairedCorrelation(r *routeEvidence, cases []int32, a, b, n int) float64 {
	if n < 2 {
		return math.NaN()
	}
	xs, ys := make([]float64, 0, n), make([]float64, 0, n)
	for _, c := range cases {
		eachPair(r, c, a, b, func(x, y float64) { xs, ys = append(xs, x), append(ys, y) })
	}
	return stat.Correlation(xs, ys, nil)
}

// nonInferior reports whether the paired comparison shows a no worse than
// b by more than margin: the lower bound of (a - b) above -margin.
func (d routePaired) nonInferior(margin float64) bool {
	return d.clusters >= 2 && d.low > -margin-scoreEpsilon
}
