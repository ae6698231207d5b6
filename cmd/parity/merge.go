package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/parity-eval/parity/report"
	"github.com/parity-eval/parity/results"
)

func mergeCommand(e *env) *command {
	fs := flag.NewFlagSet("merge", flag.ContinueOnError)
	out := fs.String("out", "", "the `dir`ectory to write the merged results.parquet, summary.json, report.html and rules.yaml to (required; not a shard's)")
	history := fs.String("history", "", "once every shard is merged whole, publish the merged results.parquet into the history under this `root`, at ROOT/date=YYYY-MM-DD/run_id=ID/ (see parity publish)")
	return &command{
		name:  "merge",
		usage: "merge --out DIR [--history ROOT] SHARD...   join the shards of one run (parity run --shard i/n, each SHARD its --out or its results.parquet) into one run's outputs, refusing shards of other runs, missing shards and work done twice",
		fs:    fs,
		run: func(_ context.Context, args []string) error {
			paths, err := interspersed(fs, args)
			if err != nil {
				return usageError(err)
			}
			return merge(e, paths, *out, *history)
		},
	}
}

// merge joins the shards in paths into out: it checks their manifests
// (one run, one work, one shard count, every shard once), streams their
// rows into one run's outputs as parity report writes them, and refuses
// work done twice. A shard that planned more rows than it holds is a
// warning: the merged summary then says complete: false, and nothing is
// published into history (when not "").
func merge(e *env, paths []string, out, history string) error {
	if len(paths) == 0 || out == "" {
		return usageError(errors.New("merge needs --out DIR and the shards: each a `parity run --shard i/n` output directory or its results.parquet"))
	}
	ms, files, err := readManifests(paths, out)
	if err != nil {
		return usageError(err)
	}
	if err := checkShards(ms, files); err != nil {
		return err
	}
	m, err := results.MergeManifests(ms, files)
	if err != nil {
		return usageError(err)
	}
	if history != "" {
		if err := results.CheckRunID(m.RunID); err != nil {
			return usageError(fmt.Errorf("merge --history: %w", err))
		}
	}
	w, err := rebuildWriter(e, out, m)
	if err != nil {
		return err
	}
	var seen keySet
	rows := make(map[string]int, len(files))
	n, readErr := replay(w, out, m, files, func(file string, r *results.Row) error {
		seen.add(r)
		rows[file]++
		return nil
	})
	planned := 0
	for _, mf := range ms {
		planned += mf.Shard.Planned
	}
	w.SetPlanned(max(planned, n))
	if err := closeRebuilt(w, readErr); err != nil {
		return err
	}
	if dups := seen.duplicates(files); len(dups) > 0 {
		removeOutputs(out)
		return &exitError{code: ExitError, err: fmt.Errorf("merge: work done twice, so nothing was written to %s: %s", out, strings.Join(dups, "; "))}
	}
	whole := !warnUnfinished(e.stderr, ms, files, rows)
	fmt.Fprintf(e.stdout, "merged %s of run %s: %d results\n", plural(len(files), "shard"), m.RunID, n)
	printSummary(e.stdout, w)
	return publishMerged(e, out, history, whole)
}

// publishMerged publishes the merged results.parquet in out into the
// history under root ("": none) when every shard was whole.
func publishMerged(e *env, out, root string, whole bool) error {
	if root == "" {
		return nil
	}
	if !whole {
		fmt.Fprintf(e.stderr, "parity: a shard did not finish: the merge is not published into %s (finish the shard, merge again)\n", root)
		return nil
	}
	dst, err := results.Publish(root, out)
	if err != nil {
		return &exitError{code: ExitError, err: fmt.Errorf("the merged outputs are written, but publishing them failed: %w", err)}
	}
	fmt.Fprintf(e.stdout, "%-8s %s\n", "history", dst)
	return nil
}

// checkShards refuses inputs that are not every shard of one run once:
// an input that is no shard, run ids, fingerprints or shard counts that
// differ (usage errors naming the files), and a shard given twice or
// missing (ExitError, naming which).
func checkShards(ms []*results.Manifest, files []string) error {
	for i, m := range ms {
		switch {
		case m.Shard == nil:
			return usageError(fmt.Errorf("merge: %s is not a shard (its run had no --shard): `parity report --out DIR RESULTS...` reports whole runs together", files[i]))
		case m.RunID != ms[0].RunID:
			return usageError(fmt.Errorf("merge: %s is run %s but %s is run %s: merge the shards of one run (the same --run-id)", files[0], ms[0].RunID, files[i], m.RunID))
		case m.Fingerprint != ms[0].Fingerprint:
			return usageError(fmt.Errorf("merge: %s and %s did different work (their config, suites or settings differ: fingerprints %.12s and %.12s): every shard must run the same config, suites and --repeat", files[0], files[i], ms[0].Fingerprint, m.Fingerprint))
		case m.Shard.Count != ms[0].Shard.Count:
			return usageError(fmt.Errorf("merge: %s is shard %d/%d but %s is %d/%d: the shards of one run share their count", files[0], ms[0].Shard.Index, ms[0].Shard.Count, files[i], m.Shard.Index, m.Shard.Count))
		}
	}
	count := ms[0].Shard.Count
	at := make([]string, count+1)
	for i, m := range ms {
		if prev := at[m.Shard.Index]; prev != "" {
			return &exitError{code: ExitError, err: fmt.Errorf("merge: shard %d/%d twice, in %s and %s: its work would be counted twice", m.Shard.Index, count, prev, files[i])}
		}
		at[m.Shard.Index] = files[i]
	}
	var missing []string
	for i := 1; i <= count; i++ {
		if at[i] == "" {
			missing = append(missing, fmt.Sprintf("%d/%d", i, count))
		}
	}
	if len(missing) > 0 {
		return &exitError{code: ExitError, err: fmt.Errorf("merge: run %s is missing shard %s (%d of %d given): run `parity run --shard %s --run-id %s` with the other shards' config, suites and flags, then merge them all",
			ms[0].RunID, strings.Join(missing, ", "), len(ms), count, missing[0], ms[0].RunID)}
	}
	return nil
}

// warnUnfinished says which shards hold fewer rows than they planned,
// and reports whether any did.
func warnUnfinished(warn io.Writer, ms []*results.Manifest, files []string, rows map[string]int) (unfinished bool) {
	for i, m := range ms {
		if got := rows[files[i]]; got < m.Shard.Planned {
			unfinished = true
			fmt.Fprintf(warn, "parity: warning: shard %d/%d (%s) planned %d results and holds %d: it did not finish (`parity run --resume --out DIR` in its output directory sends the rest, then merge again); the merged summary says complete: false\n",
				m.Shard.Index, m.Shard.Count, files[i], m.Shard.Planned, got)
		}
	}
	return unfinished
}

// removeOutputs removes what a refused merge wrote into out.
func removeOutputs(out string) {
	for _, name := range report.Files() {
		os.RemoveAll(filepath.Join(out, name))
	}
}
