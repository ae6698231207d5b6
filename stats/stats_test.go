package stats

import (
	"github.com/parity-eval/parity/internal/testkit"
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/stat"
)

// Student's sleep data (Biometrika 1908; R's datasets::sleep): extra hours
// of sleep of the same 10 patients under two drugs.
var (
	sleepDrug1 = []float64{0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0}
	sleepDrug2 = []float64{1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4}
)

// onePerCase pairs two samples, one row per case.
func onePerCase(base, cand []float64) []PairedCase {
	out := make([]PairedCase, len(base))
	for i := range base {
		out[i] = PairedCase{Baseline: base[i], Candidate: cand[i], N: 1}
	}
	return out
}

// TestPairedSleep checks the paired t interval against R (not our code):
//
//	> t.test(extra ~ group, data = sleep, paired = TRUE)
//	t = -4.0621, df = 9, p-value = 0.002833
//	95 percent confidence interval: -2.4598858 -0.7001142
//	mean difference -1.58
//
// R's difference is group 1 - group 2, so drug 2 is the baseline here.
func TestPairedSleep(t *testing.T) {
	t.Parallel()
	c := DefaultSettings().Paired(onePerCase(sleepDrug2, sleepDrug1), false)
	if c.Method != MethodT || c.Cases != 10 || c.DF != 9 {
		t.Fatalf("method %s, cases %d, df %v", c.Method, c.Cases, c.DF)
	}
	checks := []struct {
		name      string
		got, want float64
		tol       float64
	}{
		{"mean difference", c.Diff, -1.58, 1e-12},
		{"t", c.Diff / c.StdErr, -4.0621, 5e-5},
		{"p", c.P, 0.002833, 5e-7},
		{"ci low", c.Lo, -2.4598858, 5e-8},
		{"ci high", c.Hi, -0.7001142, 5e-8},
	}
	for _, ck := range checks {
		if !testkit.CloseTo(ck.got, ck.want, ck.tol) {
			t.Errorf("%s = %.8f, R says %.8f", ck.name, ck.got, ck.want)
		}
	}
}

// TestWelchSleep checks Welch's interval against R on the same data,
// taken as two independent samples:
//
//	> t.test(extra ~ group, data = sleep)
//	t = -1.8608, df = 17.776, p-value = 0.07939
//	95 percent confidence interval: -3.3654832  0.2054832
//	mean in group 1 0.75, mean in group 2 2.33
func TestWelchSleep(t *testing.T) {
	t.Parallel()
	clusters := func(xs []float64) []Cluster {
		out := make([]Cluster, len(xs))
		for i, x := range xs {
			out[i] = Cluster{Sum: x, N: 1}
		}
		return out
	}
	c := DefaultSettings().Welch(clusters(sleepDrug2), clusters(sleepDrug1))
	checks := []struct {
		name      string
		got, want float64
		tol       float64
	}{
		{"mean 1", c.Candidate, 0.75, 1e-12},
		{"mean 2", c.Baseline, 2.33, 1e-12},
		{"t", c.Diff / c.StdErr, -1.8608, 5e-5},
		{"df", c.DF, 17.776, 5e-4},
		{"p", c.P, 0.07939, 5e-6},
		{"ci low", c.Lo, -3.3654832, 5e-8},
		{"ci high", c.Hi, 0.2054832, 5e-8},
	}
	for _, ck := range checks {
		if !testkit.CloseTo(ck.got, ck.want, ck.tol) {
			t.Errorf("%s = %.8f, R says %.8f", ck.name, ck.got, ck.want)
		}
	}
	if c.Method != MethodWelch || c.Significant(0.05) {
		t.Errorf("method %s, significant %v: p = 0.079 is not significant at 0.05", c.Method, c.Significant(0.05))
	}
}

// TestClusteredMeanByHand checks the clustered standard error on an
// example worked by hand. Rows 1,0 | 1,1,1 | 0 in three clusters:
//
//	n = 6, mean = 4/6 = 2/3
//	cluster sums of deviations: (1/3 - 2/3) = -1/3; 3·(1/3) = 1; -2/3
//	squares: 1/9 + 1 + 4/9 = 14/9
//	SE = sqrt( 3/2 · 14/9 ) / 6 = sqrt(7/3) / 6 = 1.5275252 / 6 = 0.2545875
func TestClusteredMeanByHand(t *testing.T) {
	t.Parallel()
	mean, se := ClusteredMean([]Cluster{{Sum: 1, N: 2}, {Sum: 3, N: 3}, {Sum: 0, N: 1}})
	if !testkit.CloseTo(mean, 2.0/3, 1e-12) || !testkit.CloseTo(se, math.Sqrt(7.0/3)/6, 1e-12) || !testkit.CloseTo(se, 0.2545875, 1e-7) {
		t.Errorf("mean %v se %v, want 2/3 and 0.2545875", mean, se)
	}
	if _, se := ClusteredMean([]Cluster{{Sum: 1, N: 2}}); !math.IsNaN(se) {
		t.Errorf("one cluster: se %v, want NaN", se)
	}
}

// TestClusteredEqualsCaseMeans checks that with K rows per case the
// clustered standard error is the plain one of the C case means,
// sqrt(Var/C), computed by gonum.
func TestClusteredEqualsCaseMeans(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(3, 4))
	const cases, k = 25, 3
	cs := make([]Cluster, cases)
	means := make([]float64, cases)
	for i := range cs {
		for range k {
			cs[i].Sum += rng.Float64()
		}
		cs[i].N = k
		means[i] = cs[i].Sum / k
	}
	_, se := ClusteredMean(cs)
	want := stat.StdDev(means, nil) / math.Sqrt(cases)
	if !testkit.CloseTo(se, want, 1e-12) {
		t.Errorf("clustered se %v, sd/sqrt(C) of the case means %v", se, want)
	}
}

// TestHolmTextbook checks Holm's procedure on the example of its
// Wikipedia article: p = 0.01, 0.04, 0.03, 0.005 at alpha 0.05. Sorted,
// 0.005 < 0.05/4 and 0.01 < 0.05/3 are rejected; 0.03 > 0.05/2 stops it,
// so 0.03 and 0.04 are kept. The adjusted p-values are those of R's
// p.adjust(c(0.01, 0.04, 0.03, 0.005), "holm"): 0.03 0.06 0.06 0.02
// (by hand: 4·0.005, 3·0.01, max(2·0.03, 0.03), max(1·0.04, 0.06)).
func TestHolmTextbook(t *testing.T) {
	t.Parallel()
	p := []float64{0.01, 0.04, 0.03, 0.005}
	reject, level := Holm(p, 0.05)
	wantReject := []bool{true, false, false, true}
	wantLevel := []float64{0.05 / 3, 0.05, 0.05 / 2, 0.05 / 4}
	wantAdj := []float64{0.03, 0.06, 0.06, 0.02}
	adj := HolmAdjust(p)
	for i := range p {
		if reject[i] != wantReject[i] || !testkit.CloseTo(level[i], wantLevel[i], 1e-15) || !testkit.CloseTo(adj[i], wantAdj[i], 1e-15) {
			t.Errorf("p=%v: reject %v level %v adjusted %v; want %v %v %v", p[i], reject[i], level[i], adj[i], wantReject[i], wantLevel[i], wantAdj[i])
		}
	}
	// Step-down: once a test is kept, every larger p-value is kept, even
	// one below its own level (0.04 < 0.05/1 after 0.03 >= 0.05/2).
	reject, _ = Holm([]float64{0.001, 0.03, 0.04}, 0.05)
	if !reject[0] || reject[1] || reject[2] {
		t.Errorf("step-down: %v, want [true false false]", reject)
	}
}

// TestPowerFormula checks the reference's power formulas: at alpha 0.05
// and power 0.8, (z_0.975 + z_0.8)² = (1.959964 + 0.841621)² = 7.8489
// (the "≈ 7.84" of the references). Detecting 0.5 sd needs 7.8489/0.25 =
// 31.4, so 32 cases; with 100 cases and sd 1 the MDE is 2.8016/10.
func TestPowerFormula(t *testing.T) {
	t.Parallel()
	if n := CasesNeeded(1, 0.5, 0.05, 0.8); n != 32 {
		t.Errorf("cases needed %d, want 32", n)
	}
	if mde := MinDetectableEffect(1, 100, 0.05, 0.8); !testkit.CloseTo(mde, 0.28016, 1e-5) {
		t.Errorf("MDE %v, want 0.28016", mde)
	}
	if n := CasesNeeded(0.1, 0, 0.05, 0.8); n != 0 {
		t.Errorf("an effect of 0 needs %d cases, want 0 (none suffices)", n)
	}
	// Rule of three: 3/n is the 95% upper bound of a rate never seen in n
	// trials, so 100 agreeing cases exclude 3% and 10 exclude 30%.
	if RuleOfThreeCases(0.03) != 100 || RuleOfThreeCases(0.3) != 10 {
		t.Errorf("rule of three: %d %d, want 100 10", RuleOfThreeCases(0.03), RuleOfThreeCases(0.3))
	}
}

// TestCorrelationAnscombe checks the per-case correlation on Anscombe's
// first data set (Am. Stat. 1973), whose r is 0.816 (R:
// cor(anscombe$x1, anscombe$y1) = 0.8164205).
func TestCorrelationAnscombe(t *testing.T) {
	t.Parallel()
	x := []float64{10, 8, 13, 9, 11, 14, 6, 4, 12, 7, 5}
	y := []float64{8.04, 6.95, 7.58, 8.81, 8.33, 9.96, 7.24, 4.26, 10.84, 4.82, 5.68}
	c := DefaultSettings().Paired(onePerCase(x, y), false)
	if !testkit.CloseTo(c.Correlation, 0.8164205, 5e-8) {
		t.Errorf("r = %v, want 0.8164205", c.Correlation)
	}
	flat := DefaultSettings().Paired(onePerCase([]float64{1, 1, 1}, []float64{0, 1, 0}), false)
	if !math.IsNaN(flat.Correlation) {
		t.Errorf("a constant side: r = %v, want NaN", flat.Correlation)
	}
}

// TestBootstrapNormal checks the bootstrap on normal data with a fixed
// seed: its 95% interval contains the true mean difference and is within
// 10% of the t interval's width, as it should be when t is exact.
func TestBootstrapNormal(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(11, 12))
	const n, trueDiff = 200, 0.3
	cases := make([]PairedCase, n)
	for i := range cases {
		a := rng.NormFloat64()
		cases[i] = PairedCase{Baseline: a, Candidate: a + trueDiff + rng.NormFloat64(), N: 1}
	}
	s := DefaultSettings()
	boot := s.Paired(cases, true)
	tt := s.Paired(cases, false)
	if boot.Method != MethodBootstrap || tt.Method != MethodT {
		t.Fatalf("methods %s %s", boot.Method, tt.Method)
	}
	if boot.Lo > trueDiff || boot.Hi < trueDiff {
		t.Errorf("bootstrap interval [%v, %v] misses the true difference %v", boot.Lo, boot.Hi, trueDiff)
	}
	ratio := (boot.Hi - boot.Lo) / (tt.Hi - tt.Lo)
	if !testkit.CloseTo(ratio, 1, 0.1) {
		t.Errorf("bootstrap width / t width = %.3f, want 1 ± 0.1", ratio)
	}
	again := s.Paired(cases, true)
	if again.Lo != boot.Lo || again.Hi != boot.Hi {
		t.Error("the same seed gave another interval")
	}
}

// TestBootstrapFewCases checks that discrete scores get t, not the
// bootstrap, below MinBootstrapCases.
func TestBootstrapFewCases(t *testing.T) {
	t.Parallel()
	base := []float64{1, 0, 1, 1, 0, 1, 1, 1, 0, 1}
	cand := []float64{1, 1, 0, 1, 0, 1, 0, 1, 0, 1}
	if m := DefaultSettings().Paired(onePerCase(base, cand), true).Method; m != MethodT {
		t.Errorf("10 discrete cases: %s, want t", m)
	}
}

// TestDecisionAgreesWithBound checks, for both methods, that the
// one-sided p-value is below q exactly when the lower bound at q is above
// -margin: the gate's test and its interval never disagree.
func TestDecisionAgreesWithBound(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(5, 6))
	cases := make([]PairedCase, 60)
	for i := range cases {
		a := float64(rng.IntN(2))
		b := a
		if rng.Float64() < 0.2 {
			b = 1 - a
		}
		cases[i] = PairedCase{Baseline: a, Candidate: b, N: 1}
	}
	for _, discrete := range []bool{false, true} {
		c := DefaultSettings().Paired(cases, discrete)
		for _, q := range []float64{0.0125, 0.025, 0.05, 0.1} {
			for m := 0.0; m < 0.3; m += 0.005 {
				if (c.NonInferiorityP(m) < q) != (c.LowerBound(q) > -m) {
					t.Errorf("%s q=%v margin=%v: p %v, lower bound %v", c.Method, q, m, c.NonInferiorityP(m), c.LowerBound(q))
				}
			}
		}
	}
}

// TestRatioDelta checks the ratio's delta-method interval: a candidate
// scoring exactly 0.9 of the baseline on every case has ratio 0.9 and an
// interval of no width; with noise the interval contains the ratio.
func TestRatioDelta(t *testing.T) {
	t.Parallel()
	base := []float64{0.5, 0.8, 1, 0.6, 0.9}
	cand := make([]float64, len(base))
	for i, b := range base {
		cand[i] = 0.9 * b
	}
	c := DefaultSettings().Paired(onePerCase(base, cand), false)
	if !testkit.CloseTo(c.Ratio, 0.9, 1e-12) || !testkit.CloseTo(c.RatioLo, 0.9, 1e-12) || !testkit.CloseTo(c.RatioHi, 0.9, 1e-12) || c.RatioMethod != MethodDelta {
		t.Errorf("ratio %v [%v, %v] by %s, want 0.9 [0.9, 0.9] by delta", c.Ratio, c.RatioLo, c.RatioHi, c.RatioMethod)
	}
	cand[0] = 0.3
	c = DefaultSettings().Paired(onePerCase(base, cand), false)
	if !(c.RatioLo < c.Ratio && c.Ratio < c.RatioHi) {
		t.Errorf("ratio %v outside [%v, %v]", c.Ratio, c.RatioLo, c.RatioHi)
	}
}
