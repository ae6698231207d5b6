package results

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/parity-eval/parity/internal/testkit"
	"github.com/parity-eval/parity/judges"
	"github.com/parity-eval/parity/runner"
)

// TestCap: each text a row stores keeps at most its share of
// MaxCellBytes, cut on a UTF-8 boundary, and the flag says so; the JSON
// cells stay JSON; the scored result passed in is not changed.
func TestCap(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("é", MaxCellBytes) // 2 bytes a rune: cut mid-rune
	tests := []struct {
		name string
		set  func(s *judges.Scored)
		cut  bool
	}{
		// Short texts are kept as they are.
		{"short", func(s *judges.Scored) { s.Result.Output = "fine" }, false},
		// Exactly the cap is not cut.
		{"at the cap", func(s *judges.Scored) { s.Result.Output = strings.Repeat("x", MaxCellBytes) }, false},
		{"output", func(s *judges.Scored) { s.Result.Output = long }, true},
		{"error", func(s *judges.Scored) { s.Result.Error = long }, true},
		{"finish reason", func(s *judges.Scored) { s.Result.FinishReason = long }, true},
		{"judge reason", func(s *judges.Scored) { s.JudgeReason = long }, true},
		{"check detail", func(s *judges.Scored) { s.Checks[0].Detail = long }, true},
		{"tool arguments", func(s *judges.Scored) { s.Result.ToolCalls = []runner.ToolCall{{Name: "f", Arguments: long}} }, true},
		// Too many tool calls: the first MaxToolCalls are kept.
		{"tool calls", func(s *judges.Scored) {
			s.Result.ToolCalls = make([]runner.ToolCall, MaxToolCalls+1)
		}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := testkit.Scored(testkit.Extract, testkit.Case("c1", nil), testkit.Frontier, 1)
			tt.set(s)
			before := *s.Result
			row := NewRow(s)
			if row.Truncated != tt.cut {
				t.Errorf("truncated %v, want %v", row.Truncated, tt.cut)
			}
			for name, v := range map[string]string{"output": row.Output, "error": row.Error, "finish_reason": row.FinishReason,
				"judge_reason": row.JudgeReason, "checks": row.Checks, "tool_calls": row.ToolCalls} {
				if len(v) > MaxCellBytes+64<<10 || !utf8.ValidString(v) {
					t.Errorf("%s: %d bytes, valid UTF-8 %v", name, len(v), utf8.ValidString(v))
				}
			}
			if !json.Valid([]byte(row.Checks)) || (row.ToolCalls != "" && !json.Valid([]byte(row.ToolCalls))) {
				t.Error("a JSON cell is no longer JSON")
			}
			if s.Result.Output != before.Output || s.Result.Error != before.Error || len(s.Result.ToolCalls) != len(before.ToolCalls) {
				t.Error("Cap changed the result it was given")
			}
		})
	}
}

// TestLongRowsFlushRowGroups: rows of long texts go out in row groups of
// about RowGroupBytes, not RowsPerRowGroup rows, and read back whole.
func TestLongRowsFlushRowGroups(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), FileName)
	out, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer out.Close()
	w := NewWriter(out)
	const n = 150 // 300 MiB of answers, 150 MiB kept
	for i := range n {
		s := testkit.Scored(testkit.Extract, testkit.Case("c1", nil), testkit.Frontier, 1)
		s.Result.Repeat = i
		s.Result.Output = strings.Repeat("x", 2*MaxCellBytes)
		if err := w.Add(s); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	f := openParquet(t, b)
	if groups, want := len(f.RowGroups()), n*MaxCellBytes/RowGroupBytes; groups < want {
		t.Errorf("%d row groups, want at least %d", groups, want)
	}
	rows := 0
	if err := ReadRows(path, func(r *Row) error {
		rows++
		if !r.Truncated || len(r.Output) != MaxCellBytes {
			t.Fatalf("row %d: truncated %v, %d bytes", rows, r.Truncated, len(r.Output))
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if rows != n {
		t.Errorf("%d rows read back, want %d", rows, n)
	}
}

// TestJournalStopsAtFirstFailure: after a failed write the journal
// writes nothing more, so no damaged line can sit between good ones.
func TestJournalStopsAtFirstFailure(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), JournalFile)
	j, err := OpenJournal(path)
	if err != nil {
		t.Fatal(err)
	}
	fw := &failAfter{n: 2}
	j.Through(func(f io.Writer) io.Writer { fw.w = f; return fw })
	row := NewRow(testkit.Scored(testkit.Extract, testkit.Case("c1", nil), testkit.Frontier, 1))
	for i := range 5 {
		err := j.Add(&row)
		if (err != nil) != (i >= 2) {
			t.Errorf("Add %d: %v", i, err)
		}
	}
	if err := j.Close(); err != nil {
		t.Fatal(err)
	}
	if fw.calls != 3 {
		t.Errorf("%d writes reached the file's writer, want 3 (2 good, 1 failed)", fw.calls)
	}
	lines := 0
	if err := ReadJournal(path, func(Row) error { lines++; return nil }); err != nil || lines != 2 {
		t.Errorf("ReadJournal: %d rows, %v; want 2", lines, err)
	}
}

// failAfter passes n writes to w, then fails every one.
type failAfter struct {
	w        io.Writer
	n, calls int
}

func (f *failAfter) Write(p []byte) (int, error) {
	if f.calls++; f.calls > f.n {
		return 0, errors.New("no space left on device")
	}
	return f.w.Write(p)
}

// TestJournalHold: held rows reach the file only with the next Add, all
// in one write and in order; Close writes what is still held; a row held
// past journalHoldBytes, or past journalHoldRows rows, is written at
// once; and a failed write of held rows fails the Add that made it and
// every later one.
func TestJournalHold(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), JournalFile)
	j, err := OpenJournal(path)
	if err != nil {
		t.Fatal(err)
	}
	fw := &failAfter{n: 1 << 30}
	j.Through(func(f io.Writer) io.Writer { fw.w = f; return fw })
	row := func(id string) *Row {
		r := NewRow(testkit.Scored(testkit.Extract, testkit.Case(id, nil), testkit.Frontier, 1))
		return &r
	}
	ids := func() (out []string) {
		if err := ReadJournal(path, func(r Row) error { out = append(out, r.CaseID); return nil }); err != nil {
			t.Fatal(err)
		}
		return out
	}
	for _, id := range []string{"a", "b"} {
		if err := j.Hold(row(id)); err != nil {
			t.Fatal(err)
		}
	}
	if got := ids(); len(got) != 0 || fw.calls != 0 {
		t.Fatalf("held rows reached the file: %v, %d writes", got, fw.calls)
	}
	if err := j.Add(row("c")); err != nil {
		t.Fatal(err)
	}
	if got := ids(); strings.Join(got, ",") != "a,b,c" || fw.calls != 1 {
		t.Fatalf("after Add: rows %v in %d writes, want a,b,c in 1", got, fw.calls)
	}
	for i := range journalHoldRows + 1 {
		if err := j.Hold(row(fmt.Sprint("h", i))); err != nil {
			t.Fatal(err)
		}
		if want := 1 + (i+1)/(journalHoldRows+1); fw.calls != want {
			t.Fatalf("after %d held rows: %d writes, want %d", i+1, fw.calls, want)
		}
	}
	if got := ids(); len(got) != 3+journalHoldRows+1 {
		t.Fatalf("the row past journalHoldRows did not write them: %d rows", len(got))
	}
	fw.calls = 1
	first := "a,b,c"
	for i := range journalHoldRows + 1 {
		first += fmt.Sprint(",h", i)
	}
	big := row("big")
	big.Output = strings.Repeat("x", journalHoldBytes)
	if err := j.Hold(big); err != nil || fw.calls != 2 {
		t.Fatalf("a row past the bound was held: %v, %d writes", err, fw.calls)
	}
	if err := j.Hold(row("d")); err != nil {
		t.Fatal(err)
	}
	fw.n = fw.calls // the next write fails
	if err := j.Add(row("e")); err == nil {
		t.Fatal("a failed write of held rows did not fail the Add")
	}
	if err := j.Hold(row("f")); err == nil {
		t.Fatal("the journal took a row after a failed write")
	}
	if err := j.Close(); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(ids(), ","); got != first+",big" {
		t.Errorf("rows %s, want %s,big", got, first)
	}

	// Close writes what is held.
	j, err = OpenJournal(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := j.Hold(row("g")); err != nil {
		t.Fatal(err)
	}
	if err := j.Close(); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(ids(), ","); got != first+",big,g" {
		t.Errorf("after Close: rows %s, want %s,big,g", got, first)
	}
}
