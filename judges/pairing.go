package judges

import (
	"github.com/parity-eval/parity/runner"
	"github.com/parity-eval/parity/suites"
)

// pairKey names the results that compare with one baseline result.
type pairKey struct {
	suite, caseID string
	repeat        int
}

// pairEntry is what is known of one key: the baseline's result once it
// arrived, the results waiting for it, and how many results came.
type pairEntry struct {
	baseline *runner.Result
	waiting  []*runner.Result
	seen     int
}

// pairing holds results of suites comparing with the baseline until the
// baseline's result for the same suite, case and repeat arrives, since
// results arrive in any order. An entry is released once the baseline and
// every other provider's result for its key were sent to scoring, so
// memory follows the lag between providers, not the run's size. It is
// used by one goroutine.
type pairing struct {
	baseline  string
	providers int
	entries   map[pairKey]*pairEntry
}

func newPairing(cfg *suites.Config) *pairing {
	return &pairing{baseline: cfg.Baseline, providers: len(cfg.Providers), entries: map[pairKey]*pairEntry{}}
}

// add takes one result and calls score for every result now ready, with
// the baseline result it compares with. The baseline's own result is
// paired with itself; failed results need no baseline and go at once.
func (p *pairing) add(r *runner.Result, score func(r, baseline *runner.Result)) {
	if !comparesWithBaseline(r.Suite) || p.baseline == "" {
		score(r, nil)
		return
	}
	k := keyOf(r)
	e := p.entries[k]
	if e == nil {
		e = &pairEntry{}
		p.entries[k] = e
	}
	e.seen++
	switch {
	case providerID(r) == p.baseline:
		e.baseline = r
		score(r, r)
		for _, w := range e.waiting {
			score(w, r)
		}
		e.waiting = nil
	case r.Failed():
		score(r, nil)
	case e.baseline != nil:
		score(r, e.baseline)
	default:
		e.waiting = append(e.waiting, r)
	}
	if e.baseline != nil && e.seen >= p.providers {
		delete(p.entries, k)
	}
}

// know records a baseline result scored before this run began, which
// results still to come compare with.
func (p *pairing) know(r *runner.Result) {
	if !comparesWithBaseline(r.Suite) || providerID(r) != p.baseline || r.Failed() {
		return
	}
	p.entries[keyOf(r)] = &pairEntry{baseline: r}
}

// flush sends the results still waiting when the input ended: their
// baseline never came, which their similarity check records.
func (p *pairing) flush(score func(r, baseline *runner.Result)) {
	for k, e := range p.entries {
		for _, w := range e.waiting {
			score(w, nil)
		}
		delete(p.entries, k)
	}
}

// comparesWithBaseline reports whether a suite has a similarity check
// against the baseline.
func comparesWithBaseline(s *suites.Suite) bool {
	if s == nil {
		return false
	}
	for _, c := range s.Checks {
		if c.Type == suites.Similarity && c.Against == AgainstBaseline {
			return true
		}
	}
	return false
}

func keyOf(r *runner.Result) pairKey {
	k := pairKey{suite: r.Suite.Name, repeat: r.Repeat}
	if r.Case != nil {
		k.caseID = r.Case.ID
	}
	return k
}

func providerID(r *runner.Result) string {
	if r.Provider == nil {
		return ""
	}
	return r.Provider.ID
}
