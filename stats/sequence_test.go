package stats

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/parity-eval/parity/internal/testkit"
)

// draw returns one observation in [0, 1].
type draw func(*rand.Rand) float64

// bernoulli draws 1 with probability p, else 0: mean p, sd sqrt(p(1-p)).
func bernoulli(p float64) draw {
	return func(r *rand.Rand) float64 {
		if r.Float64() < p {
			return 1
		}
		return 0
	}
}

// beta draws from Beta(k, n+1-k) as the k-th smallest of n uniforms:
// mean k/(n+1), variance k(n+1-k)/((n+1)²(n+2)).
func beta(k, n int) draw {
	return func(r *rand.Rand) float64 {
		var u [8]float64
		for i := range n {
			u[i] = r.Float64()
		}
		slices.Sort(u[:n])
		return u[k-1]
	}
}

// binomialSD returns the standard deviation of a share estimated from n
// runs whose true value is p.
func binomialSD(p float64, n int) float64 { return math.Sqrt(p * (1 - p) / float64(n)) }

// TestBettingValidity checks Ville's inequality where it is tightest: the
// true mean exactly at the boundary, 1000 runs of 500 observations, the
// test read after every one. The share of runs that ever reject at 0.05
// must not exceed 0.05 by more than 3 binomial sd (0.0207). A bet that
// peeked at its own observation, or a factor allowed below 0, fails this.
func TestBettingValidity(t *testing.T) {
	t.Parallel()
	const runs, n, level = 1000, 500, 0.05
	tests := []struct {
		name     string
		dir      Direction
		boundary float64
		x        draw
	}{
		{"bernoulli above", Above, 0.3, bernoulli(0.3)}, // pass/fail scores
		{"bernoulli below", Below, 0.3, bernoulli(0.3)},
		{"beta above", Above, 0.6, beta(3, 4)}, // continuous, skewed, sd 0.2
		{"beta below", Below, 0.6, beta(3, 4)},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			rng := rand.New(rand.NewPCG(21, uint64(i)))
			rejected := 0
			for range runs {
				b := NewBetting(tt.dir, tt.boundary)
				for j := 0; j < n && !b.Rejects(level); j++ {
					b.Add(tt.x(rng))
				}
				if b.Rejects(level) {
					rejected++
				}
			}
			rate := float64(rejected) / runs
			t.Logf("%s: ever rejected in %d of %d runs (%.3f)", tt.name, rejected, runs, rate)
			if limit := level + 3*binomialSD(level, runs); rate > limit {
				t.Errorf("ever-reject rate %.3f under the null, want <= %.4f", rate, limit)
			}
		})
	}
}

// TestBettingPower checks that a mean 0.1 beyond the boundary, sd 0.2
// (Beta(3, 2), mean 0.6), is found within 100 observations in at least 95%
// of 1000 runs at level 0.05, either side. Measured: the first rejection
// has median 34 and 95th percentile 80 Above (boundary 0.5), 29 and 72
// Below (boundary 0.7, where the bets may be larger, c/(1-m) = 2.5). For
// comparison a one-sided z-test at 0.05 read once, at a size fixed in
// advance, needs (1.645+1.645)²·0.04/0.01 = 44 for 95% power.
func TestBettingPower(t *testing.T) {
	t.Parallel()
	const runs, within, level = 1000, 100, 0.05
	tests := []struct {
		name     string
		dir      Direction
		boundary float64
	}{
		{"above", Above, 0.5},
		{"below", Below, 0.7},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			rng := rand.New(rand.NewPCG(22, uint64(i)))
			x := beta(3, 4)
			times := make([]int, runs)
			for r := range times {
				b := NewBetting(tt.dir, tt.boundary)
				for b.N() < 10*within && !b.Rejects(level) {
					b.Add(x(rng))
				}
				times[r] = b.N()
			}
			slices.Sort(times)
			p95 := times[runs*95/100-1]
			t.Logf("%s: first rejection median %d, 95th percentile %d", tt.name, times[runs/2], p95)
			if p95 > within {
				t.Errorf("95%% of runs reject within %d observations, want <= %d", p95, within)
			}
		})
	}
}

// TestBettingMonotone checks the proof on logCapital on random data:
// K_t(m) is non-increasing in m Above and non-decreasing Below, every
// factor is at least 1-c, and the capital recomputed at the boundary is
// the running one. The 1e-12 slack is rounding (a truncated factor on
// x = 0 is exactly 1-c for every m in exact arithmetic).
func TestBettingMonotone(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(23, 0))
	sources := []draw{bernoulli(0.2), bernoulli(0.8), beta(1, 1), beta(3, 4)}
	for s, x := range sources {
		for _, dir := range []Direction{Above, Below} {
			b := NewBetting(dir, 0.1+0.25*float64(s))
			for range 200 {
				b.Add(x(rng))
			}
			checkMonotone(t, b)
			if got := b.logCapital(b.boundary); math.Abs(got-b.logW) > 1e-9 {
				t.Errorf("source %d dir %d: recomputed log-capital %v, running %v", s, dir, got, b.logW)
			}
		}
	}
}

// checkMonotone checks K_t(m) on a grid of m and every factor's floor.
func checkMonotone(t *testing.T, b *Betting) {
	t.Helper()
	sign := 1.0 // log K_t must not increase along the grid Above
	if b.dir == Below {
		sign = -1
	}
	prev := math.Inf(1)
	for k := 0; k <= 200; k++ {
		m := float64(k) / 200
		logK := sign * b.logCapital(m)
		if logK > prev+1e-12 {
			t.Fatalf("dir %d: log K rises by %g at m = %v", b.dir, logK-prev, m)
		}
		prev = logK
		for i, x := range b.xs {
			if f := math.Exp(b.logFactor(b.lams[i], x, m)); f < 1-betCap-1e-12 {
				t.Fatalf("dir %d: factor %v < 1-c at m = %v", b.dir, f, m)
			}
		}
	}
}

// TestBettingBoundAgrees checks, after every observation of runs whose
// capital wanders across 1/level and back, that Bound(level) is beyond
// the boundary exactly when Wealth() >= 1/level, and that Rejects is true
// exactly when that has happened at some time so far. Each outcome must
// occur often, including Rejects with the bound back inside, so that the
// agreement is not vacuous.
func TestBettingBoundAgrees(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(24, 0))
	var beyond, inside, back int
	for run := range 6 {
		dir, gap := Above, []float64{0.15, 0.1}[run/2%2]
		if run%2 == 1 {
			dir, gap = Below, -gap
		}
		level := []float64{0.05, 0.3}[run/2%2]
		b := NewBetting(dir, 0.5)
		ever := false
		for range 160 {
			b.Add(bernoulli(0.5 + gap)(rng))
			bound := b.Bound(level)
			out := bound > b.boundary
			if dir == Below {
				out = bound < b.boundary
			}
			if out != (b.Wealth() >= 1/level) {
				t.Fatalf("run %d n %d: bound %v vs boundary %v, wealth %v vs %v", run, b.N(), bound, b.boundary, b.Wealth(), 1/level)
			}
			ever = ever || out
			if b.Rejects(level) != ever {
				t.Fatalf("run %d n %d: Rejects %v, bound beyond so far %v", run, b.N(), b.Rejects(level), ever)
			}
			switch {
			case out:
				beyond++
			case ever:
				back++
			default:
				inside++
			}
		}
	}
	t.Logf("steps with the bound beyond the boundary %d, back inside after %d, inside before %d", beyond, back, inside)
	if beyond < 100 || inside < 100 || back < 10 {
		t.Errorf("beyond %d, back %d, inside %d: the check needs all three", beyond, back, inside)
	}
}

// TestBettingCovers checks the bound itself: over 400 runs of 150
// observations from Beta(3, 2) (mean 0.6), the final bound excludes the
// mean in at most level + 3 sd of runs. The boundaries are on the far
// side of the mean so that the bets are aggressive, and the bound close:
// on average within 0.07 of the mean (a bound stuck at 0 or 1 would cover
// every time).
func TestBettingCovers(t *testing.T) {
	t.Parallel()
	const runs, n, level, mean = 400, 150, 0.1, 0.6
	tests := []struct {
		name     string
		dir      Direction
		boundary float64
	}{
		{"lower", Above, 0.45},
		{"upper", Below, 0.75},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			rng := rand.New(rand.NewPCG(25, uint64(i)))
			x := beta(3, 4)
			missed, sum := 0, 0.0
			for range runs {
				b := NewBetting(tt.dir, tt.boundary)
				for range n {
					b.Add(x(rng))
				}
				bound := b.Bound(level)
				sum += bound
				if (tt.dir == Above && bound > mean) || (tt.dir == Below && bound < mean) {
					missed++
				}
			}
			rate := float64(missed) / runs
			t.Logf("%s: bound misses the mean in %d of %d runs; mean bound %.4f", tt.name, missed, runs, sum/runs)
			if limit := level + 3*binomialSD(level, runs); rate > limit {
				t.Errorf("miss rate %.3f, want <= %.4f", rate, limit)
			}
			if gap := math.Abs(sum/runs - mean); gap > 0.07 {
				t.Errorf("mean bound %.4f is %.4f from the mean, want <= 0.07", sum/runs, gap)
			}
		})
	}
}

// TestBettingEdges checks the edge cases, one per row.
func TestBettingEdges(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name        string
		dir         Direction
		xs          []float64
		rejects     bool
		boundLo     float64 // Bound(0.05) in [boundLo, boundHi]
		boundHi     float64
		wealthIsOne bool
	}{
		// No data: capital 1, the trivial bound.
		{"empty above", Above, nil, false, 0, 0, true},
		{"empty below", Below, nil, false, 1, 1, true},
		// All zeros: no bet is ever placed on a mean above 0.5 ...
		{"zeros above", Above, testkit.Repeat(0, 100), false, 0, 0, true},
		// ... and below it the capital grows and the upper bound falls.
		{"zeros below", Below, testkit.Repeat(0, 100), true, 0, 0.05, false},
		{"ones above", Above, testkit.Repeat(1, 100), true, 0.95, 1, false},
		{"ones below", Below, testkit.Repeat(1, 100), false, 1, 1, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := NewBetting(tt.dir, 0.5)
			for _, x := range tt.xs {
				b.Add(x)
			}
			bound := b.Bound(0.05)
			t.Logf("wealth %v, max %v, bound %v", b.Wealth(), b.MaxWealth(), bound)
			if b.N() != len(tt.xs) || b.Rejects(0.05) != tt.rejects || bound < tt.boundLo || bound > tt.boundHi {
				t.Errorf("n %d rejects %v bound %v; want %d %v [%v, %v]", b.N(), b.Rejects(0.05), bound, len(tt.xs), tt.rejects, tt.boundLo, tt.boundHi)
			}
			if tt.wealthIsOne && (b.Wealth() != 1 || b.MaxWealth() != 1) {
				t.Errorf("wealth %v max %v, want 1 (no bet placed)", b.Wealth(), b.MaxWealth())
			}
		})
	}
}

// TestBettingCleansInput checks that observations outside [0, 1] count as
// its nearest end, that a NaN is not an observation, and the levels Bound
// and Rejects do not accept.
func TestBettingCleansInput(t *testing.T) {
	t.Parallel()
	raw, clean := NewBetting(Above, 0.4), NewBetting(Above, 0.4)
	for i := range 60 {
		raw.Add([]float64{-3, 7, 0.5}[i%3])
		raw.Add(math.NaN())
		clean.Add([]float64{0, 1, 0.5}[i%3])
	}
	if raw.N() != 60 || raw.Wealth() != clean.Wealth() || raw.Bound(0.05) != clean.Bound(0.05) {
		t.Errorf("n %d wealth %v bound %v; clamped twin %d %v %v", raw.N(), raw.Wealth(), raw.Bound(0.05), clean.N(), clean.Wealth(), clean.Bound(0.05))
	}
	if !math.IsNaN(raw.Bound(0)) || !math.IsNaN(raw.Bound(1)) || raw.Rejects(0) || !raw.Rejects(1) {
		t.Errorf("Bound(0) %v Bound(1) %v Rejects(0) %v Rejects(1) %v; want NaN NaN false true", raw.Bound(0), raw.Bound(1), raw.Rejects(0), raw.Rejects(1))
	}
	b := NewBetting(Below, math.NaN())
	b.Add(0.2)
	if !math.IsNaN(b.Bound(0.05)) || b.Rejects(0.05) {
		t.Errorf("NaN boundary: bound %v rejects %v, want NaN false", b.Bound(0.05), b.Rejects(0.05))
	}
}

// BenchmarkBettingAdd measures one observation: a bet, a log1p and the
// running sums.
func BenchmarkBettingAdd(b *testing.B) {
	rng := rand.New(rand.NewPCG(26, 0))
	xs := make([]float64, 1<<16)
	for i := range xs {
		xs[i] = rng.Float64()
	}
	bt := NewBetting(Above, 0.5)
	i := 0
	for b.Loop() {
		bt.Add(xs[i&(len(xs)-1)])
		i++
	}
}
