package stats

import (
	"math"

	"gonum.org/v1/gonum/stat/distuv"
)

// Cluster is one case's rows summed: the sum of a value over the case's
// rows (its repeats) and how many rows there were. Statistics over
// clusters treat a case's repeats as one unit, never as independent
// samples.
type Cluster struct {
	Sum float64
	N   int
}

// ClusteredMean returns the row-weighted mean of the clusters' values and
// its cluster-robust standard error (Miller, "Adding Error Bars to Evals",
// arXiv:2411.00640, eq. for SE_clustered):
//
//	mean = Σ_c Sum_c / n,   n = Σ_c N_c
//	SE   = sqrt( C/(C-1) · Σ_c (Sum_c - N_c·mean)² ) / n
//
// since Σ_{i∈c} (s_i - mean) = Sum_c - N_c·mean. When every case has the
// same number of rows K this is exactly sqrt(Var(case means)/C): averaging
// a case's repeats first and treating the C case means as the sample. The
// standard error is NaN with fewer than two clusters.
func ClusteredMean(cs []Cluster) (mean, se float64) {
	var sum float64
	n := 0
	for _, c := range cs {
		sum += c.Sum
		n += c.N
	}
	if n == 0 {
		return math.NaN(), math.NaN()
	}
	mean = sum / float64(n)
	if len(cs) < 2 {
		return mean, math.NaN()
	}
	var ss float64
	for _, c := range cs {
		dev := c.Sum - float64(c.N)*mean
		ss += dev * dev
	}
	k := float64(len(cs))
	return mean, math.Sqrt(k/(k-1)*ss) / float64(n)
}

// studentQuantile returns the p-quantile of Student's t with df degrees of
// freedom (the normal's when df is infinite).
func studentQuantile(p, df float64) float64 {
	if math.IsInf(df, 1) {
		return distuv.UnitNormal.Quantile(p)
	}
	return distuv.StudentsT{Mu: 0, Sigma: 1, Nu: df}.Quantile(p)
}

// studentSurvival returns P(T > x) for Student's t with df degrees of freedom.
func studentSurvival(x, df float64) float64 {
	if math.IsInf(df, 1) {
		return distuv.UnitNormal.Survival(x)
	}
	return distuv.StudentsT{Mu: 0, Sigma: 1, Nu: df}.Survival(x)
}

// TInterval returns the two-sided (1-alpha) Student's t interval of an
// estimate with standard error se and df degrees of freedom.
func TInterval(est, se, df, alpha float64) (lo, hi float64) {
	h := studentQuantile(1-alpha/2, df) * se
	return est - h, est + h
}

// TTestP returns the two-sided p-value of H0: the true value is 0, for an
// estimate with standard error se and df degrees of freedom. A zero
// standard error gives 1 for a zero estimate and 0 otherwise.
func TTestP(est, se, df float64) float64 {
	if se == 0 {
		if est == 0 {
			return 1
		}
		return 0
	}
	return math.Min(1, 2*studentSurvival(math.Abs(est)/se, df))
}

// studentAbove returns the one-sided p-value of H0: the true value is at most
// bound, P(T > (est-bound)/se) under it.
func studentAbove(est, se, df, bound float64) float64 {
	if se == 0 || math.IsNaN(se) {
		if est > bound {
			return 0
		}
		return 1
	}
	return studentSurvival((est-bound)/se, df)
}
