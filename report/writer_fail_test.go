package report

import (
	"bufio"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/parquet-go/parquet-go"

	"github.com/parity-eval/parity/internal/testkit"
	"github.com/parity-eval/parity/judges"
	"github.com/parity-eval/parity/results"
)

// fullDisk fails every write of the files it names, as a full disk does.
func fullDisk(names ...string) Option {
	return WithWritesThrough(func(name string, w io.Writer) io.Writer {
		for _, n := range names {
			if n == name {
				return failing{}
			}
		}
		return w
	})
}

type failing struct{}

func (failing) Write([]byte) (int, error) { return 0, errors.New("no space left on device") }

// TestWriterWriteFails: when results.parquet or the journal cannot be
// written, Close says so, summary.json says complete: false and why, the
// journal is kept for --resume, and no results.parquet (nor its partial
// file) is left to be mistaken for the run's results.
func TestWriterWriteFails(t *testing.T) {
	t.Parallel()
	for _, name := range []string{results.FileName, results.JournalFile} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			w, err := NewWriter(dir, testkit.Config(), "run-full", WithJournal(), fullDisk(name))
			if err != nil {
				t.Fatal(err)
			}
			w.SetPlanned(50)
			gen := testkit.GenRows()
			failed := 0
			for i := range 50 {
				if w.Add(gen(i)) != nil {
					failed++
				}
			}
			if name == results.JournalFile && failed != 50 {
				t.Errorf("%d of 50 Adds failed with the journal on a full disk, want all", failed)
			}
			if err := w.Close(); err == nil || !strings.Contains(err.Error(), "no space left on device") {
				t.Errorf("Close = %v, want the write error", err)
			}
			var sum struct {
				Complete   bool   `json:"complete"`
				WriteError string `json:"write_error"`
			}
			readJSON(t, filepath.Join(dir, SummaryFile), &sum)
			if sum.Complete || !strings.Contains(sum.WriteError, "no space left on device") {
				t.Errorf("summary.json: %+v, want complete false and the error", sum)
			}
			if _, err := os.Stat(filepath.Join(dir, results.JournalFile)); err != nil {
				t.Errorf("the journal was not kept: %v", err)
			}
			for _, f := range []string{results.FileName, results.FileName + partialSuffix} {
				if name == results.FileName {
					if _, err := os.Stat(filepath.Join(dir, f)); err == nil {
						t.Errorf("%s left beside a failed run", f)
					}
				}
			}
		})
	}
}

// TestWriterCapsTexts: a 3 MiB answer is stored capped, flagged, in
// results.parquet, the journal and the report alike.
func TestWriterCapsTexts(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	w, err := NewWriter(dir, testkit.Config(), "run-long", WithJournal())
	if err != nil {
		t.Fatal(err)
	}
	w.SetPlanned(2) // one row short: the journal stays to be read
	s := testkit.Scored(testkit.Extract, testkit.Case("c1", nil), testkit.Frontier, 0)
	s.Result.Output = strings.Repeat("<b>x</b>", 3*results.MaxCellBytes/8)
	if err := w.Add(s); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	rows, err := parquet.ReadFile[results.Row](filepath.Join(dir, results.FileName))
	if err != nil || len(rows) != 1 || !rows[0].Truncated || len(rows[0].Output) != results.MaxCellBytes {
		t.Fatalf("results.parquet: %d rows, %v", len(rows), err)
	}
	var journaled []results.Row
	if err := results.ReadJournal(filepath.Join(dir, results.JournalFile), func(r results.Row) error {
		journaled = append(journaled, r)
		return nil
	}); err != nil || len(journaled) != 1 || !journaled[0].Truncated || journaled[0].Output != rows[0].Output {
		t.Errorf("journal: %d rows, %v: want the capped row, flagged", len(journaled), err)
	}
	if fi, err := os.Stat(filepath.Join(dir, ReportFile)); err != nil || fi.Size() > 2*results.MaxCellBytes*6 {
		t.Errorf("report.html: %v, %d bytes", err, fi.Size())
	}
}

// TestWriterAddHeld: rows added held are in results.parquet and the
// summary at once, and in the journal with the next Add's line, or
// Close's; a replayed row is not journaled again.
func TestWriterAddHeld(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	w, err := NewWriter(dir, testkit.Config(), "run-held", WithJournal())
	if err != nil {
		t.Fatal(err)
	}
	w.SetPlanned(5) // one row short: the journal stays to be read
	journaled := func() (ids []string) {
		if err := results.ReadJournal(filepath.Join(dir, results.JournalFile), func(r results.Row) error {
			ids = append(ids, r.CaseID)
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		return ids
	}
	scored := func(id string) *judges.Scored {
		return testkit.Scored(testkit.Extract, testkit.Case(id, nil), testkit.Frontier, 1)
	}
	for _, id := range []string{"a", "b"} {
		if err := w.AddHeld(scored(id)); err != nil {
			t.Fatal(err)
		}
	}
	if got := journaled(); len(got) != 0 || w.Summary().Done() != 2 {
		t.Fatalf("held: journal %v, summary %d rows", got, w.Summary().Done())
	}
	if err := w.Add(scored("c")); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(journaled(), ","); got != "a,b,c" {
		t.Fatalf("after Add: journal %s, want a,b,c", got)
	}
	if err := w.AddHeld(scored("d")); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(journaled(), ","); got != "a,b,c,d" {
		t.Errorf("after Close: journal %s, want a,b,c,d", got)
	}
}

// TestWriteFileBuffers: an output is rendered through a buffer (the
// report's templates write a few bytes at a time), flushed whole into
// place; a render that fails leaves no file, nor does a flush that
// fails.
func TestWriteFileBuffers(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), ReportFile)
	if err := writeFile(path, func(out io.Writer) error {
		if _, ok := out.(*bufio.Writer); !ok {
			t.Errorf("rendering into a %T, not a buffer", out)
		}
		for range 100_000 {
			if _, err := io.WriteString(out, "<td>"); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if b, err := os.ReadFile(path); err != nil || string(b) != strings.Repeat("<td>", 100_000) {
		t.Fatalf("%d bytes, %v", len(b), err)
	}
	failed := filepath.Join(t.TempDir(), ReportFile)
	if err := writeFile(failed, func(io.Writer) error { return errors.New("template failed") }); err == nil {
		t.Error("a failed render was written")
	}
	if entries, _ := os.ReadDir(filepath.Dir(failed)); len(entries) != 0 {
		t.Errorf("a failed render left %v", entries)
	}
}
