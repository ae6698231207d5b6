package shard

import (
	"github.com/parity-eval/parity/runner"
	"github.com/parity-eval/parity/suites"
)

// Split plans the run of cfg over ss with repeat repeats on n shards:
// every case's Work from the runner's estimate (the cache and what a
// resumed run already has left out: the plan depends on the suites and
// the config alone), dealt out by Assign. When no provider is priced the
// cases are balanced by their estimated tokens (Plan.Tokens).
func Split(cfg *suites.Config, ss []*suites.Suite, repeat, n int) *Plan {
	est := runner.New(cfg, runner.Repeat(repeat))
	var all []runner.CaseEstimate
	priced := false
	est.EstimateCases(ss, func(e runner.CaseEstimate) {
		all = append(all, e)
		for _, pe := range e.Providers {
			priced = priced || pe.CostUSD > 0
		}
	})
	work := make([]Work, len(all))
	for i, e := range all {
		work[i] = Work{Suite: e.Suite.Name, Case: e.Case.ID, Cost: Cost(cfg, e, !priced), Results: e.Results}
	}
	p := Assign(work, n)
	p.Tokens = !priced
	return p
}

// Share returns the suites of ss with only the cases of shard s, in their
// order; a suite left with none is left out. The suites are copies: ss is
// not changed.
func (p *Plan) Share(ss []*suites.Suite, s Shard) []*suites.Suite {
	var out []*suites.Suite
	for _, st := range ss {
		var cases []*suites.Case
		for _, c := range st.Cases {
			if p.Has(s, st.Name, c.ID) {
				cases = append(cases, c)
			}
		}
		if len(cases) == 0 {
			continue
		}
		cp := *st
		cp.Cases = cases
		out = append(out, &cp)
	}
	return out
}
