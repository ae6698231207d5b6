package resume

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/parity-eval/parity/judges"
	"github.com/parity-eval/parity/results"
	"github.com/parity-eval/parity/runner"
	"github.com/parity-eval/parity/suites"
)

// Journaled is what an interrupted attempt finished. A nil *Journaled
// holds nothing: a run that starts afresh.
type Journaled struct {
	done      map[runner.Key]bool
	baselines []*runner.Result
}

// Skip reports whether k's result was journaled, so that its request is
// not sent again; it is runner.Skip's argument.
func (j *Journaled) Skip(k runner.Key) bool { return j != nil && j.done[k] }

// Len is the number of results journaled, each counted once.
func (j *Journaled) Len() int {
	if j == nil {
		return 0
	}
	return len(j.done)
}

// Baselines are the baseline's successful journaled results, which the
// results still to come compare with.
func (j *Journaled) Baselines() []*runner.Result {
	if j == nil {
		return nil
	}
	return j.baselines
}

// Pending reports whether dir holds the journal of a run that has not
// finished.
func Pending(dir string) (bool, error) {
	_, err := os.Stat(filepath.Join(dir, results.JournalFile))
	switch {
	case err == nil:
		return true, nil
	case errors.Is(err, fs.ErrNotExist):
		return false, nil
	}
	return false, err
}

// Replay reads the journal in dir and hands each result it holds to add
// (a report writer's Replay), in order, a row journaled twice once: the
// journaled row and the result restored from it. The
// rows must name suites, cases and providers of cfg and ss. No journal
// is no error: nothing was journaled.
func Replay(dir string, cfg *suites.Config, ss []*suites.Suite, add func(results.Row, *judges.Scored) error) (*Journaled, error) {
	j := &Journaled{done: map[runner.Key]bool{}}
	ix, err := results.NewIndex(cfg, ss)
	if err != nil {
		return nil, fmt.Errorf("resume: %w", err)
	}
	err = results.ReadJournal(filepath.Join(dir, results.JournalFile), func(row results.Row) error {
		k := runner.Key{Suite: row.Suite, Case: row.CaseID, Provider: row.Provider, Repeat: int(row.Repeat)}
		if j.done[k] {
			return nil // a row journaled twice counts once
		}
		s, err := ix.Restore(row)
		if err != nil {
			return err
		}
		j.done[k] = true
		if row.Provider == cfg.Baseline && !s.Failed() {
			j.baselines = append(j.baselines, s.Result)
		}
		return add(row, s)
	})
	if errors.Is(err, fs.ErrNotExist) {
		return j, nil
	}
	return j, err
}
