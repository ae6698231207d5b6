package gate

import (
	"math"
	"slices"

	"github.com/parity-eval/parity/stats"

	"gonum.org/v1/gonum/stat"
)

// gateOperations tallies the operational metrics of a group's paired
// rows, per side.
type gateOperations struct {
	rows         int
	pass, failed [2]int
	cost         [2]float64
	latency      [2][]float64 // of successful rows, in ms
}

// operationsOf tallies the paired rows of cases.
func operationsOf(cases []*gateCase) gateOperations {
	var o gateOperations
	for _, gc := range cases {
		for _, c := range gc.cells {
			o.rows++
			for side, ob := range c.obs {
				o.cost[side] += ob.cost
				switch {
				case ob.failed:
					o.failed[side]++
				default:
					o.latency[side] = append(o.latency[side], ob.latency)
				}
				if ob.pass {
					o.pass[side]++
				}
			}
		}
	}
	return o
}

// changes returns the pass rate, cost per case, p95 latency and error rate
// of both sides.
func (o *gateOperations) changes() (pass, cost, p95, errs Change) {
	n := float64(o.rows)
	per := func(x [2]float64) Change { return changeOf(x[0]/n, x[1]/n) }
	pass = per([2]float64{float64(o.pass[0]), float64(o.pass[1])})
	cost = per(o.cost)
	errs = per([2]float64{float64(o.failed[0]), float64(o.failed[1])})
	p95 = changeOf(p95Of(o.latency[0]), p95Of(o.latency[1]))
	return pass, cost, p95, errs
}

// changeOf returns a metric on both sides with its absolute and relative
// change; the relative change is undefined when the baseline is 0.
func changeOf(base, cand float64) Change {
	rel := math.NaN()
	if base != 0 {
		rel = cand/base - 1
	}
	return Change{Baseline: NullFloat(base), Candidate: NullFloat(cand),
		Delta: NullFloat(cand - base), Relative: NullFloat(rel)}
}

// p95Of returns the 95th percentile (the empirical quantile) of xs, NaN
// when empty. It sorts xs.
func p95Of(xs []float64) float64 {
	if len(xs) == 0 {
		return math.NaN()
	}
	slices.Sort(xs)
	return stat.Quantile(0.95, stat.Empirical, xs, nil)
}

// group computes the evidence on cases with st; discrete says whether the
// row scores are few-valued.
func (g *Gate) group(st stats.Settings, cases []*gateCase, discrete bool) Group {
	c := st.Paired(pairedCases(cases), discrete)
	ops := operationsOf(cases)
	gg := Group{PairedCases: c.Cases, PairedRows: c.Rows, Score: scoreOf(&c, g.opts.Stats.Alpha),
		Power: g.power(&c), cmp: c, ops: ops}
	if ops.rows > 0 {
		gg.PassRate, gg.CostPerCase, gg.P95LatencyMS, gg.ErrorRate = ops.changes()
	} else {
		nan := NullFloat(math.NaN())
		none := Change{Baseline: nan, Candidate: nan, Delta: nan, Relative: nan}
		gg.PassRate, gg.CostPerCase, gg.P95LatencyMS, gg.ErrorRate = none, none, none, none
	}
	return gg
}

// scoreOf reports a comparison.
func scoreOf(c *stats.Comparison, alpha float64) Score {
	return Score{
		Baseline: NullFloat(c.Baseline), Candidate: NullFloat(c.Candidate), Diff: NullFloat(c.Diff),
		CILow: NullFloat(c.Lo), CIHigh: NullFloat(c.Hi), CILevel: 1 - alpha,
		StdErr: NullFloat(c.StdErr), DF: NullFloat(c.DF), P: NullFloat(c.P),
		Significant: c.Significant(alpha), Method: c.Method,
		Ratio: NullFloat(c.Ratio), RatioLow: NullFloat(c.RatioLo), RatioHigh: NullFloat(c.RatioHi),
		RatioMethod: c.RatioMethod, Correlation: NullFloat(c.Correlation),
	}
}

// zeroSD is the standard deviation of per-case differences below which
// the cases are taken to agree exactly (rounding leaves ~1e-17).
const zeroSD = 1e-12

// power states what a comparison can detect, and how many cases the
// margin needs.
func (g *Gate) power(c *stats.Comparison) Power {
	o := g.opts
	p := Power{Alpha: o.Stats.Alpha, Power: o.Power, SD: NullFloat(math.NaN()), MDE: NullFloat(math.NaN())}
	if c.Method == stats.MethodNone {
		return p
	}
	p.SD = NullFloat(c.SD)
	if c.SD < zeroSD {
		p.Basis = PowerBasisRuleOfThree
		p.MDE = NullFloat(3 / float64(c.Cases))
		p.CasesNeeded = stats.RuleOfThreeCases(o.Margin)
	} else {
		p.Basis = PowerBasisVariance
		p.MDE = NullFloat(stats.MinDetectableEffect(c.SD, c.Cases, o.Stats.Alpha, o.Power))
		p.CasesNeeded = stats.CasesNeeded(c.SD, o.Margin, o.Stats.Alpha, o.Power)
	}
	p.Underpowered = p.CasesNeeded > c.Cases
	return p
}
