package report

import (
	"bufio"
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
	flat     results.Flattener
	summary  *Summary
	evidence *routing.Evidence
	html     *HTMLReport
	journal  *results.Journal
	closed   bool

	useJournal bool
	gateOpts   *gate.Options
	gate       *gate.Result
	// through, when set, stands between each file and its writes (tests).
	through func(name string, w io.Writer) io.Writer
	// failed is the first write that failed: nothing more goes to the
	// file that failed, and the run is not complete.
	failed error
	// suites are the suites rows came from, in the order first seen:
	// results.parquet's manifest describes them.
	suites     []*suites.Suite
	suiteNames map[string]bool
	// started is when the run began, for the manifest; nil when unknown.
	started *time.Time
	// fingerprint and shard go into the manifest (WithWork).
	fingerprint string
	shard       *results.ManifestShard
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

// WithStarted records when the run began in results.parquet's manifest
// (results.Manifest.Started): its day is the run's date in a history.
func WithStarted(t time.Time) Option {
	return func(w *Writer) { t = t.UTC(); w.started = &t }
}

// WithJournal journals every added row to journal.jsonl in the directory
// (see Journal), appending to what is there: a run killed at any moment can
// be resumed from it. Close removes the journal when the run is complete.
func WithJournal() Option { return func(w *Writer) { w.useJournal = true } }

// WithWritesThrough sends every write to results.parquet and the journal
// through wrap(name, file), name being results.FileName or
// results.JournalFile: tests use it to fail them as a full disk does.
func WithWritesThrough(wrap func(name string, w io.Writer) io.Writer) Option {
	return func(w *Writer) { w.through = wrap }
}

// WithWork records in results.parquet's manifest the fingerprint of the
// run's work and, when shard is not nil, which shard of it the file holds
// (its Planned is filled in at Close from SetPlanned).
func WithWork(fingerprint string, shard *results.ManifestShard) Option {
	return func(w *Writer) { w.fingerprint, w.shard = fingerprint, shard }
}

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
	w.summary.Configure(cfg)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("report: %w", err)
	}
	f, err := os.Create(w.path(results.FileName) + partialSuffix)
	if err != nil {
		return nil, fmt.Errorf("report: %w", err)
	}
	w.file, w.parquet = f, results.NewWriter(w.wrap(results.FileName, f))
	if w.useJournal {
		if w.journal, err = results.OpenJournal(w.path(results.JournalFile)); err != nil {
			f.Close()
			return nil, err
		}
		w.journal.Through(func(f io.Writer) io.Writer { return w.wrap(results.JournalFile, f) })
	}
	return w, nil
}

// wrap puts the writer's WithWritesThrough in front of the file name.
func (w *Writer) wrap(name string, f io.Writer) io.Writer {
	if w.through == nil {
		return f
	}
	return w.through(name, f)
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
// in the summary and the report, its texts capped at results.MaxCellBytes
// in all of them. A returned error is an I/O failure: the row is still
// counted in the summary, the run will not be complete, and the caller
// should stop sending, since what comes back can no longer be kept.
func (w *Writer) Add(s *judges.Scored) error { return w.add(s, false, journalWrite) }

// AddHeld is Add for a row another is already waiting behind (in the
// caller's channel): its journal line is held (results.Journal.Hold) to
// reach the file with the next Add's, so that rows arriving together take
// one write. The caller must Add, or Close, after it.
func (w *Writer) AddHeld(s *judges.Scored) error { return w.add(s, false, journalHold) }

// How add journals a row.
const (
	journalNone  = iota // replayed: it is in the journal already
	journalWrite        // written with the rows held before it
	journalHold         // held for the next written one
)

// Replay adds a row restored from the journal of an earlier, interrupted
// attempt at this run: like Add, but it is not journaled again. row is
// the journaled row and s what results.Index.Restore rebuilt from it; the
// row's truncated flag is kept.
func (w *Writer) Replay(row results.Row, s *judges.Scored) error {
	return w.add(s, row.Truncated, journalNone)
}

func (w *Writer) add(s *judges.Scored, truncated bool, journal int) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.closed {
		return results.ErrClosed
	}
	s, cut := results.Cap(s)
	row, err := w.row(s)
	row.Truncated = cut || truncated
	err = errors.Join(err, w.parquet.AddRow(&row))
	switch {
	case w.journal == nil || journal == journalNone:
	case journal == journalHold:
		err = errors.Join(err, w.journal.Hold(&row))
	default:
		err = errors.Join(err, w.journal.Add(&row))
	}
	if err != nil && w.failed == nil {
		w.failed = err
	}
	return err
}

// row records a result in the summary, the routing evidence and the
// report and flattens it, saving its image if it has one.
func (w *Writer) row(s *judges.Scored) (results.Row, error) {
	if s.Result != nil && s.Result.Suite != nil && !w.suiteNames[s.Result.Suite.Name] {
		st := s.Result.Suite
		if w.suiteNames == nil {
			w.suiteNames = map[string]bool{}
		}
		w.suiteNames[st.Name] = true
		w.suites = append(w.suites, st)
	}
	w.summary.Add(s)
	w.evidence.AddScored(s)
	w.html.Add(s)
	row := w.flat.Row(s)
	img, err := w.saveImage(s)
	row.Image = img
	return row, err
}

// Close finishes results.parquet and writes rules.yaml, report.html and
// the gate's files, then summary.json. It writes every file it can and
// returns every error, the first an Add met included. When any output
// failed, now or in an Add,
// summary.json says complete: false with the first failure in
// write_error, the journal is kept for --resume, and results.parquet is
// not put in place (its partial file is removed).
func (w *Writer) Close() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.closed {
		return nil
	}
	w.closed = true
	at := w.clock()
	rules := routing.Build(w.evidence, w.cfg.Providers, w.cfg.Routing, at, routing.WithBaseline(w.cfg.Baseline))
	parquetErr := w.closeParquet()
	journalErr := w.closeJournal()
	var gateErr error
	if parquetErr == nil {
		gateErr = w.runGate()
	}
	if w.failed != nil && errors.Is(w.failed, parquetErr) {
		parquetErr = nil // the failure of an Add, said once
	}
	err := errors.Join(
		w.failed,
		parquetErr,
		journalErr,
		gateErr,
		writeFile(w.path(RulesFile), rules.WriteYAML),
		writeFile(w.path(ReportFile), func(out io.Writer) error {
			return w.html.Write(out, w.summary, rules, at)
		}),
	)
	w.summary.SetWriteError(err)
	err = errors.Join(err, writeFile(w.path(SummaryFile), w.summary.WriteJSON))
	if err == nil && w.summary.Complete() && w.journal != nil {
		err = os.Remove(w.path(results.JournalFile)) // the outputs hold all it held
	}
	return err
}

// closeJournal syncs and closes the journal; it is removed only once
// every output is written.
func (w *Writer) closeJournal() error {
	if w.journal == nil {
		return nil
	}
	return w.journal.Close()
}

// closeParquet writes the footer, closes the file and renames it into
// place; a file whose writes failed is removed instead.
func (w *Writer) closeParquet() error {
	m := results.NewManifest(w.summary.RunID(), w.cfg, w.suites)
	m.Sequential = w.gateOpts != nil && w.gateOpts.Sequential != nil
	m.Started = w.started
	m.Fingerprint = w.fingerprint
	if w.shard != nil {
		sh := *w.shard
		sh.Planned = int(w.summary.Planned())
		m.Shard = &sh
	}
	err := errors.Join(w.parquet.SetManifest(m),
		w.parquet.Close(), w.file.Sync(), w.file.Close())
	if err == nil && w.failed == nil {
		return os.Rename(w.file.Name(), w.path(results.FileName))
	}
	os.Remove(w.file.Name())
	return err
}

// writeFile renders into a temporary file beside path, through a buffer,
// and renames it into place, so a reader never sees half a file.
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
	// Buffered: the templates write report.html a few bytes at a time,
	// which unbuffered took a system call each.
	bw := bufio.NewWriterSize(f, 64<<10)
	if err := errors.Join(render(bw), bw.Flush()); err != nil {
		f.Close()
		return fmt.Errorf("report: writing %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("report: %w", err)
	}
	return os.Rename(f.Name(), path)
}
