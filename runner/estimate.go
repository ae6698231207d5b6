package runner

import "github.com/parity-eval/parity/suites"

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
// sends nothing.
func (r *Runner) Estimate(ss []*suites.Suite) []Estimate {
	out := make([]Estimate, 0, len(r.cfg.Providers))
	for _, p := range r.cfg.Providers {
		e := Estimate{Provider: p.ID, Model: p.Model}
		w := &worker{Runner: r, provider: p, client: r.clientFor(p)}
		r.each(ss, []*suites.Provider{p}, func(k Key, s *suites.Suite, c *suites.Case) {
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
		out = append(out, e)
	}
	return out
}
