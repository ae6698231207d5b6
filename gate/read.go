package gate

import (
	"errors"
	"fmt"

	"github.com/parity-eval/parity/results"
)

// Read runs a gate over results files (or run directories), streaming
// their rows: with one path both providers come from it; with two the
// baseline's rows come from the first and the candidate's from the second
// (the same provider id may then be on both sides: a model upgrade behind
// one id). Every error is an input error: a file that cannot be read, a
// provider with no row (ErrProviderAbsent), invalid options.
func Read(o Options, paths ...string) (*Result, error) {
	g, err := New(o)
	if err != nil {
		return nil, err
	}
	switch len(paths) {
	case 1:
		if o.Baseline == o.Candidate {
			return nil, fmt.Errorf("gate: the baseline and the candidate are both %q: with one results file they must differ", o.Baseline)
		}
		err = results.ReadRows(paths[0], func(r *results.Row) error {
			g.Add(SideBaseline, r)
			g.Add(SideCandidate, r)
			return nil
		})
	case 2:
		err = errors.Join(
			results.ReadRows(paths[0], func(r *results.Row) error { g.Add(SideBaseline, r); return nil }),
			results.ReadRows(paths[1], func(r *results.Row) error { g.Add(SideCandidate, r); return nil }))
	default:
		return nil, fmt.Errorf("gate: give one results file holding both providers, or two (the baseline's, then the candidate's); got %d", len(paths))
	}
	if err != nil {
		return nil, fmt.Errorf("gate: %w", err)
	}
	res, err := g.Result()
	if err != nil {
		return nil, fmt.Errorf("gate %s: %w", describePaths(paths), err)
	}
	if o.Sequential == nil {
		res.Warnings = append(res.Warnings, stoppedEarly(paths)...)
	}
	return res, nil
}

// stoppedEarly warns of inputs a sequential gate stopped once it had its
// verdict: a fixed-size gate over such rows reads optionally stopped data,
// and its error rates no longer hold.
func stoppedEarly(paths []string) []string {
	var out []string
	for _, p := range paths {
		if m, err := results.ReadManifest(p); err == nil && m != nil && m.Sequential {
			out = append(out, fmt.Sprintf("%s comes from a sequential run, which stopped sending once its gate had a verdict: this fixed-size gate over its rows reads optionally stopped data and its error rates do not hold; the run's gate.json holds the sequential verdict", p))
		}
	}
	return out
}

// describePaths names the inputs in an error.
func describePaths(paths []string) string {
	if len(paths) == 1 {
		return paths[0]
	}
	return paths[0] + " vs " + paths[1]
}
