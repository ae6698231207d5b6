package judges

import (
	"context"
	"fmt"
	"net/http"
	"sync"

	"github.com/sourcegraph/conc/pool"

	"github.com/parity-eval/parity/runner"
	// Aliased: cache, in this package, is the run's embeddings memo.
	responses "github.com/parity-eval/parity/runner/cache"
	"github.com/parity-eval/parity/suites"
)

// DefaultWorkers is how many rows a Scorer scores at once by default.
const DefaultWorkers = 8

// Scorer scores a stream of results with their suites' checks. It calls
// the config's embedder and judge, caching embeddings by text for the run.
type Scorer struct {
	cfg       *suites.Config
	workers   int
	cacheSize int
	client    *http.Client
	// transport is the scorer's own pool when no HTTPClient was given;
	// Run closes its idle connections as it ends.
	transport *http.Transport
	env       Env

	// known are baseline results from before this Run (a resumed run's
	// journal) that later results compare with.
	known []*runner.Result
	cache *responses.Cache

	mu     sync.Mutex
	judges map[*suites.Suite][]Judge
	// newJudge builds a suite's judges; tests replace it.
	newJudge func(*suites.Check, Env) Judge
}

// Option configures a Scorer.
type Option func(*Scorer)

// Workers bounds how many rows are scored at once (default DefaultWorkers).
func Workers(n int) Option { return func(s *Scorer) { s.workers = n } }

// CacheSize bounds how many embeddings are kept (default DefaultCacheSize).
func CacheSize(n int) Option { return func(s *Scorer) { s.cacheSize = n } }

// HTTPClient sets the HTTP client of the embedder and judge calls (default
// a fresh one; see runner.NewClient).
func HTTPClient(c *http.Client) Option { return func(s *Scorer) { s.client = c } }

// ResponseCache answers embedder and judge requests from c when it holds
// them, and stores what they receive: a rerun pays for no scoring twice.
func ResponseCache(c *responses.Cache) Option { return func(s *Scorer) { s.cache = c } }

// KnownBaselines gives the scorer baseline results it will not receive on
// Run's channel (a resumed run's journaled rows), so results that compare
// with them pair as usual.
func KnownBaselines(rs ...*runner.Result) Option { return func(s *Scorer) { s.known = rs } }

// NewScorer returns a Scorer for cfg, with clients for cfg.Embedder and
// cfg.Judge when the config has them.
func NewScorer(cfg *suites.Config, opts ...Option) *Scorer {
	s := &Scorer{cfg: cfg, workers: DefaultWorkers, judges: map[*suites.Suite][]Judge{}, newJudge: New}
	for _, o := range opts {
		o(s)
	}
	if s.workers < 1 {
		s.workers = 1
	}
	if s.client == nil && (cfg.Embedder != nil || cfg.Judge != nil) {
		// One keep-alive pool for the embedder and the judge, sized to the
		// scoring calls in flight: Go's default keeps 2 idle connections a
		// host, so 8 workers would dial for most calls.
		s.transport = runner.NewTransport(s.workers)
		s.client = &http.Client{Transport: s.transport}
	}
	if e := cfg.Embedder; e != nil {
		s.env.Embedder = newCache(s.newClient(e), s.cacheSize)
		s.env.EmbedPrice = e.Price
	}
	if j := cfg.Judge; j != nil {
		s.env.Judge = s.newClient(j)
		s.env.JudgePrice = j.Price
	}
	return s
}

// newClient returns a client for e, answering from the response cache
// when there is one.
func (s *Scorer) newClient(e *suites.Endpoint) *runner.Client {
	c := runner.NewClient(e, s.client, runner.Redact(runner.Secrets(s.cfg)...))
	if s.cache != nil {
		c = c.WithCache(s.cache)
	}
	return c
}

// Run scores every result read from in, concurrently, and sends each
// exactly once on the returned channel, which is closed once in is closed
// and every result is sent. Results of suites comparing with the baseline
// wait for the baseline's result of the same case and repeat (see the
// package doc). A cancelled ctx makes the scoring calls fail fast; Run still
// drains in, so the caller must read the channel until it is closed.
func (s *Scorer) Run(ctx context.Context, in <-chan *runner.Result) <-chan *Scored {
	out := make(chan *Scored, s.workers)
	go func() {
		defer close(out)
		p := pool.New().WithMaxGoroutines(s.workers)
		score := func(r, baseline *runner.Result) {
			p.Go(func() { out <- s.safeScore(ctx, r, baseline) })
		}
		pairs := newPairing(s.cfg)
		for _, r := range s.known {
			pairs.know(r)
		}
		for r := range in {
			if r == nil {
				continue // nothing to score or to report
			}
			pairs.add(r, score)
		}
		pairs.flush(score)
		p.Wait()
		if s.transport != nil {
			s.transport.CloseIdleConnections()
		}
	}()
	return out
}

// Score scores one result. baseline is the baseline provider's result for
// the same suite, case and repeat (r itself for the baseline's own rows),
// or nil. A failed request scores 0 without any scoring call.
func (s *Scorer) Score(ctx context.Context, r, baseline *runner.Result) *Scored {
	sc := &Scored{Result: r}
	if r.Failed() || r.Suite == nil {
		return sc
	}
	in := &Input{Result: r, Baseline: baseline}
	js := s.judgesFor(r.Suite)
	sc.Checks = make([]CheckScore, 0, len(js))
	for i, j := range js {
		sc.Checks = append(sc.Checks, scoreOne(ctx, j, r.Suite.Checks[i], in))
	}
	sc.ScoringCostUSD = in.CostUSD
	summarise(sc)
	return sc
}

// safeScore is Score that turns a panic outside the checks into a row
// error, so every result is sent.
func (s *Scorer) safeScore(ctx context.Context, r, baseline *runner.Result) (sc *Scored) {
	defer func() {
		if p := recover(); p != nil {
			sc = &Scored{Result: r, Checks: []CheckScore{{Name: "scorer", Error: fmt.Sprintf("panic: %v", p)}}}
		}
	}()
	return s.Score(ctx, r, baseline)
}

// scoreOne runs one check, recording a panic as the check's error. It
// recovers itself rather than through conc's panics.Try, whose catcher
// and closure were allocated for every check of every row.
func scoreOne(ctx context.Context, j Judge, spec *suites.Check, in *Input) (cs CheckScore) {
	defer func() {
		if p := recover(); p != nil {
			cs = failed(spec, fmt.Sprintf("check panicked: %v", p))
		}
	}()
	return j.Score(ctx, in)
}

// judgesFor returns the suite's judges, built on first use.
func (s *Scorer) judgesFor(suite *suites.Suite) []Judge {
	s.mu.Lock()
	defer s.mu.Unlock()
	js, ok := s.judges[suite]
	if !ok {
		for _, c := range suite.Checks {
			js = append(js, s.newJudge(c, s.env))
		}
		s.judges[suite] = js
	}
	return js
}
