package report

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/parity-eval/parity/gate"
	"github.com/parity-eval/parity/results"
	"github.com/parity-eval/parity/routing"

	"github.com/parity-eval/parity/judges"
	"github.com/parity-eval/parity/suites"
)

// The files a Writer writes in its directory.
const (
	SummaryFile = "summary.json"
	ReportFile  = "report.html"
	RulesFile   = "rules.yaml"
)

// Files are the names of every file and directory a Writer may leave in
// its directory, the journal, the gate's files, the saved images and the
// results still being written included: what a new run into the
// directory replaces.
func Files() []string {
	return []string{results.FileName, results.FileName + partialSuffix, results.JournalFile, SummaryFile, ReportFile, RulesFile,
		GateJSONFile, GateJUnitFile, GateMarkdownFile, ImagesDir}
}

// Writer writes every output of a run into one directory: results.parquet
// streamed as rows arrive, then summary.json, rules.yaml and report.html
// at Close. Its memory does not grow with the number of rows. It is safe
// for concurrent use.
type Writer struct {
	dir   string
	cfg   *suites.Config
	clock func() time.Time

	mu       sync.Mutex
	file     *os.File
	parquet  *results.Writer
	summary  *Summary
	evidence *routing.Evidence
	html     *HTMLReport
	journal  *results.Journal
	closed   bool

	useJournal bool
	gateOpts   *gate.Options
	gate       *gate.Result
}

// Option configures a Writer.
type Option func(*Writer)

// WithClock sets the clock that stamps rules.yaml and report.html
// (default time.Now); tests fix it to get byte-stable outputs.
func WithClock(now func() time.Time) Option { return func(w *Writer) { w.clock = now } }

// WithSample sets the HTML drill-down's limits: at most maxCases cases
// (those with a failing row first) and samplePerSuite more cases of each
// suite (defaults DefaultMaxCases and DefaultSamplePerSuite).
func WithSample(maxCases, samplePerSuite int) Option {
	return func(w *Writer) { w.html = NewHTMLReport(maxCases, samplePerSuite) }
}

// WithJournal journals every added row to journal.jsonl in the directory
// (see Journal), appending to what is there: a run killed at any moment can
// be resumed from it. Close removes the journal when the run is complete.
func WithJournal() Option { return func(w *Writer) { w.useJournal = true } }

// NewWriter creates dir (and its parents) and starts results.parquet in it.
// The file is written as results.parquet.partial and renamed at Close,
// once its footer makes it readable.
func NewWriter(dir string, cfg *suites.Config, runID string, opts ...Option) (*Writer, error) {
	if cfg == nil {
		cfg = &suites.Config{}
	}
	w := &Writer{dir: dir, cfg: cfg, clock: time.Now, summary: NewSummary(runID), evidence: routing.NewEvidence(),
		html: NewHTMLReport(DefaultMaxCases, DefaultSamplePerSuite)}
	for _, o := range opts {
		o(w)
	}
	w.html.Configure(cfg)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("report: %w", err)
	}
	f, err := os.Create(w.path(results.FileName) + partialSuffix)
	if err != nil {
		return nil, fmt.Errorf("report: %w", err)
	}
	w.file, w.parquet = f, results.NewWriter(f)
	if w.useJournal {
		if w.journal, err = results.OpenJournal(w.path(results.JournalFile)); err != nil {
			f.Close()
			return nil, err
		}
	}
	return w, nil
}

// partialSuffix marks a results file that is still being written.
const partialSuffix = ".partial"

// path returns the path of one of the writer's files.
func (w *Writer) path(name string) string { return filepath.Join(w.dir, name) }

// Paths returns the paths of results.parquet, summary.json, report.html and
// rules.yaml, in that order.
func (w *Writer) Paths() []string {
	return []string{w.path(results.FileName), w.path(SummaryFile), w.path(ReportFile), w.path(RulesFile)}
}

// Summary returns the run's summary so far. Read it only once Add calls
// have stopped.
func (w *Writer) Summary() *Summary { return w.summary }

// SetPlanned records how many rows the run planned (see Summary.SetPlanned).
func (w *Writer) SetPlanned(n int) { w.mu.Lock(); w.summary.SetPlanned(n); w.mu.Unlock() }

// SetInterrupted marks the run as stopped before it finished.
func (w *Writer) SetInterrupted() { w.mu.Lock(); w.summary.SetInterrupted(); w.mu.Unlock() }

// Add writes one row to results.parquet and the journal, and records it
// in the summary and the report. A returned error is an I/O failure; the
// row is still counted in the summary.
func (w *Writer) Add(s *judges.Scored) error { return w.add(s, true) }

// Replay adds a row restored from the journal of an earlier, interrupted
// attempt at this run: like Add, but it is not journaled again.
func (w *Writer) Replay(s *judges.Scored) error { return w.add(s, false) }

func (w *Writer) add(s *judges.Scored, journal bool) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.closed {
		return results.ErrClosed
	}
	row, err := w.row(s)
	if err != nil {
		return err
	}
	err = w.parquet.AddRow(&row)
	if journal && w.journal != nil {
		err = errors.Join(err, w.journal.Add(&row))
	}
	return err
}

// row records a result in the summary, the routing evidence and the report and flattens it,
// saving its image if it has one.
func (w *Writer) row(s *judges.Scored) (results.Row, error) {
	w.summary.Add(s)
	w.evidence.AddScored(s)
	w.html.Add(s)
	row := results.NewRow(s)
	img, err := w.saveImage(s)
	row.Image = img
	return row, err
}

// Close finishes results.parquet and writes summary.json, rules.yaml and
// report.html. It writes every file it can and returns every error.
func (w *Writer) Close() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.closed {
		return nil
	}
	w.closed = true
	at := w.clock()
	rules := routing.Build(w.evidence, w.cfg.Providers, w.cfg.Routing, at, routing.WithBaseline(w.cfg.Baseline))
	parquetErr := errors.Join(w.closeJournal(), w.closeParquet())
	var gateErr error
	if parquetErr == nil {
		gateErr = w.runGate()
	}
	return errors.Join(
		parquetErr,
		gateErr,
		writeFile(w.path(SummaryFile), w.summary.WriteJSON),
		writeFile(w.path(RulesFile), rules.WriteYAML),
		writeFile(w.path(ReportFile), func(out io.Writer) error {
			return w.html.Write(out, w.summary, rules, at)
		}),
	)
}

// closeJournal closes the journal, and removes it once the run is
// complete: the outputs then hold everything it held.
func (w *Writer) closeJournal() error {
	if w.journal == nil {
		return nil
	}
	if err := w.journal.Close(); err != nil {
		return err
	}
	if w.summary.Complete() {
		return os.Remove(w.path(results.JournalFile))
	}
	return nil
}

// closeParquet writes the footer, closes the file and renames it into
// place.
func (w *Writer) closeParquet() error {
	err := errors.Join(w.parquet.Close(), w.file.Sync(), w.file.Close())
	if err != nil {
		return err
	}
	return os.Rename(w.file.Name(), w.path(results.FileName))
}

// writeFile renders into a temporary file beside path and renames it into
// place, so a reader never sees half a file.
func writeFile(path string, render func(io.Writer) error) (err error) {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return fmt.Errorf("report: %w", err)
	}
	defer func() {
		if err != nil {
			os.Remove(f.Name())
		}
	}()
	if err := f.Chmod(0o644); err != nil {
		f.Close()
		return fmt.Errorf("report: %w", err)
	}
	if err := render(f); err != nil {
		f.Close()
		return fmt.Errorf("report: writing %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("report: %w", err)
	}
	return os.Rename(f.Name(), path)
}
