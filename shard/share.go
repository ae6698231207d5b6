package shard

import (
	"fmt"

	"github.com/parity-eval/parity/runner"
	"github.com/parity-eval/parity/suites"
)

// Split plans the run of cfg over ss with repeat repeats on n shards:
// every case's Work from the runner's estimate (the cache and what a
// resumed run already has left out: the plan depends on the suites and
// the config alone), dealt out by Assign. When no provider is priced the
// cases are balanced by their estimated tokens (Plan.Tokens). It fails
// when a case cannot be read again.
func Split(cfg *suites.Config, ss []*suites.Suite, repeat, n int) (*Plan, error) {
	est := runner.New(cfg, runner.Repeat(repeat))
	var all []runner.CaseEstimate
	var work []Work
	priced := false
	err := est.EstimateCases(ss, func(e runner.CaseEstimate) {
		work = append(work, Work{Suite: e.Suite.Name, Case: e.Case.ID, Results: e.Results})
		e.Case = nil // the plan keeps the id, not the case
		all = append(all, e)
		for _, pe := range e.Providers {
			priced = priced || pe.CostUSD > 0
		}
	})
	if err != nil {
		return nil, fmt.Errorf("shard: %w", err)
	}
	for i, e := range all {
		work[i].Cost = Cost(cfg, e, !priced)
	}
	p := Assign(work, n)
	p.Tokens = !priced
	return p, nil
}

// Share returns the suites of ss with only the cases of shard s, in their
// order; a suite left with none is left out. The suites are copies: ss is
// not changed. It fails when a case cannot be read again.
func (p *Plan) Share(ss []*suites.Suite, s Shard) ([]*suites.Suite, error) {
	var out []*suites.Suite
	for _, st := range ss {
		cases, err := st.Cases.Filter(func(c *suites.Case) bool { return p.Has(s, st.Name, c.ID) })
		if err != nil {
			return nil, fmt.Errorf("shard: suite %s: %w", st.Name, err)
		}
		if cases.Len() == 0 {
			continue
		}
		cp := *st
		cp.Cases = cases
		out = append(out, &cp)
	}
	return out, nil
}
