package runner

import (
	"fmt"

	"github.com/parity-eval/parity/suites"
)

// Estimate is what a run would send to one provider.
type Estimate struct {
	Provider, Model string
	// Requests counts the requests to send (cached answers not included),
	// one per result: retries are not foreseen.
	Requests int
	// Cached counts the results the cache would answer.
	Cached       int
	InputTokens  int
	OutputTokens int
	CostUSD      float64
}

// DefaultOutputTokens is the answer length estimates assume when a suite
// does not cap it with max_tokens.
const DefaultOutputTokens = defaultOutputTokens

// Estimate returns, per provider in config order, the requests the run
// would send for ss, their tokens and an upper estimate of their cost. It
// sends nothing; it fails when a case cannot be read again.
func (r *Runner) Estimate(ss []*suites.Suite) ([]Estimate, error) {
	out := make([]Estimate, 0, len(r.cfg.Providers))
	for _, p := range r.cfg.Providers {
		e := Estimate{Provider: p.ID, Model: p.Model}
		w := &worker{Runner: r, provider: p, client: r.clientFor(p)}
		err := r.each(ss, []*suites.Provider{p}, func(k Key, s *suites.Suite, c *suites.Case) {
			if missingCapability(p, s) != "" {
				return
			}
			m, err := s.Messages(c)
			if err != nil {
				return // not sent: the run reports the case's error
			}
			req := ChatRequest{Messages: m, Params: s.Request, Tools: s.Tools, ToolChoice: s.ToolChoice, Format: s.ResponseFormat}
			if w.cache != nil {
				if _, ok := w.cache.Get(w.cacheKey(req, &Result{Suite: s, Repeat: k.Repeat})); ok {
					e.Cached++
					return
				}
			}
			in, out, cost := estimateCost(p.Price, s, m)
			e.Requests++
			e.InputTokens += in
			e.OutputTokens += out
			e.CostUSD += cost
		})
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, nil
}

// CaseEstimate is what a run would send for one case: one Estimate per
// provider in config order, over every repeat. Results counts the rows
// the case gives a provider, those it lacks a capability for included;
// Requests only those sent.
type CaseEstimate struct {
	Suite *suites.Suite
	Case  *suites.Case
	// Results counts the case's rows over every provider and repeat.
	Results int
	// Providers holds one Estimate per provider the case goes to (a
	// provider that does not serve the suite's kind has none).
	Providers []Estimate
}

// EstimateCases calls fn with the estimate of every case of ss, suite by
// suite and case by case (never Order's order), ignoring the cache and
// Skip: what the work is, not what is left of it on this machine. It is
// what package shard balances shards by; it sends nothing.
func (r *Runner) EstimateCases(ss []*suites.Suite, fn func(CaseEstimate)) error {
	for _, s := range ss {
		err := s.Cases.Each(func(c *suites.Case) error {
			fn(r.estimateCase(s, c))
			return nil
		})
		if err != nil {
			return fmt.Errorf("suite %s: %w", s.Name, err)
		}
	}
	return nil
}

// estimateCase is the estimate of one case, rendered once.
func (r *Runner) estimateCase(s *suites.Suite, c *suites.Case) CaseEstimate {
	ce := CaseEstimate{Suite: s, Case: c}
	m, renderErr := s.Messages(c)
	for _, p := range r.cfg.Providers {
		if !applicable(p, s) {
			continue
		}
		e := Estimate{Provider: p.ID, Model: p.Model}
		ce.Results += r.repeat
		if missingCapability(p, s) == "" && renderErr == nil {
			in, out, cost := estimateCost(p.Price, s, m)
			e.Requests = r.repeat
			e.InputTokens, e.OutputTokens, e.CostUSD = in*r.repeat, out*r.repeat, cost*float64(r.repeat)
		}
		ce.Providers = append(ce.Providers, e)
	}
	return ce
}
