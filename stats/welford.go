package stats

import (
	"math"

	"gonum.org/v1/gonum/stat/distuv"
)

// Welford accumulates a mean and a variance in one pass, in constant memory
// (Welford's online algorithm), numerically stable for long runs.
type Welford struct {
	n    int64
	mean float64
	m2   float64
}

// Add records one observation.
func (w *Welford) Add(x float64) {
	w.n++
	d := x - w.mean
	w.mean += d / float64(w.n)
	w.m2 += d * (x - w.mean)
}

// variance returns the sample variance (n-1 denominator); 0 when n < 2.
func (w *Welford) variance() float64 {
	if w.n < 2 {
		return 0
	}
	return w.m2 / float64(w.n-1)
}

// StdErr returns the standard error of the mean, sqrt(Var/n); 0 when n < 2.
func (w *Welford) StdErr() float64 {
	if w.n < 2 {
		return 0
	}
	return math.Sqrt(w.variance() / float64(w.n))
}

// HalfWidth95 is the half width of the 95% confidence interval of a mean
// with standard error se over n observations: Student's t with n-1 degrees
// of freedom, which is wider than 1.96 for small n (2.26 at n = 10).
func HalfWidth95(se float64, n int64) float64 {
	if n < 2 {
		return 0
	}
	t := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: float64(n - 1)}
	return t.Quantile(0.975) * se
}

// Mean returns the mean of the observations, 0 before the first.
func (w *Welford) Mean() float64 { return w.mean }
