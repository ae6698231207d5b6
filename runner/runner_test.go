package runner_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/parity-eval/parity/fixtures"
	"github.com/parity-eval/parity/runner"
	"github.com/parity-eval/parity/suites"
)

const testSuite = `name: classify
tags: [classify]
needs: [streaming]
metadata: {feature: tickets, step: triage}
request: {temperature: 0, top_p: 0, max_tokens: 50, seed: 7, stop: ["###"]}
prompt:
  system: Answer with one label.
  user: "Ticket: {{.text}}"
cases:
  - {id: t1, vars: {text: my card was charged twice}, reference: billing}
  - {id: t2, vars: {text: the app crashes on start}, reference: bug}
  - {id: t3, vars: {text: how do I export data}, reference: question}
  - {id: t4, vars: {text: please delete my account}, reference: account}
`

// loadSuites loads testSuite.
func loadSuites(t *testing.T) []*suites.Suite {
	t.Helper()
	path := filepath.Join(t.TempDir(), "s.yaml")
	if err := os.WriteFile(path, []byte(testSuite), 0o644); err != nil {
		t.Fatal(err)
	}
	ss, err := suites.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	return ss
}

// loadConfig loads a config whose providers (URL stands for url) are given.
func loadConfig(t *testing.T, url, providers string) *suites.Config {
	t.Helper()
	dir := t.TempDir()
	cfg := "baseline: sim-frontier\nproviders:\n" + strings.ReplaceAll(providers, "URL", url)
	if err := os.WriteFile(filepath.Join(dir, "parity.yaml"), []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	c, err := suites.LoadConfig(filepath.Join(dir, "parity.yaml"), func(k string) (string, bool) {
		return map[string]string{"SIM_KEY": "sk-secret-123"}[k], k == "SIM_KEY"
	})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func collect(ch <-chan *runner.Result) []*runner.Result {
	var out []*runner.Result
	for r := range ch {
		out = append(out, r)
	}
	return out
}

// fixtureServer serves simulated providers that know the answers of ss.
func fixtureServer(t *testing.T, ss []*suites.Suite, opts ...fixtures.Option) (*fixtures.Server, *httptest.Server) {
	t.Helper()
	srv := fixtures.New(append(opts, fixtures.UseOracle(fixtures.OracleFrom(ss)))...)
	hs := httptest.NewServer(srv)
	t.Cleanup(hs.Close)
	return srv, hs
}

// TestRequestBytes checks what goes out on the wire: parameters exactly as
// the suite wrote them (temperature 0 included, which go-openai would
// drop), the key from the environment, static and metadata headers.
func TestRequestBytes(t *testing.T) {
	t.Parallel()
	ss := loadSuites(t)
	srv, hs := fixtureServer(t, ss, fixtures.Profiles(fixtures.Profile{ID: "sim-frontier", Model: "frontier-1", Quality: map[string]float64{fixtures.AnyTag: 1}, APIKey: "sk-secret-123"}))
	cfg := loadConfig(t, hs.URL, `  - id: sim-frontier
    base_url: URL/sim-frontier/v1
    model: frontier-1
    api_key_env: SIM_KEY
    headers: {Helicone-Property-App: parity}
    metadata_headers: {feature: Helicone-Property-Feature}
    capabilities: [streaming]
`)
	results := collect(runner.New(cfg).Run(context.Background(), ss))
	if len(results) != 4 {
		t.Fatalf("got %d results, want 4", len(results))
	}
	for _, r := range results {
		if r.Failed() {
			t.Fatalf("%s failed: %s %s", r.Case.ID, r.ErrorClass, r.Error)
		}
	}
	reqs := srv.Requests()
	if len(reqs) != 4 {
		t.Fatalf("server saw %d requests, want 4", len(reqs))
	}
	for _, rec := range reqs {
		var body map[string]json.RawMessage
		if err := json.Unmarshal(rec.Body, &body); err != nil {
			t.Fatal(err)
		}
		want := map[string]string{"temperature": "0", "top_p": "0", "max_tokens": "50", "seed": "7", "stop": `["###"]`, "model": `"frontier-1"`, "stream": "true"}
		for k, v := range want {
			if string(body[k]) != v {
				t.Errorf("body %s = %s, want %s (body %s)", k, body[k], v, rec.Body)
			}
			if n := bytes.Count(rec.Body, []byte(`"`+k+`":`)); n != 1 {
				t.Errorf("body holds %s %d times: %s", k, n, rec.Body)
			}
		}
		if got := rec.Header.Get("Authorization"); got != "Bearer sk-secret-123" {
			t.Errorf("Authorization = %q", got)
		}
		if rec.Header.Get("Helicone-Property-App") != "parity" || rec.Header.Get("Helicone-Property-Feature") != "tickets" {
			t.Errorf("headers %v", rec.Header)
		}
	}
}

// TestFanOut checks every case x provider x repeat comes back exactly once,
// with tokens, cost and timings, and that a provider lacking a capability
// the suite needs is recorded as unsupported without a request.
func TestFanOut(t *testing.T) {
	t.Parallel()
	ss := loadSuites(t)
	srv, hs := fixtureServer(t, ss, fixtures.Profiles(
		fixtures.Profile{ID: "sim-frontier", Quality: map[string]float64{fixtures.AnyTag: 1}},
		fixtures.Profile{ID: "sim-mini", Quality: map[string]float64{fixtures.AnyTag: 1}},
	))
	cfg := loadConfig(t, hs.URL, `  - {id: sim-frontier, base_url: URL/sim-frontier/v1, model: m, price: {input: 1000000, output: 2000000}, capabilities: [streaming]}
  - {id: sim-mini, base_url: URL/sim-mini/v1, model: m, capabilities: [streaming]}
  - {id: no-stream, base_url: URL/sim-mini/v1, model: m, capabilities: [tools]}
`)
	r := runner.New(cfg, runner.Repeat(3), runner.RunID("run-1"))
	if got := r.Planned(ss); got != 4*3*3 {
		t.Fatalf("planned %d, want 36", got)
	}
	results := collect(r.Run(context.Background(), ss))
	seen := map[string]int{}
	for _, res := range results {
		seen[res.Provider.ID+"/"+res.Case.ID+"/"+string(rune('0'+res.Repeat))]++
		if res.RunID != "run-1" {
			t.Errorf("run id %q", res.RunID)
		}
		if res.Provider.ID == "no-stream" {
			if res.ErrorClass != runner.ClassUnsupported || res.Attempts != 0 {
				t.Errorf("no-stream: class %q attempts %d", res.ErrorClass, res.Attempts)
			}
			continue
		}
		if res.Failed() || !strings.EqualFold(strings.TrimSpace(res.Output), res.Case.Reference) || res.Attempts != 1 {
			t.Errorf("%s %s: %q %s %s attempts %d", res.Provider.ID, res.Case.ID, res.Output, res.ErrorClass, res.Error, res.Attempts)
		}
		if res.InputTokens == 0 || res.OutputTokens == 0 || res.Latency <= 0 || res.TTFT <= 0 || res.TTFT > res.Latency {
			t.Errorf("usage/timing missing: %+v", res)
		}
		wantCost := float64(res.InputTokens) + 2*float64(res.OutputTokens)
		if res.Provider.ID == "sim-frontier" && res.CostUSD != wantCost {
			t.Errorf("cost %v, want %v", res.CostUSD, wantCost)
		}
	}
	if len(results) != 36 || len(seen) != 36 {
		t.Fatalf("%d results, %d distinct; want 36 each", len(results), len(seen))
	}
	if n := srv.Count("sim-mini", fixtures.EndpointChat); n != 12 {
		t.Errorf("sim-mini got %d requests, want 12 (no-stream sends none)", n)
	}
}

// inflight is a transport that records the most requests in flight per
// provider: from sending a request until its answer's body is closed.
type inflight struct {
	mu   sync.Mutex
	now  map[string]int
	peak map[string]int
}

func (h *inflight) RoundTrip(r *http.Request) (*http.Response, error) {
	p := strings.Split(strings.TrimPrefix(r.URL.Path, "/"), "/")[0]
	h.mu.Lock()
	h.now[p]++
	h.peak[p] = max(h.peak[p], h.now[p])
	h.mu.Unlock()
	resp, err := http.DefaultTransport.RoundTrip(r)
	if err != nil {
		h.done(p)
		return nil, err
	}
	resp.Body = &closeHook{ReadCloser: resp.Body, hook: func() { h.done(p) }}
	return resp, nil
}

func (h *inflight) done(p string) { h.mu.Lock(); h.now[p]--; h.mu.Unlock() }

type closeHook struct {
	io.ReadCloser
	once sync.Once
	hook func()
}

func (c *closeHook) Close() error {
	err := c.ReadCloser.Close()
	c.once.Do(c.hook)
	return err
}

// TestConcurrencyBounds checks the per-provider and global bounds hold.
func TestConcurrencyBounds(t *testing.T) {
	t.Parallel()
	prof := func(id string) fixtures.Profile {
		return fixtures.Profile{ID: id, Quality: map[string]float64{fixtures.AnyTag: 1}, Latency: 20 * time.Millisecond}
	}
	ss := loadSuites(t)
	_, hs := fixtureServer(t, ss, fixtures.Profiles(prof("sim-frontier"), prof("a"), prof("b")))
	h := &inflight{now: map[string]int{}, peak: map[string]int{}}
	cfg := loadConfig(t, hs.URL, `  - {id: sim-frontier, base_url: URL/sim-frontier/v1, model: m, limits: {concurrency: 1}, capabilities: [streaming]}
  - {id: a, base_url: URL/a/v1, model: m, limits: {concurrency: 2}, capabilities: [streaming]}
  - {id: b, base_url: URL/b/v1, model: m, limits: {concurrency: 8}, capabilities: [streaming]}
`)
	cfg.Concurrency = 5
	results := collect(runner.New(cfg, runner.Repeat(4), runner.HTTPClient(&http.Client{Transport: h})).Run(context.Background(), ss))
	if len(results) != 48 {
		t.Fatalf("%d results", len(results))
	}
	if h.peak["sim-frontier"] != 1 || h.peak["a"] != 2 || h.peak["b"] > 5 || h.peak["b"] < 2 {
		t.Errorf("peaks %v: want 1, 2 and at most the global 5", h.peak)
	}
}

// TestFailuresAreRows checks provider failures become classified rows with
// their attempts counted: retried when transient, not when a client error.
func TestFailuresAreRows(t *testing.T) {
	t.Parallel()
	ss := loadSuites(t)
	_, hs := fixtureServer(t, ss, fixtures.Profiles(
		fixtures.Profile{ID: "sim-frontier", FailureRate: 1, FailureStatus: 503},
		fixtures.Profile{ID: "picky", Model: "only-this"},
	))
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := "http://" + ln.Addr().String()
	ln.Close()
	cfg := loadConfig(t, hs.URL, `  - {id: sim-frontier, base_url: URL/sim-frontier/v1, model: m, capabilities: [streaming]}
  - {id: picky, base_url: URL/picky/v1, model: other, api_key_env: SIM_KEY, capabilities: [streaming]}
  - {id: down, base_url: `+closed+`/v1, model: m, capabilities: [streaming]}
`)
	fast := runner.Backoff{Attempts: 3, Base: time.Millisecond, Max: 5 * time.Millisecond}
	results := collect(runner.New(cfg, runner.Retry(fast), runner.CircuitBreaker(runner.Breaker{})).Run(context.Background(), ss))
	if len(results) != 12 {
		t.Fatalf("%d results, want 12: a failure is a row", len(results))
	}
	want := map[string]struct {
		class    runner.ErrorClass
		attempts int
	}{
		"sim-frontier": {runner.ClassServer, 3},
		"picky":        {runner.ClassNotFound, 1},
		"down":         {runner.ClassConnection, 3},
	}
	for _, r := range results {
		w := want[r.Provider.ID]
		if r.ErrorClass != w.class || r.Attempts != w.attempts {
			t.Errorf("%s: class %q attempts %d, want %q %d (%s)", r.Provider.ID, r.ErrorClass, r.Attempts, w.class, w.attempts, r.Error)
		}
		if strings.Contains(r.Error, "sk-secret-123") {
			t.Errorf("the API key leaked into an error: %s", r.Error)
		}
	}
}

// TestInterrupt checks a cancelled run closes its channel promptly and
// reports only finished results.
func TestInterrupt(t *testing.T) {
	t.Parallel()
	ss := loadSuites(t)
	_, hs := fixtureServer(t, ss, fixtures.Profiles(fixtures.Profile{ID: "sim-frontier", Quality: map[string]float64{fixtures.AnyTag: 1}, Latency: 50 * time.Millisecond}))
	cfg := loadConfig(t, hs.URL, `  - {id: sim-frontier, base_url: URL/sim-frontier/v1, model: m, limits: {concurrency: 2}, capabilities: [streaming]}
`)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var n atomic.Int32
	ch := runner.New(cfg, runner.Repeat(50)).Run(ctx, ss)
	for r := range ch {
		if r.Failed() {
			t.Errorf("an interrupted request was reported: %s %s", r.ErrorClass, r.Error)
		}
		if n.Add(1) == 4 {
			cancel()
		}
	}
	if got := n.Load(); got < 4 || got > 8 {
		t.Errorf("%d results after cancelling at 4 with 2 in flight", got)
	}
}

// TestPacing checks a provider's rpm holds on the server side: with burst
// one, K requests at R per minute span at least (K-1) intervals.
func TestPacing(t *testing.T) {
	t.Parallel()
	ss := loadSuites(t)
	srv, hs := fixtureServer(t, ss, fixtures.Profiles(fixtures.Profile{ID: "sim-frontier", Quality: map[string]float64{fixtures.AnyTag: 1}}))
	cfg := loadConfig(t, hs.URL, `  - {id: sim-frontier, base_url: URL/sim-frontier/v1, model: m, limits: {concurrency: 4, rpm: 1200}, capabilities: [streaming]}
`)
	results := collect(runner.New(cfg, runner.Repeat(2)).Run(context.Background(), ss))
	reqs := srv.Requests()
	if len(results) != 8 || len(reqs) != 8 {
		t.Fatalf("%d results, %d requests", len(results), len(reqs))
	}
	span := reqs[len(reqs)-1].Time.Sub(reqs[0].Time)
	if min := 7 * 50 * time.Millisecond * 9 / 10; span < min {
		t.Errorf("8 requests at 1200 rpm arrived within %v, want at least %v", span, min)
	}
}

// TestBreakerSkipsDownProvider checks a provider that stays down stops
// receiving requests: its remaining results are rows that say why.
func TestBreakerSkipsDownProvider(t *testing.T) {
	t.Parallel()
	ss := loadSuites(t)
	srv, hs := fixtureServer(t, ss, fixtures.Profiles(
		fixtures.Profile{ID: "sim-frontier", FailureRate: 1, FailureStatus: 503},
		fixtures.Profile{ID: "ok", Quality: map[string]float64{fixtures.AnyTag: 1}},
	))
	cfg := loadConfig(t, hs.URL, `  - {id: sim-frontier, base_url: URL/sim-frontier/v1, model: m, limits: {concurrency: 1}, capabilities: [streaming]}
  - {id: ok, base_url: URL/ok/v1, model: m, capabilities: [streaming]}
`)
	results := collect(runner.New(cfg,
		runner.Retry(runner.Backoff{Attempts: 3, Base: time.Millisecond, Max: time.Millisecond}),
		runner.CircuitBreaker(runner.Breaker{Threshold: 2, Cooldown: time.Millisecond, MaxProbes: 2}),
	).Run(context.Background(), ss))
	// Case 1: two failures open the circuit, the third attempt is a probe
	// that fails. Case 2: the second probe fails, the provider is down.
	// Cases 3 and 4: skipped without a request.
	if n := srv.Count("sim-frontier", fixtures.EndpointChat); n != 4 {
		t.Errorf("the down provider got %d requests, want 4", n)
	}
	attempts := map[string]int{}
	for _, r := range results {
		if r.Provider.ID == "ok" {
			if r.Failed() {
				t.Errorf("the healthy provider failed: %s", r.Error)
			}
			continue
		}
		attempts[r.Case.ID] = r.Attempts
		want := map[string]runner.ErrorClass{"t1": runner.ClassServer, "t2": runner.ClassSkipped, "t3": runner.ClassSkipped, "t4": runner.ClassSkipped}[r.Case.ID]
		if r.ErrorClass != want {
			t.Errorf("%s: class %q, want %q", r.Case.ID, r.ErrorClass, want)
		}
		if r.ErrorClass == runner.ClassSkipped && !strings.HasPrefix(r.Error, "provider down: the circuit breaker opened after 2 consecutive failures") {
			t.Errorf("%s: reason %q", r.Case.ID, r.Error)
		}
	}
	if len(results) != 8 || attempts["t1"] != 3 || attempts["t2"] != 1 || attempts["t3"] != 0 || attempts["t4"] != 0 {
		t.Errorf("%d results, attempts %v", len(results), attempts)
	}
}

// TestRPMHeldAndUsed runs more work than a provider's rpm allows in a
// window against a fixture that enforces that rpm: the server rejects
// nothing, and the achieved rate is at least 90% of the limit. The window
// is four seconds instead of a minute to keep the test short; the pacer
// treats every window alike (but for its margin, at least 250ms).
func TestRPMHeldAndUsed(t *testing.T) {
	t.Parallel()
	const limit, window = 40, 4 * time.Second
	ss := loadSuites(t)
	srv, hs := fixtureServer(t, ss, fixtures.Profiles(fixtures.Profile{
		ID: "sim-frontier", Quality: map[string]float64{fixtures.AnyTag: 1}, RPM: limit, RPMWindow: window,
	}))
	cfg := loadConfig(t, hs.URL, `  - {id: sim-frontier, base_url: URL/sim-frontier/v1, model: m, limits: {concurrency: 8, rpm: 40}, capabilities: [streaming]}
`)
	rec := &headerClock{base: runner.NewTransport(8)}
	results := collect(runner.New(cfg, runner.Repeat(18), runner.RateWindow(window),
		runner.HTTPClient(&http.Client{Transport: rec})).Run(context.Background(), ss))
	st := srv.Stats("sim-frontier")
	if len(results) != 72 || st.Accepted != 72 || st.Rejected != 0 {
		t.Fatalf("%d results; server accepted %d, rejected %d over the rpm (want 72, 0)", len(results), st.Accepted, st.Rejected)
	}
	times := srv.Accepted("sim-frontier")
	if peak := fixtures.MaxInWindow(times, window); peak > limit {
		t.Errorf("%d requests in one window, over the limit %d", peak, limit)
	}
	// The pacer counts a request from when its answer's headers arrive
	// (the exact upper bound of when the provider had it), so the time
	// from the server's accept to that arrival -- microseconds here,
	// up to a second on a starved machine -- is waited on purpose at the
	// window's turn. What must not be lost is anything else.
	span := times[len(times)-1].Sub(times[0]) - rec.slowest(times)
	rate := float64(len(times)-1) / span.Seconds()
	t.Logf("%.2f requests/s beyond the slowest turnaround %v", rate, rec.slowest(times))
	if want := 0.9 * limit / window.Seconds(); rate < want {
		t.Errorf("achieved %.1f requests/s beyond the answers' turnaround (slowest %v), want at least 90%% of the limit (%.1f/s)",
			rate, rec.slowest(times), want)
	}
}

// headerClock is a RoundTripper that notes when each response's headers
// arrived.
type headerClock struct {
	base http.RoundTripper
	mu   sync.Mutex
	at   []time.Time
}

func (h *headerClock) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := h.base.RoundTrip(r)
	h.mu.Lock()
	h.at = append(h.at, time.Now())
	h.mu.Unlock()
	return resp, err
}

// slowest returns the longest time from a server's accept to the arrival
// of a response's headers, pairing the k-th accept with the k-th arrival
// (both in time order): an upper bound on any one request's turnaround
// when, as here, they are answered in the order they arrive.
func (h *headerClock) slowest(accepted []time.Time) time.Duration {
	h.mu.Lock()
	defer h.mu.Unlock()
	at := slices.Clone(h.at)
	slices.SortFunc(at, func(a, b time.Time) int { return a.Compare(b) })
	var worst time.Duration
	for i := range min(len(at), len(accepted)) {
		worst = max(worst, at[i].Sub(accepted[i]))
	}
	return worst
}
