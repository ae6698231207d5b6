package shard

import (
	"cmp"
	"math"
	"slices"

	"github.com/parity-eval/parity/runner"
	"github.com/parity-eval/parity/suites"
)

// Work is one case of a run as Plan deals it: the unit of sharding, with
// every provider and repeat of the case.
type Work struct {
	Suite, Case string
	// Cost is the case's expected cost in integer units, so that every
	// machine adds it up alike: see Cost.
	Cost int64
	// Results counts the case's rows.
	Results int
}

// Plan is a run's cases dealt out to Count shards.
type Plan struct {
	Count int
	// shardOf maps a case (suite, id) to its shard's index, 0-based.
	shardOf map[[2]string]int
	// Costs and Results are each shard's total, by 0-based index.
	Costs   []int64
	Results []int
	// Tokens is set when the costs are estimated tokens, not money: every
	// provider of the run is unpriced (see Split).
	Tokens bool
}

// Assign deals work out to n shards by greedy longest-processing-time:
// the cases by cost, dearest first (ties by suite name, then case id),
// each to the shard with the least cost so far (ties to the one with the
// fewest results, then to the lowest index). It depends on nothing but
// work and n, so every machine that computes it gets the same plan; no
// shard's cost passes the cheapest's by more than the dearest case.
func Assign(work []Work, n int) *Plan {
	n = max(n, 1)
	sorted := slices.Clone(work)
	slices.SortStableFunc(sorted, func(a, b Work) int {
		return cmp.Or(cmp.Compare(b.Cost, a.Cost), cmp.Compare(a.Suite, b.Suite), cmp.Compare(a.Case, b.Case))
	})
	p := &Plan{Count: n, shardOf: make(map[[2]string]int, len(work)), Costs: make([]int64, n), Results: make([]int, n)}
	for _, w := range sorted {
		i := p.cheapest()
		p.shardOf[[2]string{w.Suite, w.Case}] = i
		p.Costs[i] += w.Cost
		p.Results[i] += w.Results
	}
	return p
}

// cheapest is the index of the shard Assign gives the next case to.
func (p *Plan) cheapest() int {
	best := 0
	for i := 1; i < p.Count; i++ {
		if c := cmp.Or(cmp.Compare(p.Costs[i], p.Costs[best]), cmp.Compare(p.Results[i], p.Results[best])); c < 0 {
			best = i
		}
	}
	return best
}

// Has reports whether shard s (1-based) runs the case.
func (p *Plan) Has(s Shard, suite, caseID string) bool {
	i, ok := p.shardOf[[2]string{suite, caseID}]
	return ok && i == s.Index-1
}

// Balance is the dearest shard's cost over the cheapest's: 1 is a
// perfect split, +Inf when a shard has no cost and another has.
func (p *Plan) Balance() float64 {
	lo, hi := slices.Min(p.Costs), slices.Max(p.Costs)
	switch {
	case hi == 0:
		return 1
	case lo == 0:
		return math.Inf(1)
	}
	return float64(hi) / float64(lo)
}

// CostScale is how many Cost units make one USD: a Cost is USD x 1e6,
// rounded per provider (the tokens times the price per million, rounded).
const CostScale = 1e6

// Cost is a case's expected cost from the runner's estimate (the same as
// --dry-run's and --max-cost's), in integer units of 1e-6 USD: each
// provider's tokens times its price per million, rounded, then added as
// integers. Floating-point sums may differ in their last bit between
// machines (a fused multiply-add on one, not the other); these do not.
// A run whose providers are all unpriced costs nothing: then the
// estimated tokens are its cost instead (see Plans).
func Cost(cfg *suites.Config, e runner.CaseEstimate, tokens bool) int64 {
	var c int64
	for _, pe := range e.Providers {
		p := cfg.Provider(pe.Provider)
		switch {
		case tokens:
			c += int64(pe.InputTokens + pe.OutputTokens)
		case e.Suite.Kind == suites.KindImage:
			c += int64(pe.Requests) * int64(math.Round(float64(p.Price.Image*CostScale)))
		default:
			c += int64(math.Round(float64(float64(pe.InputTokens)*p.Price.Input))) +
				int64(math.Round(float64(float64(pe.OutputTokens)*p.Price.Output)))
		}
	}
	return c
}
