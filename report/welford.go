package report

import "math"

// welford accumulates a mean and a variance in one pass, in constant memory
// (Welford's online algorithm), numerically stable for long runs.
type welford struct {
	n    int64
	mean float64
	m2   float64
}

// add records one observation.
func (w *welford) add(x float64) {
	w.n++
	d := x - w.mean
	w.mean += d / float64(w.n)
	w.m2 += d * (x - w.mean)
}

// variance returns the sample variance (n-1 denominator); 0 when n < 2.
func (w *welford) variance() float64 {
	if w.n < 2 {
		return 0
	}
	return w.m2 / float64(w.n-1)
}

// stdErr returns the standard error of the mean, sqrt(Var/n); 0 when n < 2.
func (w *welford) stdErr() float64 {
	if w.n < 2 {
		return 0
	}
	return math.Sqrt(w.variance() / float64(w.n))
}
