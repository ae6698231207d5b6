package report

import (
	"math"
	"strconv"
	"strings"

	"github.com/parity-eval/parity/internal/format"
	"github.com/parity-eval/parity/stats"
)

// Latency chart geometry, in SVG units.
const (
	latencyW, latencyRowH       = 960.0, 44.0
	latencyLeft, latencyRight   = 150.0, 250.0
	latencyTop, latencyBottom   = 10.0, 36.0
	latencyBins                 = 60
	latencyBoxH, latencyViolinH = 14.0, 15.0
)

// latencyChart shows each provider's latency distribution on one log
// axis: a density outline, a box from p25 to p75, the median, whiskers to
// p5 and p95, and a dot at p99.
type latencyChart struct {
	W, H, X0, X1 float64
	AxisY        float64
	Ticks        []svgTick
	Rows         []latencyRow
}

// latencyRow is one provider's distribution, in SVG x positions.
type latencyRow struct {
	provChip
	Y, BoxY                     float64
	P5, P25, P50, P75, P95, P99 float64
	BoxW                        float64
	Label                       string
	N                           int64
	// Violin is the density outline, empty without data.
	Violin []svgPoint
}

// latencyChartOf draws every provider's successful request latencies.
func latencyChartOf(sum *Summary, ids []string) latencyChart {
	c := latencyChart{W: latencyW, X0: latencyLeft, X1: latencyW - latencyRight,
		H: latencyTop + latencyRowH*float64(len(ids)) + latencyBottom}
	c.AxisY = c.H - latencyBottom + 6
	lo, hi := math.Inf(1), 0.0
	for _, id := range ids {
		if l := sum.providers[id].latency; l.Count() > 0 {
			lo = math.Min(lo, l.QuantileMS(1))
			hi = math.Max(hi, l.QuantileMS(99.5))
		}
	}
	if hi <= 0 {
		lo, hi = 1, 1000
	}
	xs := svgScale{d0: math.Max(lo/1.4, 0.1), d1: math.Max(hi*1.3, lo*2), p0: c.X0, p1: c.X1, log: true}
	c.Ticks = xs.ticks(8, formatMSTick)
	for i, id := range ids {
		c.Rows = append(c.Rows, latencyRowOf(sum.providers[id].latency, provChip{id, providerColor(i)},
			latencyTop+latencyRowH*(float64(i)+0.5), xs))
	}
	return c
}

// latencyRowOf lays out one provider's distribution centred on y.
func latencyRowOf(l stats.Latency, ch provChip, y float64, xs svgScale) latencyRow {
	r := latencyRow{provChip: ch, Y: y, BoxY: y - latencyBoxH/2, N: l.Count()}
	if r.N == 0 {
		r.Label = "no successful request"
		return r
	}
	q := func(p float64) float64 { return xs.at(l.QuantileMS(p)) }
	r.P5, r.P25, r.P50, r.P75, r.P95, r.P99 = q(5), q(25), q(50), q(75), q(95), q(99)
	r.BoxW = max(r.P75-r.P25, 1)
	r.Label = "p50 " + formatMSShort(l.PercentileMS(50)) + " · p95 " + formatMSShort(l.PercentileMS(95)) +
		" · p99 " + format.MS(l.PercentileMS(99))
	r.Violin = violin(l, xs, y)
	return r
}

// violin returns a closed outline of the histogram's density over the
// scale, in latencyBins log-spaced bins, mirrored about y.
func violin(l stats.Latency, xs svgScale, y float64) []svgPoint {
	var bins [latencyBins]float64
	lo, hi := math.Log10(xs.d0), math.Log10(xs.d1)
	for _, b := range l.Distribution() {
		if b.Count == 0 {
			continue
		}
		ms := float64(b.From+b.To) / 2000
		i := int((math.Log10(math.Max(ms, xs.d0)) - lo) / (hi - lo) * latencyBins)
		bins[min(max(i, 0), latencyBins-1)] += float64(b.Count)
	}
	smooth := make([]float64, latencyBins)
	top := 0.0
	for i := range bins {
		for d := -2; d <= 2; d++ {
			if j := i + d; j >= 0 && j < latencyBins {
				smooth[i] += bins[j] * []float64{1, 4, 6, 4, 1}[d+2] / 16
			}
		}
		top = math.Max(top, smooth[i])
	}
	first, last := 0, latencyBins-1
	for first < last && smooth[first] == 0 {
		first++
	}
	for last > first && smooth[last] == 0 {
		last--
	}
	out := make([]svgPoint, 0, 2*(last-first+1))
	at := func(i int) float64 { return xs.p0 + (float64(i)+0.5)/latencyBins*(xs.p1-xs.p0) }
	for i := first; i <= last; i++ {
		out = append(out, svgPoint{at(i), y - latencyViolinH*smooth[i]/top})
	}
	for i := last; i >= first; i-- {
		out = append(out, svgPoint{at(i), y + latencyViolinH*smooth[i]/top})
	}
	return out
}

// formatMSTick labels a latency axis tick: 50 ms, 200 ms, 1 s, 2.5 s.
func formatMSTick(ms float64) string {
	ms = noNegZero(format.RoundSig(ms, 3))
	if ms >= 1000 {
		return strconv.FormatFloat(ms/1000, 'g', 3, 64) + " s"
	}
	return strconv.FormatFloat(ms, 'g', 3, 64) + " ms"
}

// formatMSShort prints milliseconds without the unit: 437, 12.5.
func formatMSShort(ms float64) string { return strings.TrimSuffix(format.MS(ms), " ms") }
