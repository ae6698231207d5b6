package report

import (
	"math"
	"slices"
	"strings"
	"testing"
)

// TestLinearTicksNeverNegativeZero checks the tick values of non-negative
// domains: they start at 0 (not -0, which Ceil(-tiny) gave and labelled
// "$-0"), are whole multiples of their step without drift, and stay within
// the domain.
func TestLinearTicksNeverNegativeZero(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name   string
		lo, hi float64
		n      int
		want   []float64
	}{
		// The demo's image rule: $0.02 and $0.04 per image, the axis from 0.
		{"image costs from zero", 0, 0.046, 4, []float64{0, 0.02, 0.04}},
		// Chat costs a few millionths of a dollar.
		{"tiny costs from zero", 0, 1.15e-4, 4, []float64{0, 5e-5, 1e-4}},
		// A step of 0.1 added up drifts (0.30000000000000004); from the
		// index it does not.
		{"tenths", 0, 1, 10, []float64{0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1}},
		// A domain starting just below zero by rounding error.
		{"lo a hair below zero", -1e-18, 0.5, 5, []float64{0, 0.1, 0.2, 0.3, 0.4, 0.5}},
		// Negative data keeps negative ticks, and its zero is still 0.
		{"across zero", -0.2, 0.2, 4, []float64{-0.2, -0.1, 0, 0.1, 0.2}},
		// An empty domain is its one value.
		{"empty domain at -0", math.Copysign(0, -1), math.Copysign(0, -1), 4, []float64{0}},
	} {
		got := linearTicks(tt.lo, tt.hi, tt.n)
		if !slices.Equal(got, tt.want) {
			t.Errorf("%s: linearTicks(%g, %g, %d) = %v, want %v", tt.name, tt.lo, tt.hi, tt.n, got, tt.want)
		}
		for _, v := range got {
			if v == 0 && math.Signbit(v) {
				t.Errorf("%s: a tick is -0", tt.name)
			}
		}
	}
}

// TestTickLabelsNeverNegativeZero checks each axis's labels: rounding
// comes first, so a value that rounds to zero prints as zero, unsigned.
func TestTickLabelsNeverNegativeZero(t *testing.T) {
	t.Parallel()
	negZero := math.Copysign(0, -1)
	for _, tt := range []struct {
		name, got, want string
	}{
		{"usd -0", formatUSDTick(negZero), "$0"},
		{"usd 0", formatUSDTick(0), "$0"},
		{"usd cents", formatUSDTick(0.02), "$0.02"},
		{"usd millionths", formatUSDTick(5e-5), "$0.00005"},
		{"usd negative", formatUSDTick(-0.01), "-$0.01"},
		{"score -0", formatScoreTick(negZero), "0.00"},
		{"score rounds to -0", formatScoreTick(-0.001), "0.00"},
		{"score", formatScoreTick(0.6), "0.60"},
		{"ms -0", formatMSTick(negZero), "0 ms"},
		{"ms", formatMSTick(200), "200 ms"},
		{"ms rounds up to a second", formatMSTick(999.7), "1 s"},
	} {
		if tt.got != tt.want {
			t.Errorf("%s: %q, want %q", tt.name, tt.got, tt.want)
		}
		if strings.Contains(tt.got, "-0") && !strings.HasPrefix(tt.got, "-$0.") {
			t.Errorf("%s: %q prints a negative zero", tt.name, tt.got)
		}
	}
}

// TestScatterTicksFromZero checks the cost axis of a chart whose costs are
// within a factor of 20 (the demo's photo rule: $0.02 and $0.04 an image):
// linear from $0, labelled "$0" and never "$-0".
func TestScatterTicksFromZero(t *testing.T) {
	t.Parallel()
	stats := []TagStats{
		{Provider: "flux", N: 6, CostPerCaseUSD: 0.02, MeanScore: 0.4},
		{Provider: "imagen", N: 6, CostPerCaseUSD: 0.04, MeanScore: 0.9},
	}
	c := scatterChartOf("photo", "imagen", stats, map[string]string{})
	var labels []string
	for _, tk := range c.XTicks {
		labels = append(labels, tk.Label)
	}
	if want := []string{"$0", "$0.02", "$0.04"}; !slices.Equal(labels, want) {
		t.Errorf("cost ticks %v, want %v", labels, want)
	}
	if c.XTicks[0].Pos != c.X0 {
		t.Errorf("$0 is at %v, want the axis start %v", c.XTicks[0].Pos, c.X0)
	}
}
