package results

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"time"

	"github.com/parity-eval/parity/judges"
	"github.com/parity-eval/parity/runner"
	"github.com/parity-eval/parity/suites"

	segjson "github.com/segmentio/encoding/json"
)

// JournalFile is the crash journal a Writer keeps beside its outputs.
const JournalFile = "journal.jsonl"

// Journal appends every finished row to a file as one JSON line, so that a
// run killed at any moment loses nothing that finished: each line reaches
// the operating system as it is added (it survives kill -9), but for
// those Hold keeps back for the next Add, and the file is fsynced every
// journalSyncRows rows or journalSyncEvery, whichever comes first (it
// survives a power cut but for that last batch).
//
// Once a write fails, the journal writes nothing more (a line cut short
// may end it, which ReadJournal ignores) and every later Add returns the
// error.
type Journal struct {
	f   *os.File
	w   io.Writer // f, or what Through put in front of it
	err error
	// buf holds the lines not yet written: those held and the one being
	// added. enc encodes into it, and row is the row being encoded: a copy
	// the encoder is given a pointer to, so that the caller's row is not
	// moved to the heap to fit in its interface.
	buf bytes.Buffer
	// held counts the lines in buf that Hold kept back.
	held     int
	enc      *segjson.Encoder
	row      Row
	unsynced int
	synced   time.Time
}

const (
	journalSyncRows  = 256
	journalSyncEvery = time.Second
	// journalHoldBytes and journalHoldRows bound the lines Hold keeps
	// back: a kill -9 loses at most journalHoldRows rows more than those
	// still on their way to the journal (up to a channel's 64), which a
	// resumed run sends again. 16 rows take most of the saving: one write
	// for 16 lines instead of 16.
	journalHoldBytes = 64 << 10
	journalHoldRows  = 16
)

// OpenJournal opens the journal at path for appending, creating it.
func OpenJournal(path string) (*Journal, error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("journal: %w", err)
	}
	j := &Journal{f: f, w: f, synced: time.Now()}
	j.enc = segjson.NewEncoder(&j.buf)
	return j, nil
}

// Through sends the journal's writes through wrap(file) rather than to the
// file: tests use it to make them fail as on a full disk.
func (j *Journal) Through(wrap func(io.Writer) io.Writer) { j.w = wrap(j.f) }

// Add appends one row: its line, and those held before it, reach the
// operating system in one write.
func (j *Journal) Add(r *Row) error { return j.add(r, false) }

// Hold appends one row whose line waits for the next Add (or Close),
// unless journalHoldRows rows or journalHoldBytes are already held: for a
// row another is already
// waiting behind (as exposed to a kill -9 as this one, since nothing has
// journaled it), so that rows arriving together reach the operating
// system in one write instead of one each.
func (j *Journal) Hold(r *Row) error { return j.add(r, true) }

func (j *Journal) add(r *Row, hold bool) error {
	if j.err != nil {
		return j.err
	}
	j.row = *r
	err := j.enc.Encode(&j.row) // all of the line, or nothing
	j.row = Row{}               // drop references to the row's strings
	if err != nil {
		return fmt.Errorf("journal: %w", err)
	}
	j.unsynced++
	if hold && j.held < journalHoldRows && j.buf.Len() < journalHoldBytes {
		j.held++
		return nil
	}
	return j.flush()
}

// flush writes the lines not yet written, and syncs when it is due.
func (j *Journal) flush() error {
	if j.buf.Len() > 0 {
		_, err := j.w.Write(j.buf.Bytes())
		j.buf.Reset()
		j.held = 0
		if err != nil {
			j.err = fmt.Errorf("journal: %w", err)
			return j.err
		}
	}
	if j.unsynced >= journalSyncRows || time.Since(j.synced) >= journalSyncEvery {
		return j.sync()
	}
	return nil
}

func (j *Journal) sync() error {
	j.unsynced, j.synced = 0, time.Now()
	if err := j.f.Sync(); err != nil {
		return fmt.Errorf("journal: %w", err)
	}
	return nil
}

// Close writes the lines held (unless a write failed), syncs and closes
// the journal.
func (j *Journal) Close() error {
	var err error
	if j.err == nil {
		err = j.flush()
	}
	return errors.Join(err, j.sync(), j.f.Close())
}

// ReadJournal calls fn with every row of the journal at path, in order. A
// last line cut short by a crash is ignored; a damaged line elsewhere is an
// error naming it.
func ReadJournal(path string, fn func(Row) error) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("journal: %w", err)
	}
	defer f.Close()
	r := bufio.NewReaderSize(f, 1<<16)
	for n := 1; ; n++ {
		line, err := r.ReadBytes('\n')
		if errors.Is(err, io.EOF) {
			return nil // a line without its newline was cut by a crash
		}
		if err != nil {
			return fmt.Errorf("journal %s: %w", path, err)
		}
		var row Row
		if err := json.Unmarshal(line, &row); err != nil {
			return fmt.Errorf("%s:%d: damaged journal line: %v", path, n, err)
		}
		if err := fn(row); err != nil {
			return err
		}
	}
}

// Index finds a run's suites, cases and providers by name, to restore
// journaled rows.
type Index struct {
	suites map[string]*suites.Suite
	// loaded finds a loaded suite's cases by id, read again when a row
	// restores one; learnt holds the cases learnt from rows (Learn).
	loaded    map[string]*suites.CaseIndex
	learnt    map[[2]string]*suites.Case
	providers map[string]*suites.Provider
}

// NewIndex indexes a run's inputs: a hash of every case's id, not the
// case nor the id (a case a row names is read again when the row is
// restored). It fails when a case cannot be read again.
func NewIndex(cfg *suites.Config, ss []*suites.Suite) (*Index, error) {
	ix := &Index{suites: map[string]*suites.Suite{}, loaded: map[string]*suites.CaseIndex{}, providers: map[string]*suites.Provider{}}
	for _, s := range ss {
		ix.suites[s.Name] = s
		cases, err := s.Cases.Index()
		if err != nil {
			return nil, fmt.Errorf("suite %s: %w", s.Name, err)
		}
		ix.loaded[s.Name] = cases
	}
	for _, p := range cfg.Providers {
		ix.providers[p.ID] = p
	}
	return ix, nil
}

// caseOf returns the case of suite and id, nil when the index has none.
// It is not safe for concurrent use.
func (ix *Index) caseOf(suite, id string) (*suites.Case, error) {
	if cases := ix.loaded[suite]; cases != nil {
		return cases.Find(id)
	}
	return ix.learnt[[2]string{suite, id}], nil
}

// Restore rebuilds the scored result a row was made from, pointing at the
// run's loaded suite, case and provider. It fails when the row names one
// the run does not have, or its case cannot be read again.
func (ix *Index) Restore(r Row) (*judges.Scored, error) {
	c, err := ix.caseOf(r.Suite, r.CaseID)
	if err != nil {
		return nil, fmt.Errorf("journaled result %s/%s/%s: %w", r.Suite, r.CaseID, r.Provider, err)
	}
	s, p := ix.suites[r.Suite], ix.providers[r.Provider]
	if s == nil || c == nil || p == nil {
		return nil, fmt.Errorf("journaled result %s/%s/%s is not part of this run", r.Suite, r.CaseID, r.Provider)
	}
	res := &runner.Result{
		RunID: r.RunID, Suite: s, Case: c, Provider: p, Repeat: int(r.Repeat),
		Output: r.Output, FinishReason: r.FinishReason, ErrorClass: r.ErrorClass, Error: r.Error,
		Latency: fromMillis(r.LatencyMS), TTFT: fromMillis(r.TTFTMS),
		InputTokens: int(r.InputTokens), OutputTokens: int(r.OutputTokens), CostUSD: r.CostUSD, UsageEstimated: r.UsageEstimated,
		Attempts: int(r.Attempts), Cached: r.Cached,
	}
	if r.StartedAt != nil {
		res.Started = *r.StartedAt
	}
	if r.ToolCalls != "" {
		if err := json.Unmarshal([]byte(r.ToolCalls), &res.ToolCalls); err != nil {
			return nil, fmt.Errorf("journaled result %s/%s/%s: tool calls: %w", r.Suite, r.CaseID, r.Provider, err)
		}
	}
	sc := &judges.Scored{
		Result: res, Similarity: r.Similarity, JSONValid: r.JSONValid, JudgeScore: r.JudgeScore,
		JudgeReason: r.JudgeReason, Score: r.Score, Pass: r.Pass, ScoringCostUSD: r.ScoringCostUSD,
		JSONNative: r.JSONNative, ToolRight: r.ToolRight, ArgsValid: r.ToolArgsValid, ArgsRight: r.ToolArgsRight,
	}
	res.Image = r.Image // the saved file's path
	if err := json.Unmarshal([]byte(r.Checks), &sc.Checks); err != nil {
		return nil, fmt.Errorf("journaled result %s/%s/%s: checks: %w", r.Suite, r.CaseID, r.Provider, err)
	}
	return sc, nil
}

func fromMillis(ms float64) time.Duration {
	// Rounded, not truncated: millis(d) and back gives d exactly for any
	// duration a request takes.
	return time.Duration(math.Round(ms * float64(time.Millisecond)))
}
