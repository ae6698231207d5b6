package runner

import (
	"sync"

	"github.com/parity-eval/parity/runner/cache"
	"github.com/parity-eval/parity/suites"
)

// prepared is what the repeats of one case to one provider share: its
// messages, rendered once (a cases_file case decodes its vars and runs its
// templates on every render, which was the largest allocation of the
// runner's own per request), and the cache key of its request, computed
// once (it marshals and canonicalises the whole body). The first repeat
// to need either computes it; the others, running at the same time,
// wait for it.
type prepared struct {
	suite *suites.Suite
	c     *suites.Case

	render sync.Once
	msgs   suites.Messages
	err    error

	keyed sync.Once
	key   string // the request's cache key, before SampleKey
}

// prepare returns the prepared case c of s for w's provider: the one its
// last call returned when that was for the same case (a case's repeats
// are dispatched one after the other), else a new one. Only the
// goroutine that dispatches w's work calls it.
func (w *worker) prepare(s *suites.Suite, c *suites.Case) *prepared {
	if p := w.last; p != nil && p.suite == s && p.c == c {
		return p
	}
	w.last = &prepared{suite: s, c: c}
	return w.last
}

// messages are the case's rendered messages (see Suite.Messages).
func (p *prepared) messages() (suites.Messages, error) {
	p.render.Do(func() { p.msgs, p.err = p.suite.Messages(p.c) })
	return p.msgs, p.err
}

// sampleKey is cacheKey of req for res, the request's key computed once
// for every repeat; "" when there is no cache.
func (p *prepared) sampleKey(w *worker, req ChatRequest, res *Result) string {
	if w.cache == nil {
		return ""
	}
	p.keyed.Do(func() { p.key = w.requestKey(req, res) })
	return cache.SampleKey(p.key, res.Repeat)
}
