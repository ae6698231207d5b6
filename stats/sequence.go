package stats

import "math"

// Direction says which side of a boundary a Betting seeks evidence for.
type Direction int

const (
	// Above seeks evidence that the mean is above the boundary; its Bound
	// is a lower confidence bound.
	Above Direction = iota
	// Below seeks evidence that the mean is below the boundary; its Bound
	// is an upper confidence bound.
	Below
)

// betCap is c in the truncation of every bet at c/m (Above) or c/(1-m)
// (Below), m the mean the capital is evaluated at: each factor of the
// capital is then at least 1-c, so one observation costs at most three
// quarters of it. WSR suggest c = 1/2 or 3/4; 3/4 bets harder early on.
const betCap = 0.75

// boundTolerance is the width of the last bracket Bound bisects down to.
const boundTolerance = 1e-9

// Betting is an anytime-valid one-sided test, and its confidence bound,
// for the mean of observations in [0, 1] arriving one at a time: testing
// by betting (Waudby-Smith & Ramdas, "Estimating means of bounded random
// variables by betting", JRSS-B, 2024 (online 2023),
// doi:10.1093/jrsssb/qkad009, arXiv:2010.09686; WSR below).
//
// A gambler starts with capital 1 and, before each observation x_i,
// stakes a fraction λ_i >= 0 fixed by x_1..x_{i-1} alone on the mean
// exceeding m (Above) or falling short of it (Below):
//
//	Above: K_t(m) = Π_{i<=t} (1 + min(λ_i, c/m)·(x_i - m))
//	Below: K_t(m) = Π_{i<=t} (1 - min(λ_i, c/(1-m))·(x_i - m))
//
// with c = 3/4. When the true mean is at most m (Above; at least m,
// Below) every factor is positive with conditional mean at most 1, so
// K_t(m) is a nonnegative supermartingale and Ville's inequality gives
// P(sup_t K_t(m) >= 1/level) <= level: the test may be read after every
// observation and stopped at any time, however chosen, at no cost in
// error.
//
// The bets are WSR's aGRAPA ("approximate growth rate adapted to the
// particular alternative") at the boundary m_b, from the regularised
// running estimates WSR define for their predictable plug-in bets,
//
//	μ̂_t  = (1/2 + Σ_{j<=t} x_j) / (t+1)
//	σ̂²_t = (1/4 + Σ_{j<=t} (x_j - μ̂_j)²) / (t+1)
//
// (μ̂_j being the estimate after j observations), so that
//
//	λ_i = max(0, ±(μ̂_{i-1} - m_b) / (σ̂²_{i-1} + (μ̂_{i-1} - m_b)²))
//
// (+ Above, - Below): maximising the second-order expansion of the
// expected log-growth E log(1 + λ(x - m_b)) ≈ λ·E(x - m_b) -
// λ²·E(x - m_b)²/2 with the estimates plugged in, and never betting
// against the direction sought. The same λ_i are used at every m, truncated as
// above, so Bound inverts a family of tests that share the bets.
//
// Wealth, MaxWealth and Rejects cost O(1) per Add (the log-capital at the
// boundary is kept as a running sum). Bound recomputes K_t(m) from every
// observation and bet kept, so a Betting holds 16 bytes per observation
// and Bound costs O(t) per step of its bisection (about 30 steps). Make
// one with NewBetting.
type Betting struct {
	dir      Direction
	boundary float64
	xs, lams []float64 // observations, clamped; untruncated bets
	sum, sq  float64   // Σ x_j and Σ (x_j - μ̂_j)²
	logW     float64   // log K_t(boundary)
	logMax   float64   // log max_{s<=t} K_s(boundary), K_0 = 1 included
}

// NewBetting returns a test of H0 "mean <= boundary" (Above) or "mean >=
// boundary" (Below) for observations in [0, 1]; boundary should be in
// (0, 1) and is clamped into [0, 1]. A NaN boundary gives NaN wealth and
// bounds and never rejects.
func NewBetting(dir Direction, boundary float64) *Betting {
	if !math.IsNaN(boundary) {
		boundary = min(max(boundary, 0), 1)
	}
	return &Betting{dir: dir, boundary: boundary}
}

// Add records one observation: x is clamped into [0, 1] and a NaN is
// ignored. Its bet was fixed by the observations before it.
func (b *Betting) Add(x float64) {
	if math.IsNaN(x) {
		return
	}
	x = min(max(x, 0), 1)
	lam := b.nextBet()
	b.xs = append(b.xs, x)
	b.lams = append(b.lams, lam)
	b.logW += b.logFactor(lam, x, b.boundary)
	b.logMax = max(b.logMax, b.logW)
	b.sum += x
	mu := (0.5 + b.sum) / float64(len(b.xs)+1) // μ̂_t, x_t included
	b.sq += (x - mu) * (x - mu)
}

// nextBet returns the aGRAPA bet at the boundary for the next
// observation, from the estimates μ̂_t and σ̂²_t after the t so far.
func (b *Betting) nextBet() float64 {
	t1 := float64(len(b.xs) + 1)
	mu := (0.5 + b.sum) / t1
	sigma2 := (0.25 + b.sq) / t1
	g := mu - b.boundary
	if b.dir == Below {
		g = -g
	}
	return max(0, g/(sigma2+g*g))
}

// N returns how many observations have been added.
func (b *Betting) N() int { return len(b.xs) }

// Wealth returns the capital at the boundary now, K_t(boundary); 1 with
// no data.
func (b *Betting) Wealth() float64 { return math.Exp(b.logW) }

// MaxWealth returns the largest capital at the boundary so far,
// max_{s<=t} K_s(boundary), counting K_0 = 1: what Rejects compares.
func (b *Betting) MaxWealth() float64 { return math.Exp(b.logMax) }

// Rejects reports whether the capital at the boundary has reached
// 1/level at some time so far, MaxWealth() >= 1/level: the null is
// rejected at that level, with probability at most level under it
// whenever and however often Rejects is asked. Once true it stays true.
// Equivalently, Bound(level) has been beyond the boundary at some time so
// far (at the first crossing it is), though it may have come back since.
// A level of 1 or more always rejects, one not above 0 never does.
func (b *Betting) Rejects(level float64) bool {
	return level > 0 && crosses(b.logMax, level)
}

// crosses reports whether a capital of exp(logK) reaches 1/level: the one
// comparison Rejects and Bound share, written as Wealth() >= 1/level.
func crosses(logK, level float64) bool { return math.Exp(logK) >= 1/level }

// Bound returns the one-sided (1-level) confidence bound for the mean at
// the current time: Above, the lower bound inf{m in [0,1]: K_t(m) <
// 1/level}; Below, the upper bound sup{m in [0,1]: K_t(m) < 1/level}. It
// is 0 (Above) or 1 (Below) with no data, and NaN for a level outside
// (0, 1).
//
// The bounds at all times hold together: with probability at least
// 1-level the mean is on the right side of every one of them (Ville's
// inequality at the true mean), so the bound may be watched, and the best
// one so far kept, like the test. Because K_t is monotone in m (see
// logCapital) the set is an interval ending at 1 (Above) or 0 (Below) and
// bisection finds its edge; the boundary is the first point tried, so
// Bound(level) > boundary (Above; < boundary, Below) exactly when
// Wealth() >= 1/level now. Rejects looks at the running maximum instead:
// it is true once Bound has been beyond the boundary at any time so far.
// The value returned is a point of the set within 1e-9 of its edge.
func (b *Betting) Bound(level float64) float64 {
	if !(level > 0 && level < 1) || math.IsNaN(b.boundary) {
		return math.NaN()
	}
	// The far end is always inside the set: K_t(1) <= 1 Above and
	// K_t(0) <= 1 Below, every factor being at most 1 there.
	far, near := 1.0, 0.0
	if b.dir == Below {
		far, near = 0, 1
	}
	if !crosses(b.logCapital(near), level) {
		return near
	}
	return b.edge(near, far, level)
}

// edge bisects between out, where the capital reaches 1/level, and in,
// where it does not, trying the boundary first, and returns the last
// point found inside.
func (b *Betting) edge(out, in, level float64) float64 {
	if crosses(b.logW, level) {
		out = b.boundary
	} else {
		in = b.boundary
	}
	for math.Abs(in-out) > boundTolerance {
		mid := out + (in-out)/2
		if crosses(b.logCapital(mid), level) {
			out = mid
		} else {
			in = mid
		}
	}
	return in
}

// logCapital returns log K_t(m), recomputed from every observation.
//
// K_t is monotone in m, non-increasing Above and non-decreasing Below,
// and every factor is at least 1-c > 0. Above, write f(m) = 1 +
// min(λ, c/m)·(x - m) for one factor. While m <= c/λ it is 1 + λ(x - m),
// of slope -λ <= 0; beyond, it is 1 - c + c·x/m, of slope -c·x/m² <= 0;
// the two pieces meet at m = c/λ, so f is continuous and non-increasing.
// Since x >= 0 and min(λ, c/m) <= c/m, f(m) >= 1 - (c/m)·m = 1 - c.
// Below, g(m) = 1 - min(λ, c/(1-m))·(x - m) is 1 - λ(x - m) (slope λ)
// until 1-m = c/λ and 1 - c + c(1-x)/(1-m) (slope c(1-x)/(1-m)² >= 0)
// after; since x - m <= 1 - m, g(m) >= 1 - c. A product of positive
// monotone factors is monotone the same way, hence so is K_t, and it is
// continuous in m: the set {m: K_t(m) < 1/level} is an interval, and
// bisection on it is exact up to its tolerance.
func (b *Betting) logCapital(m float64) float64 {
	var s float64
	for i, x := range b.xs {
		s += b.logFactor(b.lams[i], x, m)
	}
	return s
}

// logFactor returns the log of one factor of K_t(m): bet lam, truncated
// at c/m (Above) or c/(1-m) (Below), on observation x.
func (b *Betting) logFactor(lam, x, m float64) float64 {
	if b.dir == Below {
		return math.Log1p(-min(lam, betCap/(1-m)) * (x - m))
	}
	return math.Log1p(min(lam, betCap/m) * (x - m))
}
