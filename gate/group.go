package gate

import (
	"math"
	"slices"

	"github.com/parity-eval/parity/stats"

	"gonum.org/v1/gonum/stat"
)

// gateOperations tallies the operational metrics of a group's paired
// rows: per case, each side's cost and failures (the clusters the cost
// and error checks bound), and per side the latencies of successful rows
// sent in this run.
type gateOperations struct {
	rows     int
	pass     [2]int
	cost     []stats.PairedCase // per case: Baseline, Candidate are cost sums
	failed   []stats.PairedCase // per case: failure counts
	latency  [2][]float64       // of successful rows sent in this run, in ms
	measured Measured
}

// operationsOf tallies the paired rows of cases.
func operationsOf(cases []*gateCase) gateOperations {
	var o gateOperations
	for _, gc := range cases {
		if len(gc.cells) == 0 {
			continue
		}
		cost, failed := stats.PairedCase{N: len(gc.cells)}, stats.PairedCase{N: len(gc.cells)}
		for _, c := range gc.cells {
			o.rows++
			b, k := c.obs[SideBaseline], c.obs[SideCandidate]
			cost.Baseline, cost.Candidate = cost.Baseline+b.cost, cost.Candidate+k.cost
			failed.Baseline, failed.Candidate = failed.Baseline+boolCount(b.failed), failed.Candidate+boolCount(k.failed)
			for side, ob := range c.obs {
				o.pass[side] += int(boolCount(ob.pass))
				o.measure(Side(side), ob)
			}
		}
		o.cost, o.failed = append(o.cost, cost), append(o.failed, failed)
	}
	return o
}

// measure records a successful row's latency when it was sent in this run.
func (o *gateOperations) measure(side Side, ob gateObs) {
	switch {
	case ob.failed:
	case ob.cached && side == SideBaseline:
		o.measured.CachedBaseline++
	case ob.cached:
		o.measured.CachedCandidate++
	default:
		o.latency[side] = append(o.latency[side], ob.latency)
	}
}

// boolCount is 1 for true, 0 for false.
func boolCount(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

// sums returns the two sides' totals of per-case sums.
func sums(cases []stats.PairedCase) (base, cand float64) {
	for _, pc := range cases {
		base, cand = base+pc.Baseline, cand+pc.Candidate
	}
	return base, cand
}

// changes returns the pass rate, cost per case, p95 latency and error rate
// of both sides.
func (o *gateOperations) changes() (pass, cost, p95, errs Change) {
	n := float64(o.rows)
	pass = changeOf(float64(o.pass[0])/n, float64(o.pass[1])/n)
	b, c := sums(o.cost)
	cost = changeOf(b/n, c/n)
	b, c = sums(o.failed)
	errs = changeOf(b/n, c/n)
	o.measured.Baseline, o.measured.Candidate = len(o.latency[0]), len(o.latency[1])
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

// latencyQuantile is the quantile the latency check compares: the p95.
const latencyQuantile = 0.95

// p95Of returns the 95th percentile (the empirical quantile) of xs, NaN
// when empty. It sorts xs.
func p95Of(xs []float64) float64 {
	if len(xs) == 0 {
		return math.NaN()
	}
	slices.Sort(xs)
	return stat.Quantile(latencyQuantile, stat.Empirical, xs, nil)
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
		gg.P95Measured, gg.ops = ops.measured, ops
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

// power states what a comparison can decide, and how many cases the
// margin needs, at the gate's planned noncentrality.
func (g *Gate) power(c *stats.Comparison) Power {
	o := g.opts
	p := Power{Alpha: o.Stats.Alpha, Power: o.Power, Noncentrality: g.nc, SD: NullFloat(math.NaN()), MDE: NullFloat(math.NaN())}
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
		p.MDE = NullFloat(stats.PlanMDE(c.SD, c.Cases, g.nc))
		p.CasesNeeded = stats.PlanCases(c.SD, o.Margin, g.nc)
	}
	p.Underpowered = p.CasesNeeded > c.Cases
	return p
}
