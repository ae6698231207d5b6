package runner

import (
	"context"
	"sync/atomic"

	"github.com/sourcegraph/conc/pool"

	"github.com/parity-eval/parity/suites"
)

// Admit asks fn, once per case, whether to send it: a sequential gate
// that stops a suite once its verdict is settled. fn is asked when the run
// reaches the case (in Order's order when set), before any of the case's
// requests to any provider, and only for a case with a result to produce
// (a provider serves its kind, and Skip leaves out not all its results);
// its answer holds for every provider and every repeat. A case not
// admitted is neither sent nor reported, for any provider: Withheld
// counts its results. Cases the run does not reach (cancelled, or the
// budget spent) are neither asked about nor withheld.
//
// With Admit, one feeder walks the cases and hands each admitted case's
// work to every provider's pool in turn, waiting while a pool is full. So
// the providers stay in step: when fn is asked about a case, every
// earlier case has been handed to every provider, and at most a
// provider's concurrency of its requests are still in flight; a false
// answer takes effect for all providers at the same case. The cost is
// that the slowest provider sets the pace for all. fn is called from that
// one feeder, never concurrently with itself, but concurrently with
// whoever reads Run's results.
func Admit(fn func(suite, caseID string) bool) Option {
	return func(r *Runner) { r.admit = fn }
}

// withheld counts what Admit turned away.
type withheld struct {
	results, requests atomic.Int64
}

// Withheld returns how many results Run has not sent nor reported because
// their case was not admitted (see Admit). When a run is not interrupted,
// it is Planned less the results reported.
func (r *Runner) Withheld() int { return int(r.withheld.results.Load()) }

// WithheldRequests returns how many of Withheld's results would have been
// requests (the provider has the capabilities the suite needs): the
// requests Admit saved, as Requests counts them.
func (r *Runner) WithheldRequests() int { return int(r.withheld.requests.Load()) }

// lockstep is Run's single feeder under Admit: for each case in order it
// asks admit, then hands the case's results to each worker's pool, so no
// provider runs ahead of another by more than its concurrency.
func (r *Runner) lockstep(ctx context.Context, us []unit, ws []*worker) {
	jobs := make([]*pool.Pool, len(ws))
	for i, w := range ws {
		jobs[i] = w.pool()
	}
	defer func() {
		for _, p := range jobs {
			p.Wait()
		}
	}()
	var cu cursor
	for _, u := range us {
		if ctx.Err() != nil || r.budget.isExhausted() {
			return
		}
		c, err := cu.read(u)
		if err != nil {
			r.fail(err)
			return
		}
		results, requests := r.share(u.suite, c, ws)
		if results == 0 {
			continue
		}
		if !r.admit(u.suite.Name, c.ID) {
			r.withheld.results.Add(int64(results))
			r.withheld.requests.Add(int64(requests))
			continue
		}
		for i, w := range ws {
			r.keys(w.provider, u.suite, c, func(k Key) { w.dispatch(ctx, jobs[i], k, u.suite, c) })
		}
	}
}

// share counts the results of case c of suite s over the workers'
// providers, and those of them that are requests.
func (r *Runner) share(s *suites.Suite, c *suites.Case, ws []*worker) (results, requests int) {
	for _, w := range ws {
		capable := missingCapability(w.provider, s) == ""
		r.keys(w.provider, s, c, func(Key) {
			results++
			if capable {
				requests++
			}
		})
	}
	return results, requests
}
