package stats

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/parity-eval/parity/internal/testkit"
	"gonum.org/v1/gonum/stat/distuv"
)

// TestHolmAllPassOneSuite checks m = 1 against the closed form: one test
// at level a passes with probability P(N(c, 1) > z_{1-a}).
func TestHolmAllPassOneSuite(t *testing.T) {
	t.Parallel()
	for _, a := range []float64{0.025, 0.05} {
		for _, c := range []float64{-2, 0, 1, 2.8, 5, 10} {
			want := distuv.UnitNormal.Survival(distuv.UnitNormal.Quantile(1-a) - c)
			if got := HolmAllPass(1, c, a); !testkit.CloseTo(got, want, 1e-12) {
				t.Errorf("a %v c %v: %v, want %v", a, c, got, want)
			}
		}
	}
}

// TestHolmAllPassTwoSuites checks m = 2 against the integral of the two
// densities over the region where Holm passes both: the larger statistic
// above t_1 = z_{1-a/2} and the smaller above t_2 = z_{1-a}. That region
// is the quadrant both > t_2 less the square t_2 < both <= t_1, so with
// S_k = P(N(c, 1) > t_k) the integral is S_2² - (S_2 - S_1)².
func TestHolmAllPassTwoSuites(t *testing.T) {
	t.Parallel()
	const a = 0.025
	t1, t2 := distuv.UnitNormal.Quantile(1-a/2), distuv.UnitNormal.Quantile(1-a)
	for _, c := range []float64{-1, 0.5, 2, 2.5, 3, 4, 7} {
		s1, s2 := distuv.UnitNormal.Survival(t1-c), distuv.UnitNormal.Survival(t2-c)
		want := s2*s2 - (s2-s1)*(s2-s1)
		if got := HolmAllPass(2, c, a); !testkit.CloseTo(got, want, 1e-12) {
			t.Errorf("c %v: %v, want %v", c, got, want)
		}
	}
}

// TestHolmAllPassSimulated checks the computation against the package's
// own Holm on simulated statistics, m = 2 and m = 5: 50 000 draws each,
// so the simulated share has sd at most 0.0023 and 4 sd is allowed.
func TestHolmAllPassSimulated(t *testing.T) {
	t.Parallel()
	const draws, a = 50_000, 0.025
	rng := rand.New(rand.NewPCG(31, 0))
	for _, tt := range []struct {
		m int
		c float64
	}{{2, 2.5}, {5, 3.2}} {
		p := make([]float64, tt.m)
		passed := 0
		for range draws {
			for i := range p {
				p[i] = distuv.UnitNormal.Survival(tt.c + rng.NormFloat64())
			}
			if allTrue(Holm(p, a)) {
				passed++
			}
		}
		got, want := float64(passed)/draws, HolmAllPass(tt.m, tt.c, a)
		t.Logf("m %d c %v: simulated %.4f, exact %.4f", tt.m, tt.c, got, want)
		if tol := 4 * binomialSD(want, draws); math.Abs(got-want) > tol {
			t.Errorf("m %d c %v: simulated %.4f, exact %.4f, want within %.4f", tt.m, tt.c, got, want, tol)
		}
	}
}

// allTrue reports whether Holm rejected every hypothesis.
func allTrue(reject []bool, _ []float64) bool {
	for _, r := range reject {
		if !r {
			return false
		}
	}
	return true
}

// TestHolmAllPassShape checks, for up to 300 suites, that the probability
// rises with c and lies between what Bonferroni at a/m guarantees, all m
// above t_1 (P(Z > t_1)^m), and what Holm needs, all m above t_m
// (P(Z > t_m)^m): a numerical failure at large m shows up here.
func TestHolmAllPassShape(t *testing.T) {
	t.Parallel()
	const a = 0.025
	for _, m := range []int{1, 2, 3, 8, 40, 300} {
		step := 0.25
		if m == 300 {
			step = 1 // 4 ms a value, 20 under -race
		}
		t1, tm := -distuv.UnitNormal.Quantile(a/float64(m)), -distuv.UnitNormal.Quantile(a)
		prev := -1.0
		for c := -3.0; c <= 9; c += step {
			p := HolmAllPass(m, c, a)
			lo := math.Pow(distuv.UnitNormal.Survival(t1-c), float64(m))
			hi := math.Pow(distuv.UnitNormal.Survival(tm-c), float64(m))
			if !(p >= lo-1e-12 && p <= hi+1e-12) {
				t.Errorf("m %d c %v: %v outside [%v, %v]", m, c, p, lo, hi)
			}
			if p < prev || (p == prev && p > 1e-12 && p < 1-1e-12) {
				t.Errorf("m %d c %v: %v after %v, want increasing", m, c, p, prev)
			}
			prev = p
		}
	}
}

// TestHolmNoncentrality checks the solver at the brief's point (m = 4,
// a = 0.025, power 0.8) and its closed form at m = 1, and for m = 1..8
// that c rises with m and lies between what Holm needs, all m statistics
// above z_{1-a} (z_{1-a} + z_r, r = 0.8^{1/m}), and the Bonferroni guess,
// all above z_{1-a/m} (z_{1-a/m} + z_r), strictly below the guess past
// m = 1.
func TestHolmNoncentrality(t *testing.T) {
	t.Parallel()
	const a, power = 0.025, 0.8
	z := distuv.UnitNormal.Quantile
	if c := HolmNoncentrality(4, a, power); math.Abs(HolmAllPass(4, c, a)-power) > 1e-6 {
		t.Errorf("m 4: c %v passes with %v, want %v", c, HolmAllPass(4, c, a), power)
	}
	c1 := HolmNoncentrality(1, a, power)
	if !testkit.CloseTo(c1, z(1-a)+z(power), 1e-12) || !testkit.CloseTo(HolmAllPass(1, c1, a), power, 1e-12) {
		t.Errorf("m 1: c %v, want z_{1-a} + z_power = %v", c1, z(1-a)+z(power))
	}
	prev := 0.0
	for m := 1; m <= 8; m++ {
		c := HolmNoncentrality(m, a, power)
		zr := z(math.Pow(power, 1/float64(m)))
		need, bonf := z(1-a)+zr, z(1-a/float64(m))+zr
		t.Logf("m %d: c %.4f in [%.4f, %.4f], Bonferroni guess the top; n = %.2f (sd/margin)²", m, c, need, bonf, c*c)
		if c < prev || c < need-1e-12 || c > bonf+1e-12 || (m > 1 && c >= bonf) {
			t.Errorf("m %d: c %v, want in [%v, %v) and >= %v", m, c, need, bonf, prev)
		}
		prev = c
	}
	if !math.IsNaN(HolmNoncentrality(0, a, power)) || !math.IsNaN(HolmNoncentrality(3, a, 1)) || !math.IsNaN(HolmAllPass(3, 1, 0)) {
		t.Error("m 0, power 1 or a 0 should be NaN")
	}
}

// TestPlanCasesSimulated checks the plan end to end: four suites of
// different spreads, each given PlanCases at the c for power 0.8, and
// z-tests of non-inferiority at margin on a candidate exactly as good as
// its baseline, Holm over the four at a = 0.025. Each suite's mean
// difference is drawn as N(0, sd²/n), which is exactly the mean of n
// normal per-case differences. 40 000 gates give the pass rate an sd of
// 0.002, and rounding the cases up adds under 0.001, inside the 0.01
// allowed.
func TestPlanCasesSimulated(t *testing.T) {
	t.Parallel()
	const gates, a, power, margin = 40_000, 0.025, 0.8, 0.05
	sds := []float64{0.25, 0.4, 0.6, 1}
	c := HolmNoncentrality(len(sds), a, power)
	n := make([]int, len(sds))
	for i, sd := range sds {
		n[i] = PlanCases(sd, margin, c)
	}
	rng := rand.New(rand.NewPCG(32, 0))
	p := make([]float64, len(sds))
	passed := 0
	for range gates {
		for i, sd := range sds {
			se := sd / math.Sqrt(float64(n[i]))
			diff := se * rng.NormFloat64()
			p[i] = distuv.UnitNormal.Survival((diff + margin) / se)
		}
		if allTrue(Holm(p, a)) {
			passed++
		}
	}
	rate := float64(passed) / gates
	t.Logf("c %.4f, cases %v: %d of %d gates pass (%.4f)", c, n, passed, gates, rate)
	if math.Abs(rate-power) > 0.01 {
		t.Errorf("pass rate %.4f, want within 0.01 of %v", rate, power)
	}
}

// TestPlanCases checks the formulas by hand, their edges, and that with
// m = 1 and a = alpha/2 they are power.go's CasesNeeded and
// MinDetectableEffect.
func TestPlanCases(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name          string
		sd, margin, c float64
		want          int
	}{
		{"exact", 0.5, 0.25, 3, 36},  // 9·0.25/0.0625
		{"rounded up", 1, 1, 2.5, 7}, // 6.25
		{"no margin", 1, 0, 2.8, 0},  // nothing suffices
		{"negative margin", 1, -0.1, 2.8, 0},
		{"NaN sd", math.NaN(), 0.1, 2.8, 0},
		{"infinite sd", math.Inf(1), 0.1, 2.8, 0},
		{"NaN c", 1, 0.1, math.NaN(), 0},
	}
	for _, tt := range tests {
		if got := PlanCases(tt.sd, tt.margin, tt.c); got != tt.want {
			t.Errorf("%s: %d, want %d", tt.name, got, tt.want)
		}
	}
	if mde := PlanMDE(0.5, 36, 3); mde != 0.25 || !math.IsNaN(PlanMDE(1, 0, 3)) {
		t.Errorf("MDE %v, want 0.25; n 0 gives %v, want NaN", mde, PlanMDE(1, 0, 3))
	}
	c := HolmNoncentrality(1, 0.05/2, 0.8)
	if got, want := PlanCases(1, 0.5, c), CasesNeeded(1, 0.5, 0.05, 0.8); got != want {
		t.Errorf("one suite: %d cases, CasesNeeded says %d", got, want)
	}
	if got, want := PlanMDE(1, 100, c), MinDetectableEffect(1, 100, 0.05, 0.8); !testkit.CloseTo(got, want, 1e-12) {
		t.Errorf("one suite: MDE %v, MinDetectableEffect says %v", got, want)
	}
}

// BenchmarkHolmAllPass measures one exact probability for 30 suites.
func BenchmarkHolmAllPass(b *testing.B) {
	for b.Loop() {
		HolmAllPass(30, 3, 0.025)
	}
}
