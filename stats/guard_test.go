package stats

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"gonum.org/v1/gonum/stat"
	"gonum.org/v1/gonum/stat/distuv"
)

// TestRatioAndDiffBounds: a constant ratio has a degenerate interval at
// it; the difference's bounds are the clustered t interval's.
func TestRatioAndDiffBounds(t *testing.T) {
	t.Parallel()
	cases := []PairedCase{{1, 1.25, 1}, {2, 2.5, 1}, {4, 5, 1}}
	r, lo, hi := RatioBounds(cases, 0.025)
	if r != 1.25 || lo != 1.25 || hi != 1.25 {
		t.Errorf("constant ratio: %v [%v, %v], want 1.25", r, lo, hi)
	}
	if r, _, _ := RatioBounds([]PairedCase{{0, 1, 1}}, 0.025); !math.IsNaN(r) {
		t.Errorf("zero baseline: ratio %v", r)
	}
	cases = []PairedCase{{0, 1, 1}, {1, 1, 1}, {0, 0, 1}, {1, 0, 1}, {0, 1, 1}}
	d, lo, hi := DiffBounds(cases, 0.025)
	_, _, diffs := pairedClusters(cases)
	_, se := ClusteredMean(diffs)
	tq := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: 4}.Quantile(0.975)
	if d != 0.2 || math.Abs(lo-(0.2-tq*se)) > 1e-12 || math.Abs(hi-(0.2+tq*se)) > 1e-12 {
		t.Errorf("diff %v [%v, %v], want 0.2 ± %v", d, lo, hi, tq*se)
	}
}

// TestHarmPMatchesBound: for t and the bootstrap, HarmP(b) < q exactly
// when UpperBound(q) < b, so the harm test and the interval agree.
func TestHarmPMatchesBound(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(3, 4))
	s := DefaultSettings()
	for _, discrete := range []bool{false, true} {
		for rep := range 40 {
			cases := make([]PairedCase, 40)
			for i := range cases {
				b := float64(rng.IntN(2))
				c := float64(rng.IntN(2))
				if !discrete {
					b, c = rng.Float64(), rng.Float64()*0.9
				}
				cases[i] = PairedCase{b, c, 1}
			}
			c := s.Paired(cases, discrete)
			for _, q := range []float64{0.00625, 0.0125, 0.025} {
				for _, b := range []float64{0, -0.05, 0.05} {
					if (c.HarmP(b) < q) != (c.UpperBound(q) < b) {
						t.Errorf("%s rep %d, q %v, bound %v: p %v, upper bound %v", c.Method, rep, q, b, c.HarmP(b), c.UpperBound(q))
					}
				}
			}
		}
	}
}

// TestBootstrapByKinds: resampling a few-kinds sample by multinomial
// counts gives the same distribution of differences as resampling case
// indexes: means and sds within a few standard errors.
func TestBootstrapByKinds(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(5, 6))
	cases := make([]PairedCase, 300)
	for i := range cases {
		cases[i] = PairedCase{float64(rng.IntN(2)), float64(rng.IntN(2) * rng.IntN(2)), 1}
	}
	k := caseKinds(cases)
	if k == nil || len(k.kinds) != 4 {
		t.Fatalf("kinds %+v, want 4", k)
	}
	const draws = 20000
	byKinds, byIndex := make([]float64, draws), make([]float64, draws)
	src := rand.NewPCG(7, 8)
	for i := range draws {
		a, b, n := k.resample(src, len(cases))
		if n != len(cases) {
			t.Fatalf("a resample of %d rows, want %d", n, len(cases))
		}
		byKinds[i] = (b - a) / float64(n)
		var x, y float64
		for range cases {
			pc := cases[rng.IntN(len(cases))]
			x, y = x+pc.Baseline, y+pc.Candidate
		}
		byIndex[i] = (y - x) / float64(len(cases))
	}
	m1, s1 := stat.MeanStdDev(byKinds, nil)
	m2, s2 := stat.MeanStdDev(byIndex, nil)
	if se := s2 / math.Sqrt(draws); math.Abs(m1-m2) > 5*se*math.Sqrt2 || math.Abs(s1/s2-1) > 0.03 {
		t.Errorf("by kinds mean %v sd %v, by index mean %v sd %v", m1, s1, m2, s2)
	}
	many := make([]PairedCase, 100)
	for i := range many {
		many[i] = PairedCase{rng.Float64(), rng.Float64(), 1}
	}
	if caseKinds(many) != nil {
		t.Error("continuous scores resampled by kinds")
	}
}

// TestQuantileRatioBoundsCover: two samples from the same log-normal
// latency: the bootstrap bounds on the ratio of their p95s exclude 1 on
// either side at most about q of the time; a 60% slower candidate's lower
// bound is above 1.2 most of the time at 200 rows a side.
func TestQuantileRatioBoundsCover(t *testing.T) {
	t.Parallel()
	const n, q, reps = 200, 0.025, 1000
	rng := rand.New(rand.NewPCG(9, 10))
	draw := func(scale float64) []float64 {
		xs := make([]float64, n)
		for i := range xs {
			xs[i] = scale * math.Exp(0.35*rng.NormFloat64())
		}
		slices.Sort(xs)
		return xs
	}
	var low, high, shown int
	for rep := range reps {
		r, lo, hi := QuantileRatioBounds(draw(400), draw(400), 0.95, q, uint64(rep))
		if !(lo <= r && r <= hi) {
			t.Fatalf("ratio %v outside [%v, %v]", r, lo, hi)
		}
		if lo > 1 {
			low++
		}
		if hi < 1 {
			high++
		}
		if _, lo, _ := QuantileRatioBounds(draw(400), draw(640), 0.95, q, uint64(rep)); lo > 1.2 {
			shown++
		}
	}
	tol := q + 3*math.Sqrt(q*(1-q)/reps)
	if r := float64(low) / reps; r > tol {
		t.Errorf("lower bound above 1 in %.4f of samples, want at most %.4f", r, tol)
	}
	if r := float64(high) / reps; r > tol {
		t.Errorf("upper bound below 1 in %.4f of samples, want at most %.4f", r, tol)
	}
	if r := float64(shown) / reps; r < 0.8 {
		t.Errorf("a 60%% rise shown above 20%% in %.3f of samples, want most", r)
	}
	t.Logf("same latency: bounds exclude 1 below in %d, above in %d of %d; 60%% slower shown above +20%% in %d", low, high, reps, shown)
	if _, lo, hi := QuantileRatioBounds(nil, draw(1), 0.95, q, 1); !math.IsNaN(lo) || !math.IsNaN(hi) {
		t.Error("an empty side has bounds")
	}
}

// TestQuantileRankIsEmpirical: the order statistic the ratio bootstrap
// draws around is gonum's empirical quantile, the one the gate's tables
// print, at every size and level.
func TestQuantileRankIsEmpirical(t *testing.T) {
	t.Parallel()
	for n := 1; n <= 400; n++ {
		xs := make([]float64, n)
		for i := range xs {
			xs[i] = float64(i)
		}
		for _, p := range []float64{0.5, 0.9, 0.95, 0.99} {
			if got, want := xs[quantileRank(n, p)-1], stat.Quantile(p, stat.Empirical, xs, nil); got != want {
				t.Fatalf("n %d, p %v: rank gives %v, stat.Quantile %v", n, p, got, want)
			}
		}
	}
}
