//go:build !race

package results

import (
	"bytes"
	"path/filepath"
	"testing"

	"github.com/parity-eval/parity/internal/testkit"
	"github.com/parity-eval/parity/judges"
)

// The allocation guards of a row's way to results.parquet and the
// journal. They count what encoding/json and parquet-go take from their
// sync.Pools, which the race detector empties at random: they do not run
// under it.

// allocRow is a realistic row: started, with a check verdict, a 1 KB
// output and its suite's metadata only, so that nothing is merged.
func allocRow() *judges.Scored {
	r := testkit.Scored(testkit.Extract, testkit.Case("c-alloc", nil), testkit.Frontier, 0.75)
	r.Result.Output = string(bytes.Repeat([]byte("lorem ipsum "), 85))
	return r
}

// mergedRow is allocRow with case metadata to merge with its suite's.
func mergedRow() *judges.Scored {
	r := allocRow()
	r.Result.Case = testkit.Case("c-merged", map[string]string{"customer": "acme"})
	return r
}

func TestRowAllocs(t *testing.T) {
	var f Flattener
	tests := []struct {
		name string
		row  func(*judges.Scored) Row
		in   *judges.Scored
		want float64
	}{
		// The started_at pointer and the checks' JSON, which json.Marshal
		// returns as bytes to be copied and takes as an interface.
		{"NewRow", NewRow, allocRow(), 4},
		// The started_at pointer and the checks' JSON text.
		{"Flattener.Row", f.Row, allocRow(), 2},
		// And the merged metadata map (its header and its one group).
		{"Flattener.Row merging metadata", f.Row, mergedRow(), 4},
	}
	for _, tt := range tests {
		if n := testing.AllocsPerRun(100, func() { tt.row(tt.in) }); n != tt.want {
			t.Errorf("%s: %v allocations, want %v", tt.name, n, tt.want)
		}
	}
}

// maxAddRowAllocs bounds Writer.AddRow's allocations a row: about 13 a
// batch of 64 rows, and a row group's (0.20 a row measured; 6.1 when each
// row was a batch of its own).
const maxAddRowAllocs = 0.3

// TestWriterAddRowAllocs: a row costs the Writer nothing but its share of
// what parquet-go allocates per batch, page and row group, over 10,000
// rows of which every other has a metadata map of three entries.
func TestWriterAddRowAllocs(t *testing.T) {
	var buf bytes.Buffer
	w := NewWriter(&buf)
	rows := []Row{NewRow(allocRow()), NewRow(mergedRow())}
	const n = 10_000
	perRow := testing.AllocsPerRun(1, func() {
		for i := range n {
			if err := w.AddRow(&rows[i%2]); err != nil {
				t.Fatal(err)
			}
		}
	}) / n
	if perRow > maxAddRowAllocs {
		t.Errorf("Writer.AddRow: %.3f allocations a row amortised, want at most %v", perRow, maxAddRowAllocs)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
}

// TestJournalAddAllocs: a journaled row costs what the encoder allocates
// for its metadata map and its start time, nothing of the journal's own
// (segmentio's encoder: 3; encoding/json took 8).
func TestJournalAddAllocs(t *testing.T) {
	j, err := OpenJournal(filepath.Join(t.TempDir(), JournalFile))
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	row := NewRow(mergedRow())
	if n := testing.AllocsPerRun(100, func() {
		if err := j.Add(&row); err != nil {
			t.Fatal(err)
		}
	}); n != 3 {
		t.Errorf("Journal.Add: %v allocations a row, want 3", n)
	}
	// Held, three rows of four: the same, and the line buffer, grown to
	// hold four, is kept.
	if n := testing.AllocsPerRun(100, func() {
		for range 3 {
			if err := j.Hold(&row); err != nil {
				t.Fatal(err)
			}
		}
		if err := j.Add(&row); err != nil {
			t.Fatal(err)
		}
	}); n != 4*3 {
		t.Errorf("Journal.Hold: %v allocations for 4 rows, want 12", n)
	}
}
