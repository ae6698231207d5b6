package main

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime/metrics"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/parity-eval/parity/fixtures"
)

// benchInputs writes a suite of n extraction cases, scored by every check
// that needs no network (json_schema, regex, contains, equals), and a
// config of two zero-latency simulated providers serving it.
func benchInputs(b *testing.B, n int) (cfg, suite string) {
	b.Helper()
	dir := b.TempDir()
	var cases strings.Builder
	for i := range n {
		fmt.Fprintf(&cases, `{"id": "c%d", "vars": {"text": "order %d for customer %d"}, "reference": "{\"order\": %d, \"label\": \"shipping\"}"}`+"\n", i, i, i%97, i)
	}
	suite = filepath.Join(dir, "bench.yaml")
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
	p := fixtures.Profile{Quality: map[string]float64{fixtures.AnyTag: 1}}
	a, c := p, p
	a.ID, c.ID = "a", "b"
	_, hs := simulate(b, []string{suite}, fixtures.Profiles(a, c), fixtures.Keep(0))
	cfg = writeConfig(b, dir, "concurrency: 64\nproviders:\n  - {id: a, base_url: URL/a/v1, model: m, limits: {concurrency: 32}}\n  - {id: b, base_url: URL/b/v1, model: m, limits: {concurrency: 32}}\n", hs.URL)
	return cfg, suite
}

func benchRun(b *testing.B, cfg, suite, out string, repeat int) {
	b.Helper()
	code, _, stderr := cli(b, nil, "run", "--config", cfg, "--suites", suite, "--out", out,
		"--repeat", fmt.Sprint(repeat), "--quiet", "--no-cache")
	if code != ExitOK {
		b.Fatalf("exit %d: %s", code, stderr)
	}
}

// BenchmarkRunThroughput is the whole pipeline (runner over loopback HTTP,
// scoring, Parquet, journal, summary, HTML, rules) against zero-latency
// providers: the harness's own speed, in results per second.
func BenchmarkRunThroughput(b *testing.B) {
	cfg, suite := benchInputs(b, 1000)
	out := b.TempDir()
	b.ResetTimer()
	for i := range b.N {
		benchRun(b, cfg, suite, filepath.Join(out, fmt.Sprint(i)), 1)
	}
	b.ReportMetric(float64(2000*b.N)/b.Elapsed().Seconds(), "results/s")
}

// BenchmarkRunMemory runs 10,000, 100,000 and 200,000 results and reports the
// peak live heap of each (the fixture server included, it runs in the same
// process): flat memory means the two are close.
func BenchmarkRunMemory(b *testing.B) {
	for _, repeat := range []int{5, 50, 100} {
		b.Run(fmt.Sprintf("results=%d", 2000*repeat), func(b *testing.B) {
			cfg, suite := benchInputs(b, 1000)
			out := b.TempDir()
			var peak atomic.Uint64
			stop := make(chan struct{})
			go samplePeak(&peak, stop)
			b.ResetTimer()
			for i := range b.N {
				benchRun(b, cfg, suite, filepath.Join(out, fmt.Sprint(i)), repeat)
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
