package stats

import "math"

// Welch compares two unpaired samples of cases (before as the baseline,
// after as the candidate) with Welch's t: each side's row-weighted mean and
// clustered standard error (ClusteredMean), the difference's standard
// error sqrt(SE_old² + SE_new²), and Welch–Satterthwaite degrees of
// freedom (SE_old² + SE_new²)² / (SE_old⁴/(C_old-1) + SE_new⁴/(C_new-1)).
// With one row per case this is R's t.test(y, x) (var.equal = FALSE).
// The ratio and the correlation stay undefined: nothing pairs the sides.
func (s Settings) Welch(before, after []Cluster) Comparison {
	c := undefinedComparison(len(before) + len(after))
	for _, x := range before {
		c.Rows += x.N
	}
	for _, x := range after {
		c.Rows += x.N
	}
	var seOld, seNew float64
	c.Baseline, seOld = ClusteredMean(before)
	c.Candidate, seNew = ClusteredMean(after)
	c.Diff = c.Candidate - c.Baseline
	if len(before) < 2 || len(after) < 2 {
		return c
	}
	vo, vn := seOld*seOld, seNew*seNew
	c.StdErr = math.Sqrt(vo + vn)
	c.DF = welchDF(vo, vn, len(before), len(after))
	c.Method = MethodWelch
	c.Lo, c.Hi = TInterval(c.Diff, c.StdErr, c.DF, s.Alpha)
	c.P = TTestP(c.Diff, c.StdErr, c.DF)
	return c
}

// welchDF returns the Welch–Satterthwaite degrees of freedom for squared
// standard errors vo and vn of samples of no and nn clusters; infinite
// when both are 0.
func welchDF(vo, vn float64, no, nn int) float64 {
	den := vo*vo/float64(no-1) + vn*vn/float64(nn-1)
	if den == 0 {
		return math.Inf(1)
	}
	return (vo + vn) * (vo + vn) / den
}
