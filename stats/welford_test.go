package stats

import (
	"math"
	"testing"
	"time"
)

// approx reports whether a and b agree to 1e-9 relative.
func approx(a, b float64) bool {
	return math.Abs(a-b) <= 1e-9*math.Max(1, math.Max(math.Abs(a), math.Abs(b)))
}

func TestWelford(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		xs         []float64
		mean, se   float64
		wantSEZero bool
	}{
		{name: "empty", xs: nil, wantSEZero: true},                     // no data: zeros
		{name: "one", xs: []float64{0.7}, mean: 0.7, wantSEZero: true}, // n < 2: no spread
		{name: "constant", xs: []float64{1, 1, 1, 1}, mean: 1, se: 0},  // no variance
		{name: "pass/fail", xs: []float64{1, 0, 1, 0}, mean: 0.5, se: math.Sqrt((4.0 / 3 * 0.25) / 4)},
		{name: "spread", xs: []float64{2, 4, 4, 4, 5, 5, 7, 9}, mean: 5, se: math.Sqrt(32.0 / 7 / 8)},
		{name: "offset", xs: []float64{1e9 + 4, 1e9 + 7, 1e9 + 13, 1e9 + 16}, mean: 1e9 + 10, se: math.Sqrt(30.0 / 4)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var w Welford
			for _, x := range tt.xs {
				w.Add(x)
			}
			if !approx(w.Mean(), tt.mean) || !approx(w.StdErr(), tt.se) {
				t.Errorf("mean %v se %v, want %v %v", w.Mean(), w.StdErr(), tt.mean, tt.se)
			}
			if tt.wantSEZero && w.StdErr() != 0 {
				t.Errorf("se %v, want 0", w.StdErr())
			}
		})
	}
}

func TestLatencyPercentiles(t *testing.T) {
	t.Parallel()
	var l Latency
	if l.PercentileMS(50) != 0 || l.Count() != 0 {
		t.Fatal("empty histogram is not zero")
	}
	for ms := 1; ms <= 1000; ms++ {
		l.Record(time.Duration(ms) * time.Millisecond)
	}
	l.Record(-time.Second)   // clamped to 0
	l.Record(48 * time.Hour) // clamped to an hour
	tests := []struct{ p, want float64 }{{50, 500}, {95, 950}, {99, 990}, {100, 3_600_000}}
	for _, tt := range tests {
		// Three significant figures: within 0.1%.
		if got := l.PercentileMS(tt.p); math.Abs(got-tt.want) > tt.want*1e-3+1 {
			t.Errorf("p%v = %v ms, want %v", tt.p, got, tt.want)
		}
	}
	if l.Count() != 1002 {
		t.Errorf("count %d, want 1002", l.Count())
	}
}

// TestHalfWidth95 checks the t quantiles against a printed table
// (two-sided 95%: t(0.975, 9) = 2.262, t(0.975, 29) = 2.045,
// t(0.975, 999) ≈ 1.962).
func TestHalfWidth95(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		n    int64
		want float64
	}{{10, 2.262}, {30, 2.045}, {1000, 1.962}, {1, 0}} {
		if got := HalfWidth95(1, tt.n); math.Abs(got-tt.want) > 0.001 {
			t.Errorf("halfWidth95(1, %d) = %.4f, want %.3f", tt.n, got, tt.want)
		}
	}
}
