package main

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"runtime/metrics"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// benchConcurrency is each simulated provider's limits.concurrency in the
// benchmarks' config (whose global concurrency is their sum).
const benchConcurrency = 32

// bench is a benchmark's inputs: a suite of cases, scored by every check
// that needs no network (json_schema, regex, contains, equals), and a
// config of two zero-latency simulated providers serving it, each on a
// loopback server of its own that counts its connections (the same
// simulation behind both), in a process of their own (benchRemote).
type bench struct {
	cfg, suite string
	cases      int
	providers  []*benchProvider
	// remote is the process serving the providers.
	remote *benchRemote
}

// benchProvider is one simulated provider of a bench.
type benchProvider struct {
	id string
	// chat is its chat completions URL.
	chat string
}

// benchInputs writes a suite of n cases and the config of two providers
// serving it.
func benchInputs(b *testing.B, n int) *bench {
	b.Helper()
	dir := b.TempDir()
	var cases strings.Builder
	for i := range n {
		fmt.Fprintf(&cases, `{"id": "c%d", "vars": {"text": "order %d for customer %d"}, "reference": "{\"order\": %d, \"label\": \"shipping\"}"}`+"\n", i, i, i%97, i)
	}
	suite := filepath.Join(dir, "bench.yaml")
	files := map[string]string{
		"cases.jsonl": cases.String(),
		"bench.yaml": `name: bench
tags: [extract]
request: {temperature: 0, max_tokens: 50}
prompt: {system: Answer with JSON., user: "Extract: {{.text}}"}
cases_file: cases.jsonl
checks:
  - {type: json_schema, schema: {type: object, required: [order, label], properties: {order: {type: integer}}}}
  - {type: regex, pattern: '"label": *"[a-z]+"'}
  - {type: contains, value: shipping}
  - {type: equals}
`,
	}
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			b.Fatal(err)
		}
	}
	be := &bench{suite: suite, cases: n, cfg: filepath.Join(dir, "parity.yaml")}
	be.serve(b, false)
	return be
}

// serve serves the providers from a process of its own (see
// TestBenchServerProcess), flushing every event or not, and writes the
// config naming them.
func (be *bench) serve(b *testing.B, flushed bool) {
	b.Helper()
	be.remote = startBenchServer(b, be.suite, flushed)
	be.providers = nil
	var providers strings.Builder
	for i, id := range []string{"a", "b"} {
		base := be.remote.urls[i]
		be.providers = append(be.providers, &benchProvider{id: id, chat: base + "/" + id + "/v1/chat/completions"})
		fmt.Fprintf(&providers, "  - {id: %s, base_url: %s/%s/v1, model: m, limits: {concurrency: %d}}\n", id, base, id, benchConcurrency)
	}
	cfg := fmt.Sprintf("concurrency: %d\nproviders:\n%s", 2*benchConcurrency, providers.String())
	if err := os.WriteFile(be.cfg, []byte(cfg), 0o644); err != nil {
		b.Fatal(err)
	}
}

// flushing serves the providers from new servers that flush every event,
// as fixtures does on its own.
func (be *bench) flushing(b *testing.B) { be.serve(b, true) }

// coalesced serves h without flushing: the events of a zero-latency
// stream, which nothing separates in time, go out in one write when the
// answer ends instead of a write (and a wake-up of the reader) each. The
// bytes are the same, and the server's CPU per answer less than half
// (about 27 instead of 59 µs on the 2-core development machine): the
// benchmarks measure the client, not the server (see BenchmarkCeiling).
func coalesced(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { h.ServeHTTP(unflushed{w}, r) })
}

// unflushed is a ResponseWriter without Flush.
type unflushed struct{ w http.ResponseWriter }

func (u unflushed) Header() http.Header         { return u.w.Header() }
func (u unflushed) Write(p []byte) (int, error) { return u.w.Write(p) }
func (u unflushed) WriteHeader(status int)      { u.w.WriteHeader(status) }

// ceilingAgent is the User-Agent of the ceiling's requests.
const ceilingAgent = "parity-bench-ceiling"

// ceilingHeader is the header of the ceiling's requests: go-openai's for a
// stream, but the User-Agent.
var ceilingHeader = http.Header{
	"Content-Type": {"application/json"}, "Accept": {"text/event-stream"},
	"Cache-Control": {"no-cache"}, "Connection": {"keep-alive"}, "User-Agent": {ceilingAgent},
}

// run runs parity over the bench repeat times into out; it returns the
// results per second and the most connections one provider's server
// accepted during the run.
func (be *bench) run(b *testing.B, out string, repeat int) (perSecond float64, conns int) {
	b.Helper()
	before := be.opened(b)
	restore := tuneGC(os.LookupEnv) // as main does; the ceiling keeps Go's default
	start := time.Now()
	code, _, stderr := cli(b, nil, "run", "--config", be.cfg, "--suites", be.suite, "--out", out,
		"--repeat", fmt.Sprint(repeat), "--quiet", "--no-cache")
	d := time.Since(start)
	restore()
	if code != ExitOK {
		b.Fatalf("exit %d: %s", code, stderr)
	}
	for i, n := range be.opened(b) {
		conns = max(conns, n-before[i])
	}
	return float64(be.results(repeat)) / d.Seconds(), conns
}

// results is how many results a run of the bench repeat times has.
func (be *bench) results(repeat int) int { return be.cases * repeat * len(be.providers) }

// opened is how many connections each provider's server has accepted.
func (be *bench) opened(b *testing.B) []int { return be.remote.opened(b) }

// body is the request parity sends for case i: checked against the one
// the server received (checkBody).
func (be *bench) body(i int) []byte {
	return fmt.Appendf(nil, `{"max_tokens":50,"temperature":0,"model":"m","messages":[{"role":"system","content":"Answer with JSON."},{"role":"user","content":"Extract: order %d for customer %d"}],"stream":true,"stream_options":{"include_usage":true}}`, i, i%97)
}

var orderRe = regexp.MustCompile(`order (\d+) for`)

// checkBody fails b unless the ceiling sends byte for byte the body
// parity sent first.
func (be *bench) checkBody(b *testing.B) {
	b.Helper()
	first := be.remote.first(b)
	if len(first) == 0 {
		b.Fatal("the server received no request")
	}
	m := orderRe.FindSubmatch(first)
	if m == nil {
		b.Fatalf("parity sent %s", first)
	}
	i, _ := strconv.Atoi(string(m[1]))
	if !bytes.Equal(be.body(i), first) {
		b.Fatalf("the ceiling would send\n%s\nwhere parity sent\n%s", be.body(i), first)
	}
}

// ceiling is what the wire allows: a minimal keep-alive client (net/http,
// a Transport with as many connections as workers) sends the requests
// parity sends for repeat passes over the cases, from workers goroutines
// per provider, and reads each answer to its end without parsing it. It
// returns the requests per second and the connections it opened to each
// provider's server (the most of any).
func (be *bench) ceiling(b *testing.B, repeat, workers int) (perSecond float64, conns int) {
	b.Helper()
	before := be.opened(b)
	total := be.cases * repeat
	var failed atomic.Int64
	var wg sync.WaitGroup
	start := time.Now()
	for _, p := range be.providers {
		client := &http.Client{Transport: &http.Transport{MaxConnsPerHost: workers, MaxIdleConnsPerHost: workers}}
		defer client.CloseIdleConnections()
		var next atomic.Int64
		for range workers {
			wg.Go(func() {
				for i := int(next.Add(1)) - 1; i < total; i = int(next.Add(1)) - 1 {
					if !send(client, p.chat, be.body(i%be.cases)) {
						failed.Add(1)
					}
				}
			})
		}
	}
	wg.Wait()
	d := time.Since(start)
	if n := failed.Load(); n > 0 {
		b.Fatalf("the ceiling client: %d of %d requests failed", n, total*len(be.providers))
	}
	for i, n := range be.opened(b) {
		conns = max(conns, n-before[i])
	}
	return float64(total*len(be.providers)) / d.Seconds(), conns
}

// send posts one streamed chat request as go-openai does and reads the
// answer to its end; false unless it was a 200 read whole.
func send(client *http.Client, url string, body []byte) bool {
	req, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return false
	}
	req.Header = ceilingHeader.Clone()
	resp, err := client.Do(req)
	if err != nil {
		return false
	}
	defer resp.Body.Close()
	_, err = io.Copy(io.Discard, resp.Body)
	return err == nil && resp.StatusCode == http.StatusOK
}

// throughput runs parity b.N times over n cases repeated repeat times,
// each run between two of the ceiling over the same requests (off the
// clock, their mean its figure, so a machine busier for one than the
// other shifts both), and reports parity's results/s, the ceiling's
// req/s, their ratio, and the connections each opened per provider.
func throughput(b *testing.B, n, repeat int) {
	be := benchInputs(b, n)
	out := b.TempDir()
	var parity, wire float64
	conns, wireConns := 0, 0
	b.ResetTimer()
	for i := range b.N {
		b.StopTimer()
		before, c := be.ceiling(b, repeat, benchConcurrency)
		wireConns = max(wireConns, c)
		runtime.GC()
		b.StartTimer()
		r, c := be.run(b, filepath.Join(out, fmt.Sprint(i)), repeat)
		parity, conns = parity+r, max(conns, c)
		b.StopTimer()
		be.checkBody(b)
		runtime.GC()
		after, _ := be.ceiling(b, repeat, benchConcurrency)
		wire += (before + after) / 2
		b.StartTimer()
	}
	parity, wire = parity/float64(b.N), wire/float64(b.N)
	b.ReportMetric(parity, "results/s")
	b.ReportMetric(wire, "ceiling-req/s")
	b.ReportMetric(parity/wire, "ratio")
	b.ReportMetric(float64(conns), "conns/provider")
	b.ReportMetric(float64(wireConns), "ceiling-conns/provider")
}

// BenchmarkRunThroughput is the whole pipeline (runner over loopback HTTP,
// scoring, Parquet, journal, summary, HTML, rules) against two
// zero-latency providers of concurrency 32: the harness's own speed, in
// results per second, over 50,000 results (1,000 cases x 2 providers x 25
// repeats), and as a ratio of the in-run ceiling: a minimal keep-alive
// client sending the same requests to the same servers (ceiling-req/s).
func BenchmarkRunThroughput(b *testing.B) {
	throughput(b, 1000, 25)
}

// BenchmarkSlowRunThroughput is BenchmarkRunThroughput over 200,000
// distinct results (100,000 cases x 2 providers, one pass), loading
// included. It takes minutes: make bench skips it (-skip BenchmarkSlow).
func BenchmarkSlowRunThroughput(b *testing.B) {
	throughput(b, 100_000, 1)
}

// BenchmarkCeiling checks what sets the ceiling: the ceiling client over
// 50,000 requests with the benchmarks' workers and twice as many (a rate
// that does not rise with the client's effort is the server's and the
// machine's), against the servers BenchmarkRunThroughput uses and against
// ones flushing every event, as fixtures does on its own (flushed=true).
func BenchmarkCeiling(b *testing.B) {
	for _, flushed := range []bool{false, true} {
		for _, k := range []int{1, 2} {
			b.Run(fmt.Sprintf("flushed=%v/workers=%d", flushed, k*benchConcurrency), func(b *testing.B) {
				be := benchInputs(b, 1000)
				if flushed {
					be.flushing(b)
				}
				var wire float64
				for range b.N {
					r, _ := be.ceiling(b, 25, k*benchConcurrency)
					wire += r
				}
				b.ReportMetric(wire/float64(b.N), "req/s")
			})
		}
	}
}

// BenchmarkRunMemory runs 10,000, 100,000 and 200,000 results and reports the
// peak live heap of each (parity's: the servers run in a process of their
// own): flat memory means the two are close.
func BenchmarkRunMemory(b *testing.B) {
	for _, repeat := range []int{5, 50, 100} {
		b.Run(fmt.Sprintf("results=%d", 2000*repeat), func(b *testing.B) {
			be := benchInputs(b, 1000)
			out := b.TempDir()
			var peak atomic.Uint64
			stop := make(chan struct{})
			go samplePeak(&peak, stop)
			b.ResetTimer()
			for i := range b.N {
				be.run(b, filepath.Join(out, fmt.Sprint(i)), repeat)
			}
			close(stop)
			b.ReportMetric(float64(peak.Load())/(1<<20), "peak-live-heap-MB")
			b.ReportMetric(float64(2000*repeat*b.N)/b.Elapsed().Seconds(), "results/s")
		})
	}
}

// samplePeak records the largest live heap (what the last garbage
// collection kept, not the garbage waiting for the next) until stop closes.
func samplePeak(peak *atomic.Uint64, stop chan struct{}) {
	t := time.NewTicker(20 * time.Millisecond)
	defer t.Stop()
	sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	for {
		select {
		case <-stop:
			return
		case <-t.C:
			metrics.Read(sample)
			if v := sample[0].Value.Uint64(); v > peak.Load() {
				peak.Store(v)
			}
		}
	}
}
