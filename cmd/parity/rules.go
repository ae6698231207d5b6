package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"

	"github.com/parity-eval/parity/results"

	"github.com/parity-eval/parity/routing"
	"github.com/parity-eval/parity/routing/export"
	"github.com/parity-eval/parity/suites"
)

// rulesOptions are the flags of `parity rules`.
type rulesOptions struct {
	config       string
	format       string
	tolerance    optionalFloat
	gate         string
	canaryWeight float64
	split        float64
	seed         uint64
	retries      int
	out          string
}

// register defines the flags on fs.
func (o *rulesOptions) register(fs *flag.FlagSet) {
	fs.StringVar(&o.config, "config", "parity.yaml", "the run's config `file`: endpoints, prices, capabilities, baseline, routing (optional for --format native)")
	fs.StringVar(&o.format, "format", export.FormatNative, "what to write: native (rules.yaml), litellm (proxy config YAML) or portkey (gateway config JSON)")
	fs.Var(&o.tolerance, "tolerance", "how far below the best a cheaper primary may `score`, in [0, 1] (default: the config's routing.tolerance, else 0.05)")
	fs.StringVar(&o.gate, "gate", "", "a gate result `file` (parity gate --format json): add a canary of its candidate on the tags where it passed")
	fs.Float64Var(&o.canaryWeight, "canary-weight", 0.05, "the canary's share of a tag's traffic, in (0, 1)")
	fs.Float64Var(&o.split, "split", 0.2, "the share a split gives the most reliable second provider within the tolerance, in [0, 1) (0: no splits)")
	fs.Uint64Var(&o.seed, "seed", 1, "the seed of the held-out splits")
	fs.IntVar(&o.retries, "retries", 2, "retries per target before a router falls back (litellm, portkey)")
	fs.StringVar(&o.out, "out", "", "write to this `file` and print a summary (default: the rules to stdout)")
}

// check validates the flags before anything is read.
func (o *rulesOptions) check() error {
	switch {
	case !slices.Contains(export.Formats, o.format):
		return fmt.Errorf("--format %q: want %s", o.format, strings.Join(export.Formats, ", "))
	case o.tolerance.set && (o.tolerance.v < 0 || o.tolerance.v > 1):
		return fmt.Errorf("--tolerance %v: a score difference in [0, 1]", o.tolerance.v)
	case o.canaryWeight <= 0 || o.canaryWeight >= 1:
		return fmt.Errorf("--canary-weight %v: a share in (0, 1)", o.canaryWeight)
	case o.split < 0 || o.split >= 1:
		return fmt.Errorf("--split %v: a share in [0, 1)", o.split)
	case o.retries < 0:
		return fmt.Errorf("--retries %d: at least 0", o.retries)
	}
	return nil
}

// rulesCommand is `parity rules`: routing rules from a run's results, in
// parity's own format or a router's.
func rulesCommand(e *env) *command {
	fs := flag.NewFlagSet("rules", flag.ContinueOnError)
	var o rulesOptions
	o.register(fs)
	return &command{
		name:  "rules",
		usage: "rules RESULTS [--config parity.yaml] [--format native|litellm|portkey] [--tolerance X] [--gate gate.json] [--out FILE]   routing rules a router can load",
		fs:    fs,
		run: func(ctx context.Context, args []string) error {
			results, err := rulesArgs(fs, args)
			if err != nil {
				return usageError(err)
			}
			if err := o.check(); err != nil {
				return usageError(err)
			}
			return writeRules(e, results, &o, explicit(fs, "config"))
		},
	}
}

// rulesArgs returns the results path; flags may follow it.
func rulesArgs(fs *flag.FlagSet, args []string) (string, error) {
	if len(args) == 0 {
		return "", errors.New("rules needs the results: parity rules out/results.parquet (or the run's directory)")
	}
	if err := fs.Parse(args[1:]); err != nil {
		return "", err
	}
	if fs.NArg() > 0 {
		return "", fmt.Errorf("rules takes one results file, got also %q", fs.Args())
	}
	return args[0], nil
}

// explicit reports whether the flag was set on the command line.
func explicit(fs *flag.FlagSet, name string) bool {
	set := false
	fs.Visit(func(f *flag.Flag) { set = set || f.Name == name })
	return set
}

// writeRules reads the results, chooses the rules and writes them.
func writeRules(e *env, path string, o *rulesOptions, configSet bool) error {
	cfg, err := rulesConfig(o.config, configSet, e.lookup())
	if err != nil {
		return usageError(err)
	}
	s, err := o.settings(cfg)
	if err != nil {
		return usageError(err)
	}
	ev := routing.NewEvidence()
	if err := results.ReadRows(path, func(r *results.Row) error { ev.AddRow(r); return nil }); err != nil {
		return usageError(err)
	}
	at, err := clock(e.lookup())
	if err != nil {
		return usageError(err)
	}
	var providers []*suites.Provider
	if cfg != nil {
		providers = cfg.Providers
	}
	rules := routing.New(ev, providers, s, at)
	return emit(e, rules, o)
}

// settings are the rule settings of the config and the flags.
func (o *rulesOptions) settings(cfg *suites.Config) (routing.Settings, error) {
	s := routing.DefaultSettings()
	if cfg != nil {
		s.Tolerance, s.MaxFallbacks, s.Baseline = cfg.Routing.Tolerance, cfg.Routing.MaxFallbacks, cfg.Baseline
	}
	if o.tolerance.set {
		s.Tolerance = o.tolerance.v
	}
	s.SplitShare, s.CanaryWeight, s.Holdout.Seed = o.split, o.canaryWeight, o.seed
	if o.gate != "" {
		g, err := routing.ReadCanaryGate(o.gate)
		if err != nil {
			return s, err
		}
		s.Gate = g
	}
	return s, nil
}

// emit writes the rules to stdout, or to --out with a summary on stdout.
func emit(e *env, rules *routing.Rules, o *rulesOptions) error {
	opts := export.DefaultOptions()
	opts.NumRetries = o.retries
	if o.out == "" {
		if err := export.Write(e.stdout, rules, o.format, opts); err != nil {
			return exportError(err)
		}
		return nil
	}
	f, err := os.Create(o.out)
	if err != nil {
		return fmt.Errorf("rules: %w", err)
	}
	if err := export.Write(f, rules, o.format, opts); err != nil {
		f.Close()
		os.Remove(o.out)
		return exportError(err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("rules: %w", err)
	}
	printRules(e.stdout, rules)
	fmt.Fprintf(e.stdout, "wrote %s (%s)\n", o.out, o.format)
	return nil
}

// exportError marks an export the rules cannot make (no endpoints: the
// config is missing) as bad input.
func exportError(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return fmt.Errorf("rules: %w", err)
	}
	return usageError(err)
}

// optionalFloat is a float flag that knows whether it was set.
type optionalFloat struct {
	v   float64
	set bool
}

// String returns the value, "" when unset (so no default is printed).
func (f *optionalFloat) String() string {
	if f == nil || !f.set {
		return ""
	}
	return strconv.FormatFloat(f.v, 'g', -1, 64)
}

// Set parses the value.
func (f *optionalFloat) Set(s string) error {
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return errors.New("not a number")
	}
	f.v, f.set = v, true
	return nil
}

// lookup returns the environment the command reads.
func (e *env) lookup() func(string) (string, bool) {
	if e.lookupEnv != nil {
		return e.lookupEnv
	}
	return os.LookupEnv
}
