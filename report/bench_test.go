package report

import (
	"bytes"
	"runtime"
	"testing"

	"github.com/parity-eval/parity/internal/testkit"
	"github.com/parity-eval/parity/results"

	"github.com/parity-eval/parity/judges"
)

// BenchmarkWriterAdd measures the whole fan-out (Parquet, summary, HTML
// sample) per row of about 1 KB.
func BenchmarkWriterAdd(b *testing.B) {
	w, err := NewWriter(b.TempDir(), testkit.Config(), "run-bench")
	if err != nil {
		b.Fatal(err)
	}
	gen := testkit.GenRows()
	rows := make([]*judges.Scored, 1000)
	for i := range rows {
		rows[i] = gen(i)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		if err := w.Add(rows[i%len(rows)]); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "rows/s")
	b.StopTimer()
	if err := w.Close(); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkParquetAdd measures the Parquet writer alone.
func BenchmarkParquetAdd(b *testing.B) {
	var buf bytes.Buffer
	w := results.NewWriter(&buf)
	gen := testkit.GenRows()
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		if err := w.Add(gen(i % 1000)); err != nil {
			b.Fatal(err)
		}
		if buf.Len() > 64<<20 {
			buf.Reset()
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}

// BenchmarkWriterMemory reports the live heap after 20k and 200k rows.
func BenchmarkWriterMemory(b *testing.B) {
	for b.Loop() {
		small, big := heapAfter(b, 20_000), heapAfter(b, 200_000)
		b.ReportMetric(float64(small)/1e6, "MB@20k")
		b.ReportMetric(float64(big)/1e6, "MB@200k")
	}
	runtime.GC()
}
