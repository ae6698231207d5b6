package report

import (
	"cmp"
	"fmt"
	"maps"
	"math"
	"slices"

	"github.com/parity-eval/parity/internal/format"
	"github.com/parity-eval/parity/routing"
)

// Scatter chart geometry, in SVG units.
const (
	scatterW, scatterH                                   = 360.0, 236.0
	scatterLeft, scatterRight, scatterTop, scatterBottom = 46.0, 16.0, 14.0, 38.0
)

// scatterView is the cost against quality charts, one per tag.
type scatterView struct {
	Charts []scatterChart
	Legend []provChip
}

// scatterChart plots each provider's mean cost per case against its mean
// score on one tag, marks the Pareto frontier and rings the suggested
// primary.
type scatterChart struct {
	Tag, Route     string
	W, H           float64
	X0, X1, Y0, Y1 float64
	XTicks, YTicks []svgTick
	XLabel         string
	// XMid and YMid centre the axis labels.
	XMid, YMid float64
	Points     []scatterPoint
	Frontier   []svgPoint
	// Excluded names the providers not plotted: every request failed.
	Excluded []string
	// RouteX and RouteY place the route label; RouteEnd anchors it at its
	// end (near the right edge).
	RouteX, RouteY float64
	RouteEnd       bool
}

// svgPoint is an SVG position.
type svgPoint struct{ X, Y float64 }

// scatterPoint is one provider on a tag.
type scatterPoint struct {
	provChip
	X, Y, YLo, YHi  float64
	Route, Frontier bool
	Title           string
}

// scatterCharts draws a chart per tag of the summary.
func scatterCharts(sum *Summary, rules *routing.Rules, ids []string) scatterView {
	color := map[string]string{}
	for i, id := range ids {
		color[id] = providerColor(i)
	}
	byTag := map[string][]TagStats{}
	var tags []string
	for _, ts := range sum.Tags() {
		if _, ok := byTag[ts.Tag]; !ok {
			tags = append(tags, ts.Tag)
		}
		byTag[ts.Tag] = append(byTag[ts.Tag], ts)
	}
	v := scatterView{Legend: provChips(ids)}
	for _, tag := range tags {
		v.Charts = append(v.Charts, scatterChartOf(tag, routeOf(rules, tag), byTag[tag], color))
	}
	return v
}

// scatterChartOf lays out one tag's chart.
func scatterChartOf(tag, route string, all []TagStats, color map[string]string) scatterChart {
	c := scatterChart{Tag: tag, Route: route, W: scatterW, H: scatterH,
		X0: scatterLeft, X1: scatterW - scatterRight, Y0: scatterTop, Y1: scatterH - scatterBottom}
	var stats []TagStats
	for _, ts := range all {
		if ts.N == 0 || ts.ErrorRate >= 1 {
			c.Excluded = append(c.Excluded, ts.Provider)
			continue
		}
		stats = append(stats, ts)
	}
	xs, ys := costScale(stats, c.X0, c.X1), scoreScale(stats, c.Y1, c.Y0)
	c.XTicks = xs.ticks(4, formatUSDTick)
	c.YTicks = ys.ticks(4, formatScoreTick)
	c.XMid, c.YMid = (c.X0+c.X1)/2, (c.Y0+c.Y1)/2
	c.XLabel = "cost per case"
	if xs.log {
		c.XLabel += " (log scale)"
	}
	front := paretoFrontier(stats)
	for _, ts := range stats {
		p := scatterPoint{provChip: provChip{ts.Provider, color[ts.Provider]},
			X: xs.at(ts.CostPerCaseUSD), Y: ys.at(ts.MeanScore),
			YLo: ys.at(ts.MeanScore - ts.StdErr), YHi: ys.at(ts.MeanScore + ts.StdErr),
			Route: ts.Provider == route, Frontier: front[ts.Provider],
			Title: fmt.Sprintf("%s on %s: score %s ± %s, %s per case, %s errors, n = %d",
				ts.Provider, tag, format.Score(ts.MeanScore), format.Score(ts.StdErr),
				format.USD(ts.CostPerCaseUSD), format.Pct(ts.ErrorRate), ts.N)}
		c.Points = append(c.Points, p)
		if p.Route {
			c.RouteX, c.RouteY = p.X+9, p.Y-9
			if p.X > c.X1-60 {
				c.RouteX, c.RouteEnd = p.X-9, true
			}
			c.RouteY = max(c.RouteY, c.Y0+8)
		}
	}
	c.Frontier = frontierPath(c.Points, c.X1)
	// The route is drawn last, on top.
	slices.SortStableFunc(c.Points, func(a, b scatterPoint) int {
		return routeLast(a.Route) - routeLast(b.Route)
	})
	return c
}

// routeLast is 1 for the route, 0 for others: the route is drawn last.
func routeLast(b bool) int {
	if b {
		return 1
	}
	return 0
}

// costScale is linear from 0 when a provider is free or costs are within
// a factor of 20, logarithmic otherwise.
func costScale(stats []TagStats, p0, p1 float64) svgScale {
	lo, hi := math.Inf(1), 0.0
	for _, ts := range stats {
		lo, hi = math.Min(lo, ts.CostPerCaseUSD), math.Max(hi, ts.CostPerCaseUSD)
	}
	if len(stats) == 0 || hi <= 0 {
		return svgScale{d0: 0, d1: 1e-3, p0: p0, p1: p1}
	}
	if lo > 0 && hi/lo > 20 {
		return svgScale{d0: lo / 1.8, d1: hi * 1.8, p0: p0, p1: p1, log: true}
	}
	return svgScale{d0: 0, d1: hi * 1.15, p0: p0, p1: p1}
}

// scoreScale spans the scores and their standard errors, in tenths, up to 1.
func scoreScale(stats []TagStats, p0, p1 float64) svgScale {
	lo := 1.0
	for _, ts := range stats {
		lo = math.Min(lo, ts.MeanScore-ts.StdErr)
	}
	lo = math.Max(0, math.Floor((lo-0.02)*10)/10)
	return svgScale{d0: math.Min(lo, 0.8), d1: 1, p0: p0, p1: p1}
}

// paretoFrontier returns the providers no other provider beats on both
// cost and score.
func paretoFrontier(stats []TagStats) map[string]bool {
	out := map[string]bool{}
	for _, p := range stats {
		dominated := slices.ContainsFunc(stats, func(q TagStats) bool {
			return q.CostPerCaseUSD <= p.CostPerCaseUSD && q.MeanScore >= p.MeanScore &&
				(q.CostPerCaseUSD < p.CostPerCaseUSD || q.MeanScore > p.MeanScore)
		})
		out[p.Provider] = !dominated
	}
	return out
}

// frontierPath is the staircase through the frontier's points, on to the
// right edge x1: the best score reachable for a given spend.
func frontierPath(pts []scatterPoint, x1 float64) []svgPoint {
	var f []scatterPoint
	for _, p := range pts {
		if p.Frontier {
			f = append(f, p)
		}
	}
	slices.SortFunc(f, func(a, b scatterPoint) int {
		return cmp.Or(cmp.Compare(a.X, b.X), cmp.Compare(b.Y, a.Y))
	})
	var path []svgPoint
	for i, p := range f {
		if i > 0 {
			path = append(path, svgPoint{p.X, f[i-1].Y})
		}
		path = append(path, svgPoint{p.X, p.Y})
	}
	if n := len(path); n > 0 && path[n-1].X < x1 {
		path = append(path, svgPoint{x1, path[n-1].Y})
	}
	return path
}

// routeOf returns the primary of the tag's rule in the default tier (or
// else in any tier), "" when there is none.
func routeOf(rules *routing.Rules, tag string) string {
	if rules == nil {
		return ""
	}
	if r, ok := rules.Tags[tag]; ok && r.Primary != nil {
		return r.Primary.Provider
	}
	for _, key := range slices.Sorted(maps.Keys(rules.Tags)) {
		if r := rules.Tags[key]; r.Tag == tag && r.Primary != nil {
			return r.Primary.Provider
		}
	}
	return ""
}
