package routing

import (
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"strconv"
	"sync/atomic"
	"testing"

	"github.com/parity-eval/parity/internal/testkit"
	"github.com/parity-eval/parity/judges"
	"github.com/parity-eval/parity/suites"
)

// memoryCases is the run issue #14 profiles: 200,000 distinct cases.
const memoryCases = 200_000

// distinctRows returns the rows of n distinct cases of one suite, each
// answered once by the first two test providers: the shape of
// `parity run` over a large suite.
func distinctRows(n int) []*judges.Scored {
	rows := make([]*judges.Scored, 0, 2*n)
	for i := range n {
		c := &suites.Case{ID: "case-" + strconv.Itoa(i)}
		for _, p := range testkit.Providers[:2] {
			rows = append(rows, testkit.Scored(testkit.Extract, c, p, 0.5))
		}
	}
	return rows
}

// liveHeap returns the bytes of live heap objects after a collection.
func liveHeap() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// heapPeak records the largest live heap any garbage collection found
// (/gc/heap/live:bytes) from its start to its stop: a finalizer on a
// sentinel reads it after every cycle and arms a new sentinel.
type heapPeak struct {
	peak, cycles atomic.Uint64
	done         atomic.Bool
}

// sentinel is an object a collection frees, so that its finalizer runs
// once per cycle; large enough not to share a tiny-allocator block.
type sentinel struct{ _ [32]byte }

// startHeapPeak starts recording. Lower the collector's target for the
// cycles to be frequent enough to see a short peak.
func startHeapPeak() *heapPeak {
	h := &heapPeak{}
	h.arm()
	return h
}

// arm reads the live heap of the cycle just ended and waits for the next.
func (h *heapPeak) arm() {
	runtime.SetFinalizer(&sentinel{}, func(*sentinel) {
		s := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
		metrics.Read(s)
		if v := s[0].Value.Uint64(); v > h.peak.Load() {
			h.peak.Store(v)
		}
		h.cycles.Add(1)
		if !h.done.Load() {
			h.arm()
		}
	})
}

// stop ends the recording and returns the peak and the cycles seen.
func (h *heapPeak) stop() (peak, cycles uint64) {
	runtime.GC() // the live heap at the end, too
	runtime.GC() // and the finalizer of the cycle before has run
	h.done.Store(true)
	return h.peak.Load(), h.cycles.Load()
}

// memoryRun streams the rows of n distinct cases of one suite into a
// new Evidence, each case answered once by the first two test providers:
// the shape of `parity run` over a large suite whose cases are streamed
// from disk. Every row carries an id string of its own, dropped with the
// row once added, so that what the evidence keeps of the ids counts as
// its own.
func memoryRun(n int) *Evidence {
	ev := NewEvidence()
	var rows [2]*judges.Scored
	for j, p := range testkit.Providers[:2] {
		rows[j] = testkit.Scored(testkit.Extract, &suites.Case{}, p, 0.5)
	}
	for i := range n {
		for _, r := range rows {
			r.Result.Case = &suites.Case{ID: "case-" + strconv.Itoa(i)}
			ev.AddScored(r)
		}
	}
	return ev
}

// memoryGCPercent is the collector's target while BenchmarkEvidenceMemory
// looks for the peak: low, so that a collection sees the live heap at
// least every 10% of growth.
const memoryGCPercent = 10

// BenchmarkEvidenceMemory reports what routing keeps per case of
// memoryCases distinct cases x 2 providers x 1 repeat: bytes/case is the
// live heap an Evidence holds once every row was added (the case ids'
// bytes included: in a run nothing else keeps them), peak-bytes/case the
// largest live heap from the first row to the end of Build, the rules
// and their held-out proof (the end of `parity run`), over the heap
// before. bytes/case was 288.9 with a case an object of its own and 117.2
// as dense indices into paged columns (issue #14), both without the ids:
// the rows were kept alive, their ids counted as theirs. Counting them,
// it was 133 (288 at the peak), then 56 (100 to 102 at the peak) with the
// cases interned into an arena, cells of 16 bytes and Build streaming
// what it can (issue #14): cells 32, the case's key 24 (13 of it the
// id's bytes and its varints), then at the peak the held-out sums and
// their index 38 and the sorted cases 4.
func BenchmarkEvidenceMemory(b *testing.B) {
	defer debug.SetGCPercent(debug.SetGCPercent(memoryGCPercent))
	cfg := testkit.Config()
	var perCase, peakPerCase float64
	for b.Loop() {
		before := liveHeap()
		h := startHeapPeak()
		ev := memoryRun(memoryCases)
		perCase = float64(liveHeap()-before) / memoryCases
		rules := Build(ev, cfg.Providers, cfg.Routing, testkit.T0, WithBaseline(cfg.Baseline))
		peak, cycles := h.stop()
		if rules.Holdout == nil || rules.Holdout.Interval == nil || cycles < 10 {
			b.Fatalf("no held-out interval, or %d collections", cycles)
		}
		peakPerCase = float64(peak-min(peak, before)) / memoryCases
		runtime.KeepAlive(ev)
	}
	b.ReportMetric(perCase, "bytes/case")
	b.ReportMetric(peakPerCase, "peak-bytes/case")
}

// BenchmarkEvidenceAdd measures the CPU of recording one row (ns/op is
// per row): of a case already known (a later repeat is its first here,
// as a known case's rows are already recorded), of distinct new cases of
// two providers (a fresh Evidence every memoryCases cases, so that the
// growth of its tables is included) and of 2,000 cases x 25 repeats.
func BenchmarkEvidenceAdd(b *testing.B) {
	b.Run("known", func(b *testing.B) {
		rows := distinctRows(1000)
		ev := NewEvidence()
		for _, r := range rows {
			ev.AddScored(r)
		}
		i := 0
		for b.Loop() {
			ev.AddScored(rows[i])
			i = (i + 1) % len(rows)
		}
	})
	b.Run("new", func(b *testing.B) { benchmarkFreshAdds(b, distinctRows(memoryCases)) })
	b.Run("repeats", func(b *testing.B) { benchmarkFreshAdds(b, repeatedRows(2000, 25)) })
}

// benchmarkFreshAdds records rows one an iteration, into a fresh Evidence
// at each pass over them.
func benchmarkFreshAdds(b *testing.B, rows []*judges.Scored) {
	ev, i := NewEvidence(), 0
	for b.Loop() {
		if i == len(rows) {
			b.StopTimer()
			ev, i = NewEvidence(), 0
			b.StartTimer()
		}
		ev.AddScored(rows[i])
		i++
	}
}

// repeatedRows returns distinctRows(n) repeated k times, repeat by
// repeat: the shape of a run of few cases and many repeats.
func repeatedRows(n, k int) []*judges.Scored {
	first := distinctRows(n)
	rows := make([]*judges.Scored, 0, k*len(first))
	for rep := range k {
		for _, r := range first {
			s, res := *r, *r.Result
			res.Repeat, s.Result = rep, &res
			rows = append(rows, &s)
		}
	}
	return rows
}
