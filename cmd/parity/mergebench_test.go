package main

import (
	"fmt"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"sync/atomic"
	"testing"
	"time"

	"github.com/parity-eval/parity/internal/testkit"
)

// BenchmarkSlowMergeNightly is issue 15's scale figure: a simulated
// nightly of 1,000,000 results (25,000 cases x 8 providers x 5 repeats)
// over 8 shards, written synthetically with the results writer (nothing
// is sent), then merged by parity merge (the merged results.parquet,
// summary.json, report.html and rules.yaml) and reported again from the
// merged file by parity report. It reports each step's time, its peak
// live heap and the process's peak resident set (reset before each step,
// where Linux allows it).
func BenchmarkSlowMergeNightly(b *testing.B) {
	benchMerge(b, synthetic{runID: "nightly-2026-11-30", fingerprint: "f", cases: 25_000, providers: 8, repeats: 5, shards: 8})
}

// BenchmarkMergeNightly is the same over 100,000 results, quick enough
// for make bench.
func BenchmarkMergeNightly(b *testing.B) {
	benchMerge(b, synthetic{runID: "nightly-2026-11-30", fingerprint: "f", cases: 2_500, providers: 8, repeats: 5, shards: 8})
}

func benchMerge(b *testing.B, s synthetic) {
	root := b.TempDir()
	start := time.Now()
	shards := s.writeAll(b, root)
	b.Logf("wrote %d results in %d shards in %v", s.cases*s.providers*s.repeats, s.shards, time.Since(start).Round(time.Millisecond))
	b.ResetTimer()
	for i := range b.N {
		merged := filepath.Join(root, fmt.Sprint("merged-", i))
		mergeTime, mergeHeap, mergeRSS := measure(b, append([]string{"merge", "--out", merged}, shards...))
		reportTime, reportHeap, reportRSS := measure(b, []string{"report", "--out", filepath.Join(root, fmt.Sprint("report-", i)), merged})
		b.ReportMetric(mergeTime.Seconds(), "merge-s")
		b.ReportMetric(mergeHeap, "merge-peak-live-heap-MB")
		b.ReportMetric(mergeRSS, "merge-peak-rss-MB")
		b.ReportMetric(reportTime.Seconds(), "report-s")
		b.ReportMetric(reportHeap, "report-peak-live-heap-MB")
		b.ReportMetric(reportRSS, "report-peak-rss-MB")
		b.ReportMetric(float64(s.cases*s.providers*s.repeats)/mergeTime.Seconds(), "merged-results/s")
	}
}

// measure runs the CLI with args and returns how long it took, its peak
// live heap and the process's peak resident set in MB (0 where unknown;
// the whole process's peak where Linux cannot reset it first).
func measure(b *testing.B, args []string) (time.Duration, float64, float64) {
	b.Helper()
	runtime.GC()
	debug.FreeOSMemory()
	testkit.ResetPeakRSS()
	var peak atomic.Uint64
	stop := make(chan struct{})
	go samplePeak(&peak, stop)
	start := time.Now()
	code, _, stderr := cli(b, nil, args...)
	took := time.Since(start)
	close(stop)
	if code != ExitOK {
		b.Fatalf("parity %s: exit %d: %s", args[0], code, stderr)
	}
	return took, float64(peak.Load()) / (1 << 20), float64(testkit.PeakRSS()) / (1 << 20)
}
