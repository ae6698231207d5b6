package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/parity-eval/parity/internal/testkit"
)

// BenchmarkSlowRunRSS is parity's peak resident set over 200,000 distinct
// results (100,000 cases x 2 providers, one pass: the issue's "200,000
// distinct cases", as BenchmarkSlowRunThroughput runs them), over 200,000
// cases x 2 providers, and over 1,000,000 results (1,000 cases x 2
// providers x 500 repeats): `parity
// run` in a child process of its own (this test binary, re-run as
// TestRunHelperProcess), against the benchmark's zero-latency servers in
// this one, so the figure is parity's alone. The child reads VmHWM from
// /proc/self/status as it ends. It takes minutes: make bench-slow.
func BenchmarkSlowRunRSS(b *testing.B) {
	for _, size := range []struct {
		name          string
		cases, repeat int
	}{{"cases=100000", 100_000, 1}, {"cases=200000", 200_000, 1}, {"results=1000000", 1000, 500}} {
		b.Run(size.name, func(b *testing.B) {
			be := benchInputs(b, size.cases)
			var rss, perSecond float64
			for i := range b.N {
				out := filepath.Join(b.TempDir(), fmt.Sprint(i))
				start := time.Now()
				mb := childRun(b, be.cfg, be.suite, out, size.repeat)
				perSecond += float64(be.results(size.repeat)) / time.Since(start).Seconds()
				rss = max(rss, mb)
			}
			b.ReportMetric(rss, "peak-RSS-MB")
			b.ReportMetric(perSecond/float64(b.N), "results/s")
		})
	}
}

// childRun runs parity over the suite repeat times in a child process
// (TestRunHelperProcess) and returns its peak resident set in MB.
func childRun(b *testing.B, cfg, suite, out string, repeat int) float64 {
	b.Helper()
	return testkit.ChildPeakRSS(b, "TestRunHelperProcess", "PARITY_BENCH_RUN", strings.Join([]string{cfg, suite, out, fmt.Sprint(repeat)}, "\n"))
}

// TestRunHelperProcess is BenchmarkSlowRunRSS's child: with
// PARITY_BENCH_RUN set to a config, a suite, an output directory and a
// repeat count, one a line, it runs parity over them without a cache and
// prints its peak RSS (testkit.PrintPeakRSS); otherwise it does nothing.
func TestRunHelperProcess(t *testing.T) {
	spec := os.Getenv("PARITY_BENCH_RUN")
	if spec == "" {
		t.Skip("only a benchmark's child process")
	}
	args := strings.Split(spec, "\n")
	var stdout, stderr bytes.Buffer
	e := &env{stdout: &stdout, stderr: &stderr, lookupEnv: os.LookupEnv}
	defer tuneGC(os.LookupEnv)() // as main does
	code := parityEnv(context.Background(), []string{"run", "--config", args[0], "--suites", args[1], "--out", args[2],
		"--repeat", args[3], "--quiet", "--no-cache"}, e)
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	testkit.PrintPeakRSS(os.Stdout)
}
