package main

import (
	"context"
	"flag"
	"fmt"

	"github.com/parity-eval/parity/gate"
	"github.com/parity-eval/parity/stats"
)

func diffCommand(e *env) *command {
	fs := flag.NewFlagSet("diff", flag.ContinueOnError)
	s := stats.DefaultSettings()
	format := fs.String("format", "text", "what to print: text or json")
	fs.Float64Var(&s.Alpha, "alpha", s.Alpha, "two-sided level of the intervals; a change is significant when p < alpha")
	fs.IntVar(&s.Resamples, "bootstrap", s.Resamples, "bootstrap resamples for pass/fail-like scores (0: always Student's t)")
	fs.Uint64Var(&s.Seed, "seed", s.Seed, "the bootstrap's seed")
	return &command{
		name:  "diff",
		usage: "diff [--alpha 0.05] [--format text|json] OLD NEW   what changed, per provider and suite, between two runs of the same suites",
		fs:    fs,
		run: func(_ context.Context, args []string) error {
			paths, err := interspersed(fs, args)
			if err != nil {
				return usageError(err)
			}
			if len(paths) != 2 {
				return usageError(fmt.Errorf("diff takes two results files or run directories, the old run's then the new one's; got %d", len(paths)))
			}
			if *format != "text" && *format != "json" {
				return usageError(fmt.Errorf("--format %q: want text or json", *format))
			}
			if !(s.Alpha > 0 && s.Alpha < 1) || s.Resamples < 0 {
				return usageError(fmt.Errorf("--alpha must be in (0, 1) and --bootstrap at least 0"))
			}
			res, err := gate.ReadDiff(s, paths[0], paths[1])
			if err != nil {
				return usageError(err)
			}
			if *format == "json" {
				return outputError(res.WriteJSON(e.stdout))
			}
			return outputError(res.WriteText(e.stdout))
		},
	}
}

// outputError marks a failure to write the output.
func outputError(err error) error {
	if err == nil {
		return nil
	}
	return &exitError{code: ExitError, err: err}
}
