package suites

import (
	"bufio"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"
)

// writeBigSuite writes a suite whose n cases come from a JSONL file, the
// shape of a large generated eval set.
func writeBigSuite(tb testing.TB, n int) string {
	tb.Helper()
	dir := tb.TempDir()
	suite := "name: big\ntags: [extract]\nprompt: {user: 'Vendor of: {{.text}}'}\ncases_file: cases.jsonl\nchecks:\n  - type: contains\n"
	if err := os.WriteFile(filepath.Join(dir, "s.yaml"), []byte(suite), 0o644); err != nil {
		tb.Fatal(err)
	}
	if err := writeCases(filepath.Join(dir, "cases.jsonl"), n); err != nil {
		tb.Fatal(err)
	}
	return filepath.Join(dir, "s.yaml")
}

// writeCases writes n distinct trivial cases to path, one JSON object a
// line, without holding the file in memory.
func writeCases(path string, n int) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(f)
	for i := range n {
		fmt.Fprintf(w, `{"id": "case-%07d", "vars": {"text": "invoice %d from Acme"}, "reference": "Acme"}`+"\n", i, i)
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// BenchmarkLoadCases measures what `parity validate` does with a suite of
// n cases: parse, check every prompt renders, check every id is unique.
// Loading must stay linear: 200k cases under 2 s. Besides the time it
// reports, per case, the bytes allocated while loading (alloc-B/case) and
// the bytes a loaded suite keeps on the heap (kept-B/case), what a run
// holds for every case until it ends.
func BenchmarkLoadCases(b *testing.B) {
	for _, n := range []int{20_000, 200_000, 1_000_000} {
		b.Run(fmt.Sprintf("cases=%d", n), func(b *testing.B) {
			path := writeBigSuite(b, n)
			b.ReportAllocs()
			var kept uint64
			b.ResetTimer()
			for b.Loop() {
				b.StopTimer()
				before := heapAfterGC()
				b.StartTimer()
				s, err := LoadFile(path)
				if err != nil {
					b.Fatal(err)
				}
				b.StopTimer()
				if after := heapAfterGC(); after > before {
					kept = after - before
				}
				if s.Cases.Len() != n {
					b.Fatalf("loaded %d cases, want %d", s.Cases.Len(), n)
				}
				runtime.KeepAlive(s)
				b.StartTimer()
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/case")
			b.ReportMetric(float64(kept)/float64(n), "kept-B/case")
		})
	}
}

// heapAfterGC returns the live heap after a full collection.
func heapAfterGC() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// TestLoadIsLinear checks loading grows linearly with the number of cases:
// the duplicate-id check once compared each case with every earlier one,
// and validate took 140 s at 200k cases. Ten times the cases must take
// about ten times as long (a quadratic check makes it forty or more).
func TestLoadIsLinear(t *testing.T) {
	if testing.Short() {
		t.Skip("times loads of 5k and 50k cases")
	}
	small, large := writeBigSuite(t, 5_000), writeBigSuite(t, 50_000)
	took := func(path string, runs int) time.Duration {
		best := time.Duration(math.MaxInt64)
		for range runs {
			start := time.Now()
			if _, err := LoadFile(path); err != nil {
				t.Fatal(err)
			}
			best = min(best, time.Since(start))
		}
		return best
	}
	ts, tl := took(small, 3), took(large, 2)
	if ratio := float64(tl) / float64(ts); ratio > 30 {
		t.Errorf("5k cases load in %v, 50k in %v: %.0f times as long for 10 times the cases; loading is not linear", ts, tl, ratio)
	}
}
