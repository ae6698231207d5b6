package runner

import (
	"context"
	"math/rand/v2"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/sourcegraph/conc"
	"github.com/sourcegraph/conc/pool"

	"github.com/parity-eval/parity/runner/cache"
	"github.com/parity-eval/parity/suites"
)

// Runner sends every case of every suite to every provider of a config.
type Runner struct {
	cfg     *suites.Config
	repeat  int
	runID   string
	backoff Backoff
	breaker Breaker
	http    *http.Client
	cache   *cache.Cache
	skip    func(Key) bool
	budget  *budget
	window  time.Duration
	// cacheErr keeps the first failure to store an answer.
	cacheErr atomic.Pointer[error]
	sleep    func(context.Context, time.Duration) error
	// seed orders the work when seeded (Order).
	seed   uint64
	seeded bool
	// admit decides each case before it is sent (Admit); withheld counts
	// the results and requests of the cases it turned away.
	admit    func(suite, caseID string) bool
	withheld withheld
	// readErr keeps the first case that could not be read again (Err).
	readErr atomic.Pointer[error]
}

// Key names one result of a run.
type Key struct {
	Suite, Case, Provider string
	Repeat                int
}

// Option configures a Runner.
type Option func(*Runner)

// Repeat sends every case k times to every provider (default 1).
func Repeat(k int) Option { return func(r *Runner) { r.repeat = max(k, 1) } }

// RunID labels the results (default: the start time, UTC).
func RunID(id string) Option { return func(r *Runner) { r.runID = id } }

// Retry sets the retry policy (default DefaultBackoff).
func Retry(b Backoff) Option { return func(r *Runner) { r.backoff = b } }

// CircuitBreaker sets each provider's breaker policy (default
// DefaultBreaker; a zero Threshold disables it).
func CircuitBreaker(b Breaker) Option { return func(r *Runner) { r.breaker = b } }

// HTTPClient sets the HTTP client under go-openai, shared by every
// provider, for tests (default: one client per provider over its own
// NewTransport, sized to its concurrency). It must not set a Timeout:
// requests are bounded by their context.
func HTTPClient(c *http.Client) Option { return func(r *Runner) { r.http = c } }

// UseCache answers from c when it holds the request's reply, and stores
// every successful reply in it.
func UseCache(c *cache.Cache) Option { return func(r *Runner) { r.cache = c } }

// Skip leaves out the results for which skip is true (those a resumed run
// already has): nothing is sent and nothing is reported for them.
func Skip(skip func(Key) bool) Option { return func(r *Runner) { r.skip = skip } }

// MaxCost stops sending before the providers' spend would pass usd. What
// is not sent is not reported; Exhausted says whether that happened.
func MaxCost(usd float64) Option { return func(r *Runner) { r.budget = &budget{limit: usd} } }

// RateWindow sets the window rpm and tpm limits count over (default a
// minute). Providers that limit per second, and tests, use shorter ones.
func RateWindow(d time.Duration) Option { return func(r *Runner) { r.window = d } }

// New returns a Runner for cfg.
func New(cfg *suites.Config, opts ...Option) *Runner {
	r := &Runner{
		cfg: cfg, repeat: 1, backoff: DefaultBackoff, breaker: DefaultBreaker,
		runID: time.Now().UTC().Format("20060102T150405Z"), sleep: Sleep, window: time.Minute,
	}
	for _, o := range opts {
		o(r)
	}
	return r
}

// ID returns the run id results are labelled with.
func (r *Runner) ID() string { return r.runID }

// CacheError returns the first failure to store an answer in the cache,
// or nil. Such a failure never stops a run; it only costs a later one.
func (r *Runner) CacheError() error {
	if p := r.cacheErr.Load(); p != nil {
		return *p
	}
	return nil
}

// Exhausted reports whether MaxCost's budget stopped the run.
func (r *Runner) Exhausted() bool { return r.budget.isExhausted() }

// Run sends the work and streams one Result per case x provider x repeat
// as each finishes. The channel closes when all are done, ctx is
// cancelled, or the budget is spent; then requests not yet sent are not
// reported and requests in flight are abandoned, so every result on the
// channel is a finished one.
//
// Each provider goes through the work on its own, so a slow provider
// holds back only itself; with Admit one feeder hands every provider its
// share of each case in turn instead (see Admit).
func (r *Runner) Run(ctx context.Context, ss []*suites.Suite) <-chan *Result {
	out := make(chan *Result, 64)
	global := make(chan struct{}, r.cfg.Concurrency)
	ws := make([]*worker, len(r.cfg.Providers))
	for i, p := range r.cfg.Providers {
		ws[i] = &worker{
			Runner: r, provider: p, global: global, out: out,
			client:  r.clientFor(p),
			pacer:   newPacer(p.Limits, r.window),
			circuit: newCircuit(r.breaker),
		}
	}
	us := r.units(ss)
	var wg conc.WaitGroup
	if r.admit != nil {
		wg.Go(func() { r.lockstep(ctx, us, ws) })
	} else {
		for _, w := range ws {
			wg.Go(func() { w.feed(ctx, us) })
		}
	}
	go func() {
		defer close(out)
		wg.Wait()
		for _, w := range ws {
			w.client.closeIdle()
		}
	}()
	return out
}

// worker sends one provider's share of the work.
type worker struct {
	*Runner
	provider *suites.Provider
	client   *Client
	pacer    *pacer
	circuit  *circuit
	global   chan struct{}
	out      chan<- *Result
	// last is the case prepare last returned, shared by its repeats.
	last *prepared
}

// feed sends the provider's work, at most its concurrency at once, so a
// slow provider only ever holds back itself.
func (w *worker) feed(ctx context.Context, us []unit) {
	jobs := w.pool()
	defer jobs.Wait()
	err := w.walk(us, []*suites.Provider{w.provider}, func(k Key, s *suites.Suite, c *suites.Case) {
		w.dispatch(ctx, jobs, k, s, c)
	})
	if err != nil {
		w.fail(err)
	}
}

// fail records why the run stopped sending before its end: a case that
// could not be read again (its cases_file changed or went away). The
// first such error is kept (Err).
func (r *Runner) fail(err error) { r.readErr.CompareAndSwap(nil, &err) }

// Err returns why the run stopped sending before its end of its own, or
// nil: a case it could not read again from its cases_file, which changed
// or went away since the suite was loaded. What was sent until then is
// on Run's channel; every provider stops at that case.
func (r *Runner) Err() error {
	if p := r.readErr.Load(); p != nil {
		return *p
	}
	return nil
}

// pool returns a pool that runs at most the provider's concurrency of
// jobs at once; its Go blocks while that many run.
func (w *worker) pool() *pool.Pool {
	return pool.New().WithMaxGoroutines(w.provider.Limits.Concurrency)
}

// dispatch hands the result k of case c to jobs, to be sent under the
// global bound and reported; or reports at once that the provider lacks a
// capability the suite needs. Once ctx is cancelled or the budget is
// spent it does nothing.
func (w *worker) dispatch(ctx context.Context, jobs *pool.Pool, k Key, s *suites.Suite, c *suites.Case) {
	if ctx.Err() != nil || w.budget.isExhausted() {
		return
	}
	res := &Result{RunID: w.runID, Suite: s, Case: c, Provider: w.provider, Repeat: k.Repeat}
	if missing := missingCapability(w.provider, s); missing != "" {
		res.ErrorClass, res.Error = ClassUnsupported, "provider does not declare capability "+string(missing)+" that the suite needs"
		w.out <- res
		return
	}
	prep := w.prepare(s, c)
	jobs.Go(func() {
		select {
		case w.global <- struct{}{}:
		case <-ctx.Done():
			return
		}
		sent := w.send(ctx, res, prep)
		<-w.global
		if sent && (ctx.Err() == nil || !res.Failed()) {
			w.out <- res
		}
	})
}

func missingCapability(p *suites.Provider, s *suites.Suite) suites.Capability {
	for _, n := range s.Needs {
		if !p.HasCapability(n) {
			return n
		}
	}
	return ""
}

// send fills res with the provider's answer: from the cache, or by sending
// with retries, pacing, the circuit breaker and the budget. It returns
// false when the result is not to be reported (the budget ran out before
// anything was sent). prep is res's case, rendered and keyed once for
// all its repeats.
func (w *worker) send(ctx context.Context, res *Result, prep *prepared) bool {
	msgs, err := prep.messages()
	if err != nil {
		// Load rendered every case: only an image file changed since fails.
		res.ErrorClass, res.Error = ClassBadRequest, err.Error()
		return true
	}
	req := ChatRequest{
		Messages: msgs,
		Params:   res.Suite.Request,
		Headers:  metadataHeaders(res.Provider, res.Suite.Meta(res.Case)),
		Tools:    res.Suite.Tools, ToolChoice: res.Suite.ToolChoice, Format: res.Suite.ResponseFormat,
		seen: &responseMeta{},
	}
	key := prep.sampleKey(w, req, res) // computed once: it marshals the body
	if w.fromCache(key, res) {
		return true
	}
	estIn, estOut, estCost := estimateCost(res.Provider.Price, res.Suite, req.Messages)
	for {
		decision, wait, probe := w.circuit.acquire(time.Now())
		if decision == Down {
			res.ErrorClass, res.Error = w.circuit.reason()
			return true
		}
		if decision == Wait {
			if err := w.sleep(ctx, wait); err != nil {
				res.ErrorClass, res.Error = Classify(err)
				return true
			}
			continue
		}
		if !w.budget.reserve(estCost) {
			w.circuit.release(probe)
			return res.Attempts > 0
		}
		var err error
		if res.Suite.Kind == suites.KindImage {
			err = w.generate(ctx, res, req.Messages.User)
		} else {
			err = w.attempt(ctx, req, res, estIn, estOut)
		}
		w.budget.settle(estCost, res.CostUSD)
		w.circuit.record(time.Now(), probe, res.ErrorClass, res.Error)
		if err != nil || res.ErrorClass == "" || !Retryable(res.ErrorClass) || res.Attempts >= w.backoff.Attempts || ctx.Err() != nil {
			w.store(key, res)
			return true
		}
		if w.sleep(ctx, w.backoff.Delay(res.Attempts, req.seen.retryAfter, rand.Float64())) != nil {
			return true
		}
	}
}

// attempt sends the request once, after its turn under the provider's
// pacing, and records the outcome on res; usage that is not Believable
// for a request estimated at estIn and estOut tokens is replaced by the
// estimate. A returned error means the request was not sent (the run was
// cancelled while it waited).
func (w *worker) attempt(ctx context.Context, req ChatRequest, res *Result, estIn, estOut int) error {
	slot, err := w.pacer.wait(ctx, estIn)
	if err != nil {
		res.ErrorClass, res.Error = Classify(err)
		return err
	}
	if res.Started.IsZero() {
		res.Started = time.Now()
	}
	res.Attempts++
	req.seen.retryAfter, req.seen.answered = 0, time.Time{}
	start := time.Now()
	reached := start
	defer func() { w.pacer.sent(slot, reached) }()
	reply, err := w.client.Chat(ctx, req)
	res.Latency, res.TTFT = time.Since(start), reply.TTFT
	// The pacer counts the request from when its answer's headers came
	// back (an upper bound of when the provider had it), else from now.
	reached = req.seen.answered
	if reached.IsZero() {
		reached = time.Now()
	}
	res.InputTokens, res.OutputTokens, res.UsageEstimated = reply.InputTokens, reply.OutputTokens, false
	if !Believable(reply.InputTokens, reply.OutputTokens, estIn, estOut) {
		res.InputTokens, res.OutputTokens, res.UsageEstimated = estIn, estOut, true
	}
	res.CostUSD = res.Provider.Price.Cost(res.InputTokens, res.OutputTokens)
	res.Output, res.FinishReason, res.ToolCalls = reply.Text, reply.FinishReason, reply.ToolCalls
	res.ErrorClass, res.Error = Classify(err)
	if err == nil && res.Output == "" && len(res.ToolCalls) == 0 {
		res.ErrorClass, res.Error = ClassEmpty, "the answer has no content (finish reason "+reply.FinishReason+")"
	}
	return nil
}

// metadataHeaders returns the headers that carry a case's metadata to a
// provider that asks for them (metadata_headers), nil when it asks none.
func metadataHeaders(p *suites.Provider, meta map[string]string) map[string]string {
	if len(p.MetadataHeaders) == 0 {
		return nil
	}
	h := make(map[string]string, len(p.MetadataHeaders))
	for key, header := range p.MetadataHeaders {
		if v, ok := meta[key]; ok {
			h[header] = v
		}
	}
	return h
}

// Sleep waits d or until ctx is done, whichever comes first: nil when the
// wait ran its course, ctx's error when ctx ended it. A d of zero or less
// does not wait. The runner waits with it between attempts and for the
// pacer; the simulated providers of package fixtures wait with it too.
func Sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
