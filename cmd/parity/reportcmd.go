package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/parity-eval/parity/report"
	"github.com/parity-eval/parity/results"
)

func reportCommand(e *env) *command {
	fs := flag.NewFlagSet("report", flag.ContinueOnError)
	out := fs.String("out", "", "the `dir`ectory to write results.parquet (the rows of every input), summary.json, report.html and rules.yaml to (required; not an input's)")
	var days runRange
	days.register(fs)
	return &command{
		name: "report",
		usage: "report --out DIR [--since DAY] [--until DAY] RESULTS...   summary.json, report.html and rules.yaml again, from one results file or many (a merge, a month of nightlies); " +
			"RESULTS may be a history ROOT; no config needed",
		fs: fs,
		run: func(_ context.Context, args []string) error {
			paths, err := interspersed(fs, args)
			if err != nil {
				return usageError(err)
			}
			if err := outsideHistories(*out, paths); err != nil {
				return usageError(err)
			}
			if paths, err = days.expand(paths); err != nil {
				return usageError(err)
			}
			return rebuild(e, paths, *out)
		},
	}
}

// outsideHistories refuses an out inside one of the history roots among
// paths: its results.parquet would be read as a run of the history, or
// hide the history's runs.
func outsideHistories(out string, paths []string) error {
	absOut, err := filepath.Abs(out)
	if err != nil || out == "" {
		return err
	}
	for _, p := range paths {
		root, err := filepath.Abs(p)
		if err != nil || !results.IsHive(p) {
			continue
		}
		if rel, err := filepath.Rel(root, absOut); err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
			return fmt.Errorf("--out %s is inside the history %s: write the report elsewhere", out, p)
		}
	}
	return nil
}

// rebuild streams the rows of every results file in paths through a
// report writer into out, as a run would have written them: the
// providers and suites come from the files' manifests, the cases from the
// rows.
func rebuild(e *env, paths []string, out string) error {
	if len(paths) == 0 || out == "" {
		return usageError(errors.New("report needs --out DIR and at least one results file (or run directory)"))
	}
	m, files, err := reportInputs(paths, out)
	if err != nil {
		return usageError(err)
	}
	w, err := rebuildWriter(e, out, m)
	if err != nil {
		return err
	}
	n, readErr := replay(w, out, m, files, nil)
	w.SetPlanned(n)
	if err := closeRebuilt(w, readErr); err != nil {
		return err
	}
	printSummary(e.stdout, w)
	return nil
}

// rebuildWriter is the report writer of parity report and parity merge
// into out, of the run m describes, stamped by the env's clock.
func rebuildWriter(e *env, out string, m *results.Manifest) (*report.Writer, error) {
	at, err := clock(e.lookup())
	if err != nil {
		return nil, usageError(err)
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return nil, &exitError{code: ExitError, err: fmt.Errorf("report: %w", err)}
	}
	opts := []report.Option{report.WithClock(func() time.Time { return at }), report.WithWork(m.Fingerprint, nil)}
	if m.Started != nil {
		opts = append(opts, report.WithStarted(*m.Started))
	}
	w, err := report.NewWriter(out, m.Config(), m.RunID, opts...)
	if err != nil {
		return nil, &exitError{code: ExitError, err: err}
	}
	return w, nil
}

// replay streams every row of files, in order, into w (its image's path
// made relative to out), calling visit first with each, when not nil: a
// visit's error stops the read. It returns how many rows it replayed.
func replay(w *report.Writer, out string, m *results.Manifest, files []string, visit func(file string, r *results.Row) error) (int, error) {
	absOut, err := filepath.Abs(out)
	if err != nil {
		return 0, err
	}
	ix := results.NewManifestIndex(m)
	n := 0
	for _, f := range files {
		dir, _ := filepath.Abs(filepath.Dir(f))
		err := results.ReadRows(f, func(r *results.Row) error {
			if visit != nil {
				if err := visit(f, r); err != nil {
					return err
				}
			}
			ix.Learn(r)
			r.Image = imageFrom(absOut, dir, r.Image)
			sc, err := ix.Restore(*r)
			if err != nil {
				return fmt.Errorf("results %s: %w", f, err)
			}
			n++
			return w.Replay(*r, sc)
		})
		if err != nil {
			return n, err
		}
	}
	return n, nil
}

// closeRebuilt closes w after a replay that met readErr: a bad input is
// a usage error, an output not written ExitError.
func closeRebuilt(w *report.Writer, readErr error) error {
	closeErr := w.Close()
	switch {
	case readErr != nil:
		return usageError(errors.Join(readErr, closeErr))
	case closeErr != nil:
		return &exitError{code: ExitError, err: closeErr}
	}
	return nil
}

// imageFrom returns a saved image's path, relative to the input's
// directory dir, as a path relative to out; data: URLs and absolute paths
// unchanged.
func imageFrom(out, dir, img string) string {
	if img == "" || strings.HasPrefix(img, "data:") || filepath.IsAbs(img) {
		return img
	}
	rel, err := filepath.Rel(out, filepath.Join(dir, img))
	if err != nil {
		return img
	}
	return filepath.ToSlash(rel)
}

// reportInputs reads and merges the inputs' manifests, refusing an input
// inside out (its outputs would be overwritten) and a file written before
// manifests.
func reportInputs(paths []string, out string) (*results.Manifest, []string, error) {
	ms, files, err := readManifests(paths, out)
	if err != nil {
		return nil, nil, err
	}
	m, err := results.MergeManifests(ms, files)
	return m, files, err
}

// readManifests resolves each input to its results file and reads its
// manifest, refusing an input inside out and a file without a manifest.
func readManifests(paths []string, out string) ([]*results.Manifest, []string, error) {
	absOut, err := filepath.Abs(out)
	if err != nil {
		return nil, nil, err
	}
	ms := make([]*results.Manifest, len(paths))
	files := make([]string, len(paths))
	for i, p := range paths {
		if files[i], err = results.Path(p); err != nil {
			return nil, nil, inFlagTerms(err)
		}
		if abs, _ := filepath.Abs(files[i]); filepath.Dir(abs) == absOut {
			return nil, nil, fmt.Errorf("--out %s holds the input %s: write the report elsewhere", out, files[i])
		}
		if ms[i], err = results.ReadManifest(files[i]); err != nil {
			return nil, nil, err
		}
		if ms[i] == nil {
			return nil, nil, fmt.Errorf("%s was written by a parity without a manifest (before results held one): `parity rules` still reads it; rerun to report it", files[i])
		}
	}
	return ms, files, nil
}
