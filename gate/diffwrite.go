package gate

import (
	"bufio"
	"fmt"
	"io"

	"github.com/parity-eval/parity/internal/format"
	"github.com/parity-eval/parity/results"
	"github.com/parity-eval/parity/stats"
)

// ReadDiff compares two results files (or run directories), streaming
// their rows: oldPath's as the old run, newPath's as the new. Memory
// stays bounded however many rows the runs have: see Diff.
func ReadDiff(s stats.Settings, oldPath, newPath string) (*DiffResult, error) {
	d := NewDiff(s)
	defer d.Close()
	if err := results.ReadRows(oldPath, d.AddOld); err != nil {
		return nil, fmt.Errorf("diff: %w", err)
	}
	if err := results.ReadRows(newPath, d.AddNew); err != nil {
		return nil, fmt.Errorf("diff: %w", err)
	}
	res, err := d.Result()
	if err != nil {
		return nil, fmt.Errorf("diff: %w", err)
	}
	return res, nil
}

// WriteText writes the drifts as a table in the spirit of benchstat: a
// change that is not significant reads "~".
func (r *DiffResult) WriteText(w io.Writer) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "parity diff: run %s -> run %s, %g%% intervals, not adjusted for the %d comparisons\n\n",
		orUnknown(r.OldRun), orUnknown(r.NewRun), 100*(1-r.Alpha), len(r.Drifts))
	header := []string{"provider", "suite", "old", "new", ciHeader(r.Alpha), "delta", "test"}
	rows := make([][]string, len(r.Drifts))
	for i := range r.Drifts {
		dr := &r.Drifts[i]
		s := dr.Score
		rows[i] = []string{dr.Provider, dr.Suite, format.Score(float64(s.Baseline)), format.Score(float64(s.Candidate)),
			fmtDiffCI(s), fmtDelta(s, dr.Cases), dr.test()}
	}
	writeTextTable(bw, header, rows)
	writeTextList(bw, "warnings", r.Warnings)
	return bw.Flush()
}

// WriteJSON writes the drifts as indented JSON.
func (r *DiffResult) WriteJSON(w io.Writer) error { return writeJSON(w, r) }

// orUnknown returns s, or "?" when it is empty.
func orUnknown(s string) string {
	if s == "" {
		return "?"
	}
	return s
}
