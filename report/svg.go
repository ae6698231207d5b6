package report

import (
	"math"
	"strconv"

	"github.com/parity-eval/parity/internal/format"
)

// providerPalette colours providers in every chart and chip, by their position in
// the sorted provider list (Tableau 10, readable on white and for most
// colour-blind readers).
var providerPalette = []string{"#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2",
	"#b07aa1", "#edc948", "#9c755f", "#ff9da7", "#bab0ac"}

// providerColor returns the colour of the i-th provider.
func providerColor(i int) string { return providerPalette[i%len(providerPalette)] }

// provChip is a provider named with its colour.
type provChip struct {
	Name, Color string
}

// provChips returns the providers' chips, in order.
func provChips(ids []string) []provChip {
	out := make([]provChip, len(ids))
	for i, id := range ids {
		out[i] = provChip{id, providerColor(i)}
	}
	return out
}

// svgTick is an axis tick: its position in chart units and its label.
type svgTick struct {
	Pos   float64
	Label string
}

// svgScale maps a data interval onto a pixel interval, linearly or on a
// log10 scale.
type svgScale struct {
	d0, d1, p0, p1 float64
	log            bool
}

// at returns the pixel position of v, clamped to the scale's range.
func (s svgScale) at(v float64) float64 {
	d0, d1 := s.d0, s.d1
	if s.log {
		v, d0, d1 = math.Log10(math.Max(v, s.d0)), math.Log10(d0), math.Log10(d1)
	}
	if d1 == d0 {
		return (s.p0 + s.p1) / 2
	}
	t := math.Min(math.Max((v-d0)/(d1-d0), 0), 1)
	return s.p0 + t*(s.p1-s.p0)
}

// ticks returns at most about n round ticks within the scale's domain,
// labelled by label: 1, 2 and 5 times powers of ten, or on a log scale
// spanning too many decades for n, the powers of ten alone.
func (s svgScale) ticks(n int, label func(float64) string) []svgTick {
	var vals []float64
	if s.log {
		vals = logTicks(s.d0, s.d1, []float64{1, 2, 5})
		if powers := logTicks(s.d0, s.d1, []float64{1}); len(vals) > n && len(powers) >= 2 {
			vals = powers
		}
	} else {
		vals = linearTicks(s.d0, s.d1, n)
	}
	out := make([]svgTick, 0, len(vals))
	for _, v := range vals {
		out = append(out, svgTick{s.at(v), label(v)})
	}
	return out
}

// linearTicks returns round values from lo to hi, about n of them: whole
// multiples of the step, computed from their index (no drift from adding
// steps up) and never -0 (a domain starting at 0 starts at 0, not at
// Ceil(-tiny) = -0).
func linearTicks(lo, hi float64, n int) []float64 {
	if hi <= lo || n < 1 {
		return []float64{noNegZero(lo)}
	}
	step := niceStep((hi - lo) / float64(n))
	var out []float64
	for k := math.Ceil(lo/step - 1e-9); k*step <= hi+step*1e-9; k++ {
		out = append(out, noNegZero(format.RoundSig(k*step, 6)))
	}
	return out
}

// noNegZero returns x, with -0 made 0 (which formats as "0", not "-0").
func noNegZero(x float64) float64 {
	if x == 0 {
		return 0
	}
	return x
}

// niceStep rounds a raw step up to 1, 2 or 5 times a power of ten.
func niceStep(raw float64) float64 {
	p := math.Pow(10, math.Floor(math.Log10(raw)))
	for _, m := range []float64{1, 2, 5, 10} {
		if raw <= m*p*(1+1e-9) {
			return m * p
		}
	}
	return 10 * p
}

// logTicks returns the multiples mults of the powers of ten within
// [lo, hi].
func logTicks(lo, hi float64, mults []float64) []float64 {
	if lo <= 0 || hi <= lo {
		return nil
	}
	var out []float64
	for e := math.Floor(math.Log10(lo)); e <= math.Ceil(math.Log10(hi)); e++ {
		for _, m := range mults {
			if v := m * math.Pow(10, e); v >= lo*(1-1e-9) && v <= hi*(1+1e-9) {
				out = append(out, format.RoundSig(v, 3))
			}
		}
	}
	return out
}

// formatCoord prints an SVG coordinate with one decimal.
func formatCoord(x float64) string {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return "0"
	}
	return strconv.FormatFloat(x, 'f', 1, 64)
}

// formatCount prints an integer with thousands separators: 1,000,000.
func formatCount(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := n < 0
	if neg {
		s = s[1:]
	}
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	if neg {
		return "-" + s
	}
	return s
}

// formatUSDTick labels a cost axis tick with no trailing zeros: $0.00005,
// $0 (never $-0), -$0.01 below zero.
func formatUSDTick(usd float64) string {
	v := noNegZero(format.RoundSig(usd, 3))
	if v < 0 {
		return "-$" + strconv.FormatFloat(-v, 'f', -1, 64)
	}
	return "$" + strconv.FormatFloat(v, 'f', -1, 64)
}

// formatScoreTick labels a score axis tick with two decimals: 0.60, 0.00
// (never -0.00: the value is rounded to the label first).
func formatScoreTick(s float64) string {
	return strconv.FormatFloat(noNegZero(math.Round(s*100)/100), 'f', 2, 64)
}
