package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/parity-eval/parity/gate"
)

// gateFlags are the flags of `parity gate`.
type gateFlags struct {
	opts   gate.Options
	format string
	outs   outFlag
}

func (g *gateFlags) register(fs *flag.FlagSet) {
	o := &g.opts
	fs.Var(modeFlag{&o.Mode}, "mode", "what the gate is for: nightly (fails only on harm shown; inconclusive warns, exit 0) or migration (the candidate must show non-inferiority; inconclusive exits 5)")
	fs.StringVar(&o.Baseline, "baseline", "", "the baseline provider `id` (required)")
	fs.StringVar(&o.Candidate, "candidate", "", "the candidate provider `id` (required)")
	fs.Float64Var(&o.Margin, "margin", o.Margin, "how much lower the candidate's mean score may be (on the 0-1 scale)")
	fs.Var(limitFlag{&o.MaxCostIncrease}, "max-cost-increase", "fail when cost per case is shown to rise by more than this (0.1: 10%), or off")
	fs.Var(limitFlag{&o.MaxP95Increase}, "max-p95-increase", "fail when p95 latency (of requests sent in this run) is shown to rise by more than this (0.2: 20%), or off")
	fs.Var(limitFlag{&o.MaxErrorIncrease}, "max-error-increase", "fail when the error rate is shown to rise by more than this (0.01: one point), or off")
	fs.Float64Var(&o.Stats.Alpha, "alpha", o.Stats.Alpha, "two-sided level of the intervals; the family-wise one-sided level across suites is alpha/2")
	fs.Float64Var(&o.Power, "power", o.Power, "the power the minimum detectable effect and the cases needed are stated at")
	fs.IntVar(&o.MinCases, "min-cases", o.MinCases, "the fewest paired cases a suite may pass with")
	fs.BoolVar(&o.AllowMissing, "allow-missing", false, "warn about cases missing on either side instead of failing the suite")
	fs.IntVar(&o.Stats.Resamples, "bootstrap", o.Stats.Resamples, "bootstrap resamples for pass/fail-like scores (0: always Student's t)")
	fs.Uint64Var(&o.Stats.Seed, "seed", o.Stats.Seed, "the bootstrap's seed")
	fs.StringVar(&g.format, "format", gate.FormatText, "what to print: text, json, junit or markdown")
	fs.Var(&g.outs, "out", "also write `FORMAT=FILE` (json=gate.json, junit=junit.xml, markdown=$GITHUB_STEP_SUMMARY; a .json, .xml or .md FILE alone names its format); repeatable")
}

func gateCommand(e *env) *command {
	fs := flag.NewFlagSet("gate", flag.ContinueOnError)
	g := gateFlags{opts: gate.DefaultOptions()}
	g.register(fs)
	return &command{
		name:  "gate",
		usage: "gate --baseline ID --candidate ID [--mode migration|nightly] [--margin 0.03] [--format text|json|junit|markdown] [--out FORMAT=FILE] RESULTS [CANDIDATE_RESULTS]   may the candidate replace the baseline? exit 0 pass, 1 fail, 5 inconclusive (migration mode)",
		fs:    fs,
		run: func(_ context.Context, args []string) error {
			paths, err := interspersed(fs, args)
			if err != nil {
				return usageError(err)
			}
			return g.run(e, paths)
		},
	}
}

// run judges the candidate and writes every output.
func (g *gateFlags) run(e *env, paths []string) error {
	if len(paths) < 1 || len(paths) > 2 {
		return usageError(fmt.Errorf("gate takes one results file (or run directory) holding both providers, or two: the baseline's, then the candidate's; got %d", len(paths)))
	}
	if !slices.Contains(gate.Formats, g.format) {
		return usageError(fmt.Errorf("--format %q: want text, json, junit or markdown", g.format))
	}
	res, err := gate.Read(g.opts, paths...)
	if err != nil {
		return usageError(err)
	}
	if err := res.WriteFormat(g.format, e.stdout); err != nil {
		return &exitError{code: ExitError, err: err}
	}
	for _, o := range g.outs {
		if err := writeOutput(o.path, func(w io.Writer) error { return res.WriteFormat(o.format, w) }); err != nil {
			return &exitError{code: ExitError, err: err}
		}
	}
	return gateExit(e.stderr, res)
}

// gateExit is how a gate ends the command: nil when its verdict does not
// block in its mode (a nightly inconclusive verdict is printed to warn as
// a warning), ExitFailed on a failure, ExitInconclusive on an
// inconclusive verdict that blocks.
func gateExit(warn io.Writer, res *gate.Result) error {
	suites := func(v gate.Verdict) []string {
		var out []string
		for _, s := range res.Suites {
			if s.Verdict == v {
				out = append(out, s.Suite)
			}
		}
		return out
	}
	switch {
	case res.Verdict == gate.Fail:
		failed := suites(gate.Fail)
		if len(failed) == 0 {
			return &exitError{code: ExitFailed, err: fmt.Errorf("gate failed: %s", strings.Join(res.Failures, "; "))}
		}
		return &exitError{code: ExitFailed, err: fmt.Errorf("gate failed: %s is shown worse than %s, or lacks cases, on %d of %d suites: %s",
			res.Candidate, res.Baseline, len(failed), len(res.Suites), strings.Join(failed, ", "))}
	case res.Verdict == gate.Inconclusive:
		open := suites(gate.Inconclusive)
		msg := fmt.Sprintf("gate inconclusive: %s is neither shown non-inferior to %s nor shown worse on %d of %d suites (%s); the gate's report says how many cases would decide each",
			res.Candidate, res.Baseline, len(open), len(res.Suites), strings.Join(open, ", "))
		if res.Blocks {
			return &exitError{code: ExitInconclusive, err: errors.New(msg + "; in migration mode this blocks")}
		}
		fmt.Fprintf(warn, "parity: warning: %s; in nightly mode this exits 0\n", msg)
	}
	return nil
}

// writeOutput renders into memory, then writes path in one go.
func writeOutput(path string, render func(io.Writer) error) error {
	var b bytes.Buffer
	if err := render(&b); err != nil {
		return err
	}
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return nil
}

// gateOutput is one --out: a format and the file it goes to.
type gateOutput struct{ format, path string }

// outFlag collects --out FORMAT=FILE (or FILE whose extension names the
// format).
type outFlag []gateOutput

// String implements flag.Value.
func (o *outFlag) String() string {
	var parts []string
	for _, x := range *o {
		parts = append(parts, x.format+"="+x.path)
	}
	return strings.Join(parts, ",")
}

// Set implements flag.Value: one FORMAT=FILE, or a FILE whose extension
// names its format.
func (o *outFlag) Set(v string) error {
	format, path, ok := strings.Cut(v, "=")
	if !ok || !slices.Contains(gate.Formats, format) {
		format, path = formatOf(v), v
	}
	if format == "" {
		return fmt.Errorf("%q: name the format, as json=FILE, junit=FILE, markdown=FILE or text=FILE", v)
	}
	if path == "" {
		return errors.New("the output file is missing")
	}
	*o = append(*o, gateOutput{format: format, path: path})
	return nil
}

// formatOf returns the format a file's extension names, or "".
func formatOf(path string) string {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".json":
		return gate.FormatJSON
	case ".xml":
		return gate.FormatJUnit
	case ".md", ".markdown":
		return gate.FormatMarkdown
	case ".txt":
		return gate.FormatText
	}
	return ""
}

// modeFlag sets a gate.Mode from its name.
type modeFlag struct{ m *gate.Mode }

// String implements flag.Value.
func (f modeFlag) String() string {
	if f.m == nil {
		return ""
	}
	return string(*f.m)
}

// Set implements flag.Value.
func (f modeFlag) Set(v string) error {
	if !slices.Contains(gate.Modes, gate.Mode(v)) {
		return fmt.Errorf("want nightly or migration, got %q", v)
	}
	*f.m = gate.Mode(v)
	return nil
}

// limitFlag sets a gate.Limit from a number or "off".
type limitFlag struct{ l *gate.Limit }

// String implements flag.Value.
func (f limitFlag) String() string {
	switch {
	case f.l == nil:
		return ""
	case f.l.Off:
		return "off"
	}
	return strconv.FormatFloat(f.l.Max, 'g', -1, 64)
}

// Set implements flag.Value: a number, or "off".
func (f limitFlag) Set(v string) error {
	if v == "off" {
		*f.l = gate.Limit{Off: true}
		return nil
	}
	x, err := strconv.ParseFloat(v, 64)
	if err != nil {
		return fmt.Errorf("want a number or off, got %q", v)
	}
	*f.l = gate.LimitAt(x)
	return nil
}
