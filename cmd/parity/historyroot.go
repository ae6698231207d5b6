package main

import (
	"errors"
	"flag"
	"fmt"
	"time"

	"github.com/parity-eval/parity/results"
)

// runRange is the --since and --until flags of the commands that read a
// history's root: the days of the runs they read.
type runRange struct{ since, until dayFlag }

func (r *runRange) register(fs *flag.FlagSet) {
	fs.Var(&r.since, "since", "of a history ROOT, read the runs dated this `day` (YYYY-MM-DD, UTC) or later")
	fs.Var(&r.until, "until", "of a history ROOT, read the runs dated this `day` (YYYY-MM-DD, UTC) or earlier")
}

// expand replaces each history root among paths (a directory of
// date=.../run_id=... directories, see results.IsHive) by its runs'
// results files within the range, in date then run id order; other
// paths stay as they are. A root without a run in the range is an error,
// and so is a range without a root to choose from.
func (r *runRange) expand(paths []string) ([]string, error) {
	if r.since.set && r.until.set && r.until.t.Before(r.since.t) {
		return nil, fmt.Errorf("--until %s is before --since %s", &r.until, &r.since)
	}
	var out []string
	roots := 0
	for _, p := range paths {
		if !results.IsHive(p) {
			out = append(out, p)
			continue
		}
		roots++
		files, err := results.HiveFiles(p)
		if err != nil {
			return nil, err
		}
		n := len(out)
		for _, f := range files {
			if (!r.since.set || !f.Date.Before(r.since.t)) && (!r.until.set || !f.Date.After(r.until.t)) {
				out = append(out, f.Path)
			}
		}
		if len(out) == n {
			return nil, fmt.Errorf("history %s holds no run dated %s", p, r)
		}
	}
	if roots == 0 && (r.since.set || r.until.set) {
		return nil, errors.New("--since and --until choose among the runs of a history ROOT (a directory of date=YYYY-MM-DD/run_id=ID/ directories): no argument is one")
	}
	return out, nil
}

// String says which days the range holds.
func (r *runRange) String() string {
	switch {
	case r.since.set && r.until.set:
		return fmt.Sprintf("from %s to %s", &r.since, &r.until)
	case r.since.set:
		return "from " + r.since.String()
	case r.until.set:
		return "until " + r.until.String()
	}
	return "at all"
}

// dayFlag is a day, YYYY-MM-DD in UTC, once set.
type dayFlag struct {
	t   time.Time
	set bool
}

// String implements flag.Value.
func (d *dayFlag) String() string {
	if !d.set {
		return ""
	}
	return d.t.Format(results.HiveDateLayout)
}

// Set implements flag.Value.
func (d *dayFlag) Set(s string) error {
	t, err := time.Parse(results.HiveDateLayout, s)
	if err != nil {
		return fmt.Errorf("%q is not a day: want YYYY-MM-DD", s)
	}
	d.t, d.set = t, true
	return nil
}
