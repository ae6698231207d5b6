package main

import (
	"flag"
	"fmt"

	"github.com/parity-eval/parity/gate"
	"github.com/parity-eval/parity/stats"
)

// diffCommand is `parity diff`: what changed between two runs of the
// same suites.
func diffCommand(e *env) *command {
	fs := flag.NewFlagSet("diff", flag.ContinueOnError)
	s := stats.DefaultSettings()
	fs.Float64Var(&s.Alpha, "alpha", s.Alpha, "two-sided level of the intervals; a change is significant when p < alpha")
	fs.IntVar(&s.Resamples, "bootstrap", s.Resamples, "bootstrap resamples for pass/fail-like scores (0: always Student's t)")
	fs.Uint64Var(&s.Seed, "seed", s.Seed, "the bootstrap's seed")
	usage := "diff [--alpha 0.05] [--format text|json] OLD NEW   what changed, per provider and suite, between two runs of the same suites"
	return readCommand(e, fs, usage, func(paths []string) (printer, error) {
		if len(paths) != 2 {
			return nil, fmt.Errorf("diff takes two results files or run directories, the old run's then the new one's; got %d", len(paths))
		}
		if !(s.Alpha > 0 && s.Alpha < 1) || s.Resamples < 0 {
			return nil, fmt.Errorf("--alpha must be in (0, 1) and --bootstrap at least 0")
		}
		return gate.ReadDiff(s, paths[0], paths[1])
	})
}
