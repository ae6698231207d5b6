package runner

import (
	"context"
	"math/rand/v2"
	"net/http"
	"time"

	"github.com/sourcegraph/conc"
	"github.com/sourcegraph/conc/pool"

	"github.com/parity-eval/parity/suites"
)

// Runner sends every case of every suite to every provider of a config.
type Runner struct {
	cfg     *suites.Config
	repeat  int
	runID   string
	backoff Backoff
	http    *http.Client
	sleep   func(context.Context, time.Duration) error
}

// Option configures a Runner.
type Option func(*Runner)

// Repeat sends every case k times to every provider (default 1).
func Repeat(k int) Option { return func(r *Runner) { r.repeat = max(k, 1) } }

// RunID labels the results (default: the start time, UTC).
func RunID(id string) Option { return func(r *Runner) { r.runID = id } }

// Retry sets the retry policy (default DefaultBackoff).
func Retry(b Backoff) Option { return func(r *Runner) { r.backoff = b } }

// HTTPClient sets the HTTP client under go-openai (default: a new
// http.Client without a timeout; requests are bounded by context).
func HTTPClient(c *http.Client) Option { return func(r *Runner) { r.http = c } }

// New returns a Runner for cfg.
func New(cfg *suites.Config, opts ...Option) *Runner {
	r := &Runner{
		cfg: cfg, repeat: 1, backoff: DefaultBackoff, http: &http.Client{},
		runID: time.Now().UTC().Format("20060102T150405Z"), sleep: sleepCtx,
	}
	for _, o := range opts {
		o(r)
	}
	return r
}

// ID returns the run id results are labelled with.
func (r *Runner) ID() string { return r.runID }

// Planned returns the number of results Run will produce for ss when it is
// not interrupted: cases x providers x repeats.
func (r *Runner) Planned(ss []*suites.Suite) int {
	n := 0
	for _, s := range ss {
		n += len(s.Cases)
	}
	return n * len(r.cfg.Providers) * r.repeat
}

// Run sends the work and streams one Result per case x provider x repeat
// as each finishes. The channel closes when all are done or ctx is
// cancelled; after a cancel, requests still in flight are abandoned and
// not reported, so every result on the channel is a finished one.
func (r *Runner) Run(ctx context.Context, ss []*suites.Suite) <-chan *Result {
	out := make(chan *Result, 64)
	global := make(chan struct{}, r.cfg.Concurrency)
	var wg conc.WaitGroup
	for _, p := range r.cfg.Providers {
		client := &paced{Client: NewClient(&p.Endpoint, r.http), pacer: newPacer(p.Limits)}
		wg.Go(func() { r.feed(ctx, p, client, ss, global, out) })
	}
	go func() {
		defer close(out)
		wg.Wait()
	}()
	return out
}

// feed sends one provider's share of the work, at most its concurrency at
// once, so a slow provider only ever holds back itself.
func (r *Runner) feed(ctx context.Context, p *suites.Provider, client *paced, ss []*suites.Suite, global chan struct{}, out chan<- *Result) {
	workers := pool.New().WithMaxGoroutines(p.Limits.Concurrency)
	defer workers.Wait()
	for _, s := range ss {
		missing := missingCapability(p, s)
		for _, c := range s.Cases {
			for k := range r.repeat {
				if ctx.Err() != nil {
					return
				}
				res := &Result{RunID: r.runID, Suite: s, Case: c, Provider: p, Repeat: k}
				if missing != "" {
					res.ErrorClass, res.Error = ClassUnsupported, "provider does not declare capability "+missing+" that the suite needs"
					res.Started = time.Now()
					out <- res
					continue
				}
				workers.Go(func() {
					select {
					case global <- struct{}{}:
					case <-ctx.Done():
						return
					}
					r.send(ctx, client, res)
					<-global
					if ctx.Err() == nil || !res.Failed() {
						out <- res
					}
				})
			}
		}
	}
}

// paced is a provider's client with its pacer: every attempt, retries
// included, waits for its turn.
type paced struct {
	*Client
	pacer *pacer
}

func missingCapability(p *suites.Provider, s *suites.Suite) string {
	for _, n := range s.Needs {
		if !p.HasCapability(n) {
			return n
		}
	}
	return ""
}

// send fills res with the provider's answer, retrying transient failures.
func (r *Runner) send(ctx context.Context, client *paced, res *Result) {
	req := ChatRequest{
		Messages: res.Case.Messages,
		Params:   res.Suite.Request,
		Headers:  metadataHeaders(res.Provider, res.Suite.Meta(res.Case)),
		seen:     &responseMeta{},
	}
	res.Started = time.Now()
	for {
		res.Attempts++
		req.seen.retryAfter = 0
		if err := client.pacer.wait(ctx, estimateTokens(req.Messages, req.Params)); err != nil {
			res.ErrorClass, res.Error = Classify(err)
			return
		}
		start := time.Now()
		reply, err := client.Chat(ctx, req)
		res.Latency, res.TTFT = time.Since(start), reply.TTFT
		res.InputTokens, res.OutputTokens = reply.InputTokens, reply.OutputTokens
		res.CostUSD = res.Provider.Price.Cost(reply.InputTokens, reply.OutputTokens)
		res.Output, res.FinishReason = reply.Text, reply.FinishReason
		res.ErrorClass, res.Error = Classify(err)
		if err == nil && res.Output == "" {
			res.ErrorClass, res.Error = ClassEmpty, "the answer has no content (finish reason "+reply.FinishReason+")"
		}
		if res.ErrorClass == "" || !Retryable(res.ErrorClass) || res.Attempts >= r.backoff.Attempts || ctx.Err() != nil {
			return
		}
		wait := r.backoff.Delay(res.Attempts, req.seen.retryAfter, rand.Float64())
		if r.sleep(ctx, wait) != nil {
			return
		}
	}
}

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

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
