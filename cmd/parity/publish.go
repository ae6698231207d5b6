package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"

	"github.com/parity-eval/parity/results"
)

// publishCommand is `parity publish`: finished runs' results copied into
// a history.
func publishCommand(e *env) *command {
	fs := flag.NewFlagSet("publish", flag.ContinueOnError)
	root := fs.String("history", "", "the `root` of the history (required)")
	return &command{
		name: "publish",
		usage: "publish --history ROOT RESULTS...   copy runs' results into a history, ROOT/date=YYYY-MM-DD/run_id=ID/results.parquet (start day in UTC, run id), atomically: " +
			"DuckDB and Spark read it as one table, parity history and parity report read ROOT",
		fs: fs,
		run: func(_ context.Context, args []string) error {
			paths, err := interspersed(fs, args)
			if err != nil {
				return usageError(err)
			}
			if *root == "" || len(paths) == 0 {
				return usageError(errors.New("publish needs --history ROOT and at least one results file (or run directory)"))
			}
			return publish(e.stdout, *root, paths)
		},
	}
}

// publish publishes every results file of paths into the history under
// root, printing where each went. An input that is missing or cannot be
// published is a usage error; a failed write, an error.
func publish(stdout io.Writer, root string, paths []string) error {
	for _, p := range paths {
		if _, err := results.Path(p); err != nil {
			return usageError(inFlagTerms(err))
		}
	}
	for _, p := range paths {
		dst, err := results.Publish(root, p)
		switch {
		case errors.Is(err, results.ErrUnpublishable):
			return usageError(err)
		case err != nil:
			return &exitError{code: ExitError, err: err}
		}
		fmt.Fprintln(stdout, dst)
	}
	return nil
}
