package routing

import (
	"runtime"
	"strconv"
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

// BenchmarkEvidenceMemory reports the live heap an Evidence holds per
// case (bytes/case) once it has recorded memoryCases distinct cases x 2
// providers x 1 repeat. The rows, with their case ids, are alive before
// and after: the figure is the evidence's own memory, not the ids'. It
// was 288.9 with a case an object of its own, 117.2 as dense indices into
// paged columns (issue #14); the load factor of the case index's maps
// moves it between 117 and 130 from 100,000 to 300,000 cases.
func BenchmarkEvidenceMemory(b *testing.B) {
	rows := distinctRows(memoryCases)
	var perCase float64
	for b.Loop() {
		before := liveHeap()
		ev := NewEvidence()
		for _, r := range rows {
			ev.AddScored(r)
		}
		perCase = float64(liveHeap()-before) / memoryCases
		runtime.KeepAlive(ev)
	}
	runtime.KeepAlive(rows)
	b.ReportMetric(perCase, "bytes/case")
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
