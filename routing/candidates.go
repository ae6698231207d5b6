package routing

import (
	"iter"
	"slices"

	"github.com/parity-eval/parity/internal/format"

	"github.com/parity-eval/parity/suites"
)

// routeCandidate is one provider's evidence on one rule, over a set of cases.
type routeCandidate struct {
	idx             int
	provider, model string
	// score is the mean row score (failed requests score 0) with its
	// case-clustered interval.
	score scoreInterval
	// cost is the mean provider cost of a row; errorRate the share of rows
	// whose request failed; p95 the 95th percentile latency in ms of its
	// successful requests on the rule (all cases).
	cost, errorRate, p95 float64
	rows                 int64
	cases                int
	// inTokens and outTokens are the mean tokens of a successful row on
	// any of the rule's cases: the rules report them over all the cases,
	// so a view of some of them reports the same.
	inTokens, outTokens float64
	price               *Price
	// listPrice is input + output USD per million tokens: it breaks ties
	// between providers of equal measured cost.
	listPrice float64
	// unpriced: the config gives the provider no price, so its cost is
	// unknown, not free (see unpricedRank).
	unpriced bool
}

// routeView is a rule's evidence restricted to some of its cases and to
// the providers that may serve it.
type routeView struct {
	route *routeEvidence
	// cases are indices into route's cases.
	cases  []int32
	usable []int
	meta   map[int]providerMeta
}

// providerMeta is what the rules know of a provider besides its rows.
type providerMeta struct {
	id, model string
	price     *Price
	listPrice float64
	unpriced  bool
	cfg       *suites.Provider
}

// withCases returns the view restricted to cases.
func (v routeView) withCases(cases []int32) routeView {
	v.cases = cases
	return v
}

// candidates returns the evidence of every usable provider with at least
// one row among the view's cases, ordered by provider index.
func (v routeView) candidates() []routeCandidate {
	out := make([]routeCandidate, 0, len(v.usable))
	for _, p := range v.usable {
		if c, ok := v.evidenceOf(p); ok {
			out = append(out, c)
		}
	}
	return out
}

// evidenceOf computes provider p's evidence over the view's cases.
func (v routeView) evidenceOf(p int) (routeCandidate, bool) {
	m := v.meta[p]
	c := routeCandidate{idx: p, provider: m.id, model: m.model, price: m.price, listPrice: m.listPrice, unpriced: m.unpriced}
	var cost float64
	var failed int64
	for _, ce := range v.cases {
		if !v.route.has(ce, p) {
			continue
		}
		cell := v.route.cell(ce, p)
		cost += cell.cost
		failed += int64(cell.failed())
	}
	c.score = clusteredInterval(v.cellTotals(p), 0)
	if c.score.clusters == 0 {
		return c, false
	}
	c.rows, c.cases = int64(c.score.n), c.score.clusters
	c.cost = cost / float64(c.rows)
	c.errorRate = float64(failed) / float64(c.rows)
	if col := &v.route.cols[p]; col.okRows > 0 {
		c.inTokens, c.outTokens = float64(col.inTokens)/float64(col.okRows), float64(col.outTokens)/float64(col.okRows)
	}
	if rp := v.route.byProvider[p]; rp != nil {
		c.p95 = rp.latency.PercentileMS(95)
	}
	return c, true
}

// cellTotals yields provider p's score total and rows on each of the
// view's cases it answered.
func (v routeView) cellTotals(p int) iter.Seq[clusterTotal] {
	return func(yield func(clusterTotal) bool) {
		for _, ce := range v.cases {
			if !v.route.has(ce, p) {
				continue
			}
			cell := v.route.cell(ce, p)
			if !yield(clusterTotal{sum: cell.meanScore() * float64(cell.rows), n: int(cell.rows)}) {
				return
			}
		}
	}
}

// paired compares candidates a and b on the view's cases.
func (v routeView) paired(a, b routeCandidate) routePaired {
	return pairedByCase(v.route, v.cases, a.idx, b.idx)
}

// served reports whether the candidate answered at least one request.
func (c routeCandidate) served() bool { return c.rows > 0 && c.errorRate < 1 }

// usableOnly drops the candidates that never answered.
func usableOnly(cands []routeCandidate) []routeCandidate {
	return slices.DeleteFunc(slices.Clone(cands), func(c routeCandidate) bool { return !c.served() })
}

// choice returns the candidate as rule evidence, rounded for reading.
func (c routeCandidate) choice() Choice {
	return Choice{
		Provider:       c.provider,
		Model:          c.model,
		MeanScore:      format.RoundTo(c.score.mean, 4),
		StdErr:         format.RoundTo(c.score.stdErr, 4),
		ScoreLow:       format.RoundTo(c.score.low, 4),
		CostPerCaseUSD: format.RoundSig(c.cost, 4),
		P95LatencyMS:   c.p95,
		ErrorRate:      format.RoundTo(c.errorRate, 4),
		N:              c.rows,
		Cases:          c.cases,
		InputTokens:    format.RoundTo(c.inTokens, 1),
		OutputTokens:   format.RoundTo(c.outTokens, 1),
		Price:          c.price,
	}
}
