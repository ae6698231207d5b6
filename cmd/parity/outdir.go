package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/parity-eval/parity/cmd/parity/internal/resume"
	"github.com/parity-eval/parity/report"
)

// The out directory belongs to one run: lock takes it for the run's
// duration, and a new run replaces an earlier run's outputs only when
// asked to (--overwrite), all of them, so that nothing of the old run
// (a gate verdict, an export) is read as the new run's.

// exportFiles are the names `parity rules --out` is given for a run's
// exports in the README; they are the run's outputs too.
var exportFiles = []string{"litellm.yaml", "portkey.json"}

// lockOut takes --out for this run, or refuses at once naming the run
// that holds it. A lock left by a run that died is taken over, and said
// so on stderr.
func (o *runOptions) lockOut(stderr io.Writer) (*resume.DirLock, error) {
	h := resume.NewHolder(o.runID)
	l, err := resume.Lock(o.out)
	var locked *resume.LockedError
	switch {
	case errors.As(err, &locked):
		return nil, usageError(err)
	case err != nil:
		return nil, &exitError{code: ExitError, err: fmt.Errorf("--out: %w", err)}
	}
	if l.Stale != nil {
		fmt.Fprintf(stderr, "parity: %s ended without letting go of %s; this run takes it over\n", l.Stale, o.out)
	}
	if err := l.Record(h); err != nil {
		l.Unlock()
		return nil, &exitError{code: ExitError, err: fmt.Errorf("--out: %w", err)}
	}
	return l, nil
}

// runFiles returns the names of what an earlier run left in dir: its
// outputs, manifest, journal, gate files, images and exports, and the
// temporary files of an output it was writing when it died.
func runFiles(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	owned := append(append(report.Files(), resume.ManifestFile), exportFiles...)
	var found []string
	for _, e := range entries {
		if name := e.Name(); slices.Contains(owned, name) || isTemp(name, owned) {
			found = append(found, name)
		}
	}
	return found, nil
}

// isTemp reports whether name is the temporary file (".NAME.*") of one
// of the outputs owned.
func isTemp(name string, owned []string) bool {
	return slices.ContainsFunc(owned, func(o string) bool { return strings.HasPrefix(name, "."+o+".") })
}

// claimOut makes --out ready for a new run: empty of runs, or emptied of
// the earlier run's files with --overwrite.
func (o *runOptions) claimOut() error {
	pending, err := resume.Pending(o.out)
	if err != nil {
		return &exitError{code: ExitError, err: err}
	}
	if pending && !o.overwrite {
		return usageError(fmt.Errorf("%s holds an unfinished run: finish it with `parity run --resume --out %s`, discard it with --overwrite, or choose another --out", o.out, o.out))
	}
	old, err := runFiles(o.out)
	if err != nil {
		return &exitError{code: ExitError, err: err}
	}
	if len(old) == 0 {
		return nil
	}
	if !o.overwrite {
		return usageError(fmt.Errorf("%s holds the outputs of %s (%s): pass --overwrite to replace them all, or choose another --out",
			o.out, earlierRun(o.out), strings.Join(old, ", ")))
	}
	for _, name := range old {
		if err := os.RemoveAll(filepath.Join(o.out, name)); err != nil {
			return &exitError{code: ExitError, err: fmt.Errorf("--overwrite: %w", err)}
		}
	}
	return nil
}

// earlierRun names the run whose outputs dir holds.
func earlierRun(dir string) string {
	if m, err := resume.Read(dir); err == nil {
		return "run " + m.RunID
	}
	return "an earlier run"
}
