package judges

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/parity-eval/parity/fixtures"
	"github.com/parity-eval/parity/runner"
	"github.com/parity-eval/parity/suites"
)

// spec returns a check of type typ named after it, with weight 1 and the
// loader's default threshold, changed by mods.
func spec(typ string, mods ...func(*suites.Check)) *suites.Check {
	c := &suites.Check{Type: typ, Name: typ, Weight: 1}
	switch typ {
	case suites.Similarity:
		c.Threshold, c.Against = 0.8, AgainstReference
	case suites.Judge:
		c.Threshold, c.Rubric = 7, "The answer is correct."
	}
	for _, m := range mods {
		m(c)
	}
	return c
}

// result is a successful result of provider for c.
func result(s *suites.Suite, c *suites.Case, provider string, repeat int, output string) *runner.Result {
	return &runner.Result{Suite: s, Case: c, Provider: &suites.Provider{ID: provider}, Repeat: repeat, Output: output}
}

// failedResult is a failed request of provider for c.
func failedResult(s *suites.Suite, c *suites.Case, provider string, repeat int) *runner.Result {
	r := result(s, c, provider, repeat, "")
	r.ErrorClass, r.Error = runner.ClassServer, "503 Service Unavailable"
	return r
}

// input is the Input of a successful result with output for c.
func input(c *suites.Case, output string) *Input {
	return &Input{Result: result(&suites.Suite{Name: "s"}, c, "p", 0, output)}
}

// sim is a running fixtures server with a count of the texts embedded.
type sim struct {
	*fixtures.Server
	url string

	mu       sync.Mutex
	embedded map[string]int
}

// startSim serves the simulated providers on loopback for the test.
func startSim(t *testing.T, opts ...fixtures.Option) *sim {
	t.Helper()
	s := &sim{embedded: map[string]int{}}
	opts = append(opts, fixtures.OnRequest(s.count))
	s.Server = fixtures.New(opts...)
	ts := httptest.NewServer(s.Server)
	t.Cleanup(ts.Close)
	s.url = ts.URL
	return s
}

// count counts every text sent to an embeddings endpoint.
func (s *sim) count(r fixtures.Recorded) {
	if r.Endpoint != fixtures.EndpointEmbeddings {
		return
	}
	var body struct {
		Input []string `json:"input"`
	}
	_ = json.Unmarshal(r.Body, &body)
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, t := range body.Input {
		s.embedded[t]++
	}
}

// timesEmbedded reports how many times text was sent to the embedder.
func (s *sim) timesEmbedded(text string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.embedded[text]
}

// config names providers (the first is the baseline) and points the
// embedder and the judge at the simulated ones.
func (s *sim) config(providers ...string) *suites.Config {
	cfg := &suites.Config{
		Embedder: &suites.Endpoint{BaseURL: s.url + "/embed/v1", Model: "sim-embed", Price: suites.Price{Input: 0.02}},
		Judge:    &suites.Endpoint{BaseURL: s.url + "/judge/v1", Model: "sim-judge", Price: suites.Price{Input: 0.15, Output: 0.6}},
	}
	for _, id := range providers {
		cfg.Providers = append(cfg.Providers, &suites.Provider{ID: id})
	}
	if len(providers) > 0 {
		cfg.Baseline = providers[0]
	}
	return cfg
}

// run feeds rs to a Scorer's Run and collects what it sends.
func run(t *testing.T, sc *Scorer, rs ...*runner.Result) []*Scored {
	t.Helper()
	in := make(chan *runner.Result)
	go func() {
		defer close(in)
		for _, r := range rs {
			in <- r
		}
	}()
	var out []*Scored
	for s := range sc.Run(context.Background(), in) {
		out = append(out, s)
	}
	return out
}

// byProvider indexes scored rows by provider id.
func byProvider(rows []*Scored) map[string]*Scored {
	m := map[string]*Scored{}
	for _, r := range rows {
		m[r.Provider.ID] = r
	}
	return m
}

// prose is a judge that answers without a score, billing 10 input tokens.
type prose struct{}

func (prose) Complete(context.Context, runner.ChatRequest) (runner.Reply, error) {
	return runner.Reply{Text: "It is a thoughtful answer.", InputTokens: 10}, nil
}
