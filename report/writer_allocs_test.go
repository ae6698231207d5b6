//go:build !race

package report

import (
	"testing"

	"github.com/parity-eval/parity/internal/testkit"

	"github.com/parity-eval/parity/judges"
)

// Under the race detector sync.Pool drops items at random, so the
// allocations of what uses one (encoding/json, parquet-go) are not
// counted there.

// TestWriterAddAllocs: the whole fan-out of a row (results.parquet, the
// summary, the routing evidence, the sample, and the journal as parity
// run keeps one), amortised over 10,000 rows of testkit.GenRows so that
// Parquet's batches, pages and row groups count at their share.
func TestWriterAddAllocs(t *testing.T) {
	tests := []struct {
		name string
		opts []Option
		// max is the bound: what was measured, and a margin of less than
		// one allocation a row.
		max float64
	}{
		// 3.06 measured (13.2 before issue #14): the started_at pointer
		// (1), the checks' JSON text (6 rows in 7), the merged metadata
		// map of the rows whose suite and case both have metadata (2, on
		// every other row) and results.Writer's share (0.2).
		{"without journal", nil, 3.25},
		// And encoding/json's for the journal's line: two a metadata
		// entry and one for the map, one for the start time (6 a row);
		// 19.2 before issue #14.
		{"with journal", []Option{WithJournal()}, 9.25},
	}
	for _, tt := range tests {
		if perRow := writerAddAllocs(t, tt.opts...); perRow > tt.max {
			t.Errorf("Writer.Add %s: %.3f allocations a row, want at most %v", tt.name, perRow, tt.max)
		}
	}
}

// writerAddAllocs returns the allocations a row of Writer.Add, over
// 10,000 rows after 10,000 more.
func writerAddAllocs(t *testing.T, opts ...Option) float64 {
	t.Helper()
	w, err := NewWriter(t.TempDir(), testkit.Config(), "run-allocs", opts...)
	if err != nil {
		t.Fatal(err)
	}
	gen := testkit.GenRows()
	rows := make([]*judges.Scored, 1000)
	for i := range rows {
		rows[i] = gen(i)
	}
	const n = 10_000
	perRow := testing.AllocsPerRun(1, func() {
		for i := range n {
			if err := w.Add(rows[i%len(rows)]); err != nil {
				t.Fatal(err)
			}
		}
	}) / n
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return perRow
}
