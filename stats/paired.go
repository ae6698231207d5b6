package stats

import (
	"math"

	"gonum.org/v1/gonum/stat"
)

// PairedCase is one case both sides answered: the sums of the baseline's
// and the candidate's scores over the case's paired rows (the repeat
// indexes both answered) and how many paired rows there are.
type PairedCase struct {
	Baseline, Candidate float64
	N                   int
}

// Comparison is a paired (or, for MethodWelch, unpaired) comparison of two
// sides' mean scores. Undefined values are NaN: intervals with fewer than
// two cases, the ratio when the baseline's mean is 0, the correlation when
// either side's per-case scores are constant.
type Comparison struct {
	// Method is how Lo, Hi and P were computed: MethodT, MethodBootstrap,
	// MethodWelch or MethodNone.
	Method string
	// Cases is the number of paired cases (for Welch, of both samples), Rows
	// the rows they hold.
	Cases, Rows int
	// Baseline and Candidate are the row-weighted mean scores; Diff is
	// Candidate - Baseline.
	Baseline, Candidate, Diff float64
	// StdErr is Diff's cluster-robust standard error, DF the degrees of
	// freedom of its t distribution.
	StdErr, DF float64
	// Lo and Hi bound the two-sided (1-Alpha) interval of Diff.
	Lo, Hi float64
	// P is the two-sided p-value of "no difference".
	P float64
	// Ratio is Candidate / Baseline, with its (1-Alpha) interval from
	// RatioMethod (MethodDelta or MethodBootstrap).
	Ratio, RatioLo, RatioHi float64
	RatioMethod             string
	// Correlation is Pearson's r between the two sides' per-case mean
	// scores: the higher, the more pairing narrows the interval.
	Correlation float64
	// SD is the standard deviation of the per-case differences that the
	// standard error implies, StdErr·sqrt(Cases): the σ of the power
	// formulas.
	SD float64

	boot []float64 // sorted resampled differences (bootstrap only)
}

// Paired compares the candidate with the baseline on cases both answered,
// in a fixed order (the bootstrap resamples by position). discrete says
// the row scores take few distinct values (see Settings.DiscreteValues):
// with enough cases they get a bootstrap interval, otherwise Student's t
// over the clustered standard error.
func (s Settings) Paired(cases []PairedCase, discrete bool) Comparison {
	base, cand, diff := pairedClusters(cases)
	c := undefinedComparison(len(cases))
	c.Baseline, _ = ClusteredMean(base)
	c.Candidate, _ = ClusteredMean(cand)
	c.Diff, c.StdErr = ClusteredMean(diff)
	for _, pc := range cases {
		c.Rows += pc.N
	}
	if len(cases) < 2 {
		return c
	}
	c.DF = float64(len(cases) - 1)
	c.SD = c.StdErr * math.Sqrt(float64(len(cases)))
	c.Correlation = caseCorrelation(cases)
	if c.Baseline != 0 {
		c.Ratio = c.Candidate / c.Baseline
	}
	if s.bootstraps(len(cases), discrete) {
		s.bootstrapPaired(&c, cases)
		return c
	}
	c.Method = MethodT
	c.Lo, c.Hi = TInterval(c.Diff, c.StdErr, c.DF, s.Alpha)
	c.P = TTestP(c.Diff, c.StdErr, c.DF)
	s.deltaRatio(&c, cases)
	return c
}

// undefinedComparison returns a comparison of n cases with every statistic
// undefined.
func undefinedComparison(n int) Comparison {
	nan := math.NaN()
	return Comparison{
		Method: MethodNone, Cases: n,
		Baseline: nan, Candidate: nan, Diff: nan, StdErr: nan, DF: nan,
		Lo: nan, Hi: nan, P: nan, Ratio: nan, RatioLo: nan, RatioHi: nan,
		RatioMethod: MethodNone, Correlation: nan, SD: nan,
	}
}

// pairedClusters returns the baseline's, the candidate's and the differences'
// clusters.
func pairedClusters(cases []PairedCase) (base, cand, diff []Cluster) {
	base = make([]Cluster, len(cases))
	cand = make([]Cluster, len(cases))
	diff = make([]Cluster, len(cases))
	for i, pc := range cases {
		base[i] = Cluster{Sum: pc.Baseline, N: pc.N}
		cand[i] = Cluster{Sum: pc.Candidate, N: pc.N}
		diff[i] = Cluster{Sum: pc.Candidate - pc.Baseline, N: pc.N}
	}
	return base, cand, diff
}

// caseCorrelation returns Pearson's r between the per-case mean scores,
// NaN when either side's are constant.
func caseCorrelation(cases []PairedCase) float64 {
	a := make([]float64, len(cases))
	b := make([]float64, len(cases))
	for i, pc := range cases {
		a[i] = pc.Baseline / float64(pc.N)
		b[i] = pc.Candidate / float64(pc.N)
	}
	if flatSeries(a) || flatSeries(b) {
		return math.NaN()
	}
	return stat.Correlation(a, b, nil)
}

// flatSeries reports whether every value of xs is the same.
func flatSeries(xs []float64) bool {
	for _, x := range xs {
		if x != xs[0] {
			return false
		}
	}
	return true
}

// deltaRatio sets the ratio's interval by the delta method: Ratio =
// ΣB/ΣA is linearised as Σ_c (B_c - Ratio·A_c)/ΣA, whose clustered
// standard error is sqrt(C/(C-1)·Σ_c (B_c - Ratio·A_c)²)/ΣA (the terms
// sum to zero, so they need no centring).
func (s Settings) deltaRatio(c *Comparison, cases []PairedCase) {
	if math.IsNaN(c.Ratio) {
		return
	}
	var sumA, ss float64
	for _, pc := range cases {
		sumA += pc.Baseline
		dev := pc.Candidate - c.Ratio*pc.Baseline
		ss += dev * dev
	}
	k := float64(len(cases))
	se := math.Sqrt(k/(k-1)*ss) / sumA
	c.RatioLo, c.RatioHi = TInterval(c.Ratio, se, c.DF, s.Alpha)
	c.RatioMethod = MethodDelta
}

// LowerBound returns the lower end of the one-sided (1-q) interval of
// Diff, the same as the lower end of the two-sided (1-2q) one: Diff -
// t_{1-q}·StdErr for t, the quantile of the resampled differences at
// expandedLevel(q) for the bootstrap. NaN without an interval.
func (c *Comparison) LowerBound(q float64) float64 {
	switch c.Method {
	case MethodBootstrap:
		return stat.Quantile(expandedLevel(q, c.Cases), stat.Empirical, c.boot, nil)
	case MethodT, MethodWelch:
		if c.StdErr == 0 {
			return c.Diff
		}
		return c.Diff - studentQuantile(1-q, c.DF)*c.StdErr
	}
	return math.NaN()
}

// UpperBound returns the upper end of the one-sided (1-q) interval of
// Diff, the mirror of LowerBound.
func (c *Comparison) UpperBound(q float64) float64 {
	switch c.Method {
	case MethodBootstrap:
		return stat.Quantile(1-expandedLevel(q, c.Cases), stat.Empirical, c.boot, nil)
	case MethodT, MethodWelch:
		if c.StdErr == 0 {
			return c.Diff
		}
		return c.Diff + studentQuantile(1-q, c.DF)*c.StdErr
	}
	return math.NaN()
}

// NonInferiorityP returns the one-sided p-value of H0: Diff <= -margin
// (the candidate is worse by the margin or more): for t, P(T > (Diff +
// margin)/StdErr); for the bootstrap, the share of resampled differences
// at or below -margin, mapped through the inverse of expandedLevel. For
// every q, p < q exactly when LowerBound(q) > -margin, so a test at level
// q and the interval always agree. Without an interval it is 1: no
// evidence.
func (c *Comparison) NonInferiorityP(margin float64) float64 {
	switch c.Method {
	case MethodBootstrap:
		n := 0
		for _, x := range c.boot {
			if x <= -margin {
				n++
			}
		}
		return unexpandedLevel(float64(n)/float64(len(c.boot)), c.Cases)
	case MethodT, MethodWelch:
		return studentAbove(c.Diff, c.StdErr, c.DF, -margin)
	}
	return 1
}

// HarmP returns the one-sided p-value of H0: Diff >= bound (the
// candidate is not worse than bound), the mirror of NonInferiorityP: for
// every q, p < q exactly when UpperBound(q) < bound. At bound 0 a small p
// shows harm. Without an interval it is 1.
func (c *Comparison) HarmP(bound float64) float64 {
	switch c.Method {
	case MethodBootstrap:
		n := 0
		for _, x := range c.boot {
			if x >= bound {
				n++
			}
		}
		return unexpandedLevel(float64(n)/float64(len(c.boot)), c.Cases)
	case MethodT, MethodWelch:
		return studentAbove(-c.Diff, c.StdErr, c.DF, -bound)
	}
	return 1
}

// Significant reports whether the difference is significant at level
// alpha (two-sided).
func (c *Comparison) Significant(alpha float64) bool { return c.P < alpha }
