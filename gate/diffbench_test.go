//go:build linux && !race

package gate

import (
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/parity-eval/parity/results"
	"github.com/parity-eval/parity/stats"

	"github.com/parity-eval/parity/internal/testkit"
)

// The size of a benchmark run: 4 providers × 4 suites × 12,500 cases × 5
// repeats, a million rows.
const (
	benchProviders = 4
	benchSuites    = 4
	benchCases     = 12_500
	benchRepeats   = 5
	benchRows      = benchProviders * benchSuites * benchCases * benchRepeats
)

// writeBenchRun writes a million-row results file into dir, in a shuffled
// order (rows arrive in completion order, not sorted), and returns its
// path. Suites 0 and 1 score pass/fail (the bootstrap), 2 and 3 a
// continuous similarity (Student's t); shift moves provider 1's scores.
func writeBenchRun(b *testing.B, dir string, run int, shift float64) string {
	b.Helper()
	path := filepath.Join(dir, fmt.Sprintf("run%d.parquet", run))
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	w := results.NewWriter(f)
	start := time.Date(2025, 3, 1, 2, 0, 0, 0, time.UTC).Add(time.Duration(run) * 24 * time.Hour)
	for _, i := range rand.New(rand.NewPCG(uint64(run), 7)).Perm(benchRows) {
		r := benchRow(i, run, shift, start)
		if err := w.AddRow(&r); err != nil {
			b.Fatal(err)
		}
	}
	if err := errors.Join(w.Close(), f.Close()); err != nil {
		b.Fatal(err)
	}
	return path
}

// benchRow returns row i of a benchmark run: the same case and repeat
// score alike in every run but for noise and shift.
func benchRow(i, run int, shift float64, start time.Time) results.Row {
	rep, c, s, p := i%benchRepeats, i/benchRepeats%benchCases, i/benchRepeats/benchCases%benchSuites, i/benchRepeats/benchCases/benchSuites
	rng := rand.New(rand.NewPCG(uint64(i), uint64(run)))
	base := 0.55 + 0.4*float64(c%17)/17
	if p == 1 {
		base += shift
	}
	score := min(max(base+0.1*rng.NormFloat64(), 0), 1)
	if s < 2 {
		score = 0
		if rng.Float64() < base {
			score = 1
		}
	}
	at := start.Add(time.Duration(i) * time.Millisecond)
	return results.Row{RunID: fmt.Sprintf("bench-%d", run), Suite: fmt.Sprintf("suite-%d", s), CaseID: fmt.Sprintf("case-%05d", c),
		Tags: []string{"bench"}, Provider: fmt.Sprintf("provider-%d", p), Model: "m", Repeat: int32(rep),
		Output: fmt.Sprintf(`{"order": %d, "label": "shipping"}`, c), FinishReason: "stop",
		LatencyMS: 200 + 600*rng.Float64(), InputTokens: 120, OutputTokens: 20, CostUSD: 0.0004, Attempts: 1,
		StartedAt: &at, Score: score, Pass: score >= 0.5, Checks: `[{"type":"equals","score":1}]`, Metadata: map[string]string{}}
}

// BenchmarkDiffMemory compares two million-row runs, as `parity diff`
// does, and reports the peak live heap sampled in process (what a garbage
// collection kept), the peak of heap objects (garbage included) and the
// peak RSS of the same comparison in a child process of its own (this
// test binary, re-run as TestDiffHelperProcess). The files are written
// first, which takes a while.
func BenchmarkDiffMemory(b *testing.B) {
	dir := b.TempDir()
	old, cur := writeBenchRun(b, dir, 1, 0), writeBenchRun(b, dir, 2, 0.02)
	peaks := benchPeaks(b, func() error {
		_, err := ReadDiff(stats.DefaultSettings(), old, cur)
		return err
	})
	b.ReportMetric(peaks.live, "peak-live-heap-MB")
	b.ReportMetric(peaks.objects, "peak-heap-objects-MB")
	b.ReportMetric(childRSS(b, "diff", old, cur), "peak-RSS-MB")
	b.ReportMetric(float64(2*benchRows*b.N)/b.Elapsed().Seconds(), "rows/s")
}

// BenchmarkHistoryMemory follows three million-row runs, each given three
// times over (nine runs, nine million rows read), as `parity history`
// does, with BenchmarkDiffMemory's measures.
func BenchmarkHistoryMemory(b *testing.B) {
	dir := b.TempDir()
	var paths []string
	for run := range 3 {
		paths = append(paths, writeBenchRun(b, dir, run+1, 0.02*float64(run)))
	}
	paths = append(append(paths, paths...), paths...)
	peaks := benchPeaks(b, func() error {
		_, err := ReadHistory(DefaultHistoryOptions(), paths...)
		return err
	})
	b.ReportMetric(peaks.live, "peak-live-heap-MB")
	b.ReportMetric(peaks.objects, "peak-heap-objects-MB")
	b.ReportMetric(childRSS(b, "history", paths...), "peak-RSS-MB")
	b.ReportMetric(float64(len(paths)*benchRows*b.N)/b.Elapsed().Seconds(), "rows/s")
}

// heapPeaks are the largest heap figures seen, in MB.
type heapPeaks struct{ live, objects float64 }

// benchPeaks runs fn b.N times, timed, sampling the heap every 10ms.
func benchPeaks(b *testing.B, fn func() error) heapPeaks {
	b.Helper()
	runtime.GC() // twice: the first only moves the pools to their victim caches
	runtime.GC()
	var live, objects atomic.Uint64
	stop, done := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(done)
		sampleHeap(&live, &objects, stop)
	}()
	b.ResetTimer()
	for range b.N {
		if err := fn(); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	close(stop)
	<-done
	return heapPeaks{float64(live.Load()) / (1 << 20), float64(objects.Load()) / (1 << 20)}
}

// sampleHeap records the largest live heap and heap objects until stop
// closes.
func sampleHeap(live, objects *atomic.Uint64, stop chan struct{}) {
	t := time.NewTicker(10 * time.Millisecond)
	defer t.Stop()
	samples := []metrics.Sample{{Name: "/gc/heap/live:bytes"}, {Name: "/memory/classes/heap/objects:bytes"}}
	for {
		metrics.Read(samples)
		for i, peak := range []*atomic.Uint64{live, objects} {
			if v := samples[i].Value.Uint64(); v > peak.Load() {
				peak.Store(v)
			}
		}
		select {
		case <-stop:
			return
		case <-t.C:
		}
	}
}

// childRSS runs command ("diff" or "history") over paths in a child
// process (TestDiffHelperProcess) and returns its peak resident set in MB.
func childRSS(b *testing.B, command string, paths ...string) float64 {
	b.Helper()
	return testkit.ChildPeakRSS(b, "TestDiffHelperProcess", "PARITY_BENCH_CHILD", command+"\n"+strings.Join(paths, "\n"))
}

// TestDiffHelperProcess is BenchmarkDiffMemory's and
// BenchmarkHistoryMemory's child: with PARITY_BENCH_CHILD set to a
// command and its paths, one a line, it runs that comparison and writes
// its text; otherwise it does nothing.
func TestDiffHelperProcess(t *testing.T) {
	env := os.Getenv("PARITY_BENCH_CHILD")
	if env == "" {
		t.Skip("only a benchmark's child process")
	}
	args := strings.Split(env, "\n")
	var res interface{ WriteText(io.Writer) error }
	var err error
	if args[0] == "diff" {
		res, err = ReadDiff(stats.DefaultSettings(), args[1], args[2])
	} else {
		res, err = ReadHistory(DefaultHistoryOptions(), args[1:]...)
	}
	if err != nil {
		t.Fatal(err)
	}
	if err := res.WriteText(io.Discard); err != nil {
		t.Fatal(err)
	}
	testkit.PrintPeakRSS(os.Stdout)
}
