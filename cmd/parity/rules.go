package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/parity-eval/parity/internal/format"
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
	return emit(e, rules, o, endpoints(providers))
}

// endpoints are the providers' headers and timeouts, which the router
// configs repeat and the rules do not carry.
func endpoints(providers []*suites.Provider) map[string]export.Endpoint {
	out := make(map[string]export.Endpoint, len(providers))
	for _, p := range providers {
		out[p.ID] = export.Endpoint{Headers: p.Headers, Timeout: p.Timeout}
	}
	return out
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
func emit(e *env, rules *routing.Rules, o *rulesOptions, endpoints map[string]export.Endpoint) error {
	opts := export.DefaultOptions()
	opts.NumRetries, opts.Endpoints = o.retries, endpoints
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

// rulesConfig loads the run's config for its endpoints, prices,
// capabilities, baseline and routing settings. The rules send nothing, so
// they need no API key. The default config may be missing (nil, no
// error); a config named with --config may not.
func rulesConfig(path string, named bool, lookup suites.Env) (*suites.Config, error) {
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) && !named {
		return nil, nil
	}
	return suites.LoadConfig(path, lookup, suites.WithoutKeys())
}

// clock is when the rules are written: SOURCE_DATE_EPOCH (seconds since
// 1970, the reproducible-builds convention) when set, else now.
func clock(lookup suites.Env) (time.Time, error) {
	v, ok := lookup("SOURCE_DATE_EPOCH")
	if !ok || v == "" {
		return time.Now(), nil
	}
	sec, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return time.Time{}, fmt.Errorf("SOURCE_DATE_EPOCH %q: want seconds since 1970", v)
	}
	return time.Unix(sec, 0).UTC(), nil
}

// printRules prints one line per rule, then the held-out proof and the
// projected cost at one volume.
func printRules(w io.Writer, r *routing.Rules) {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "rule\tprimary\tscore\tlow\tcost/case\tfallbacks\tsplit")
	keys := make([]string, 0, len(r.Tags))
	for k := range r.Tags {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		fmt.Fprintln(tw, ruleLine(k, r.Tags[k]))
	}
	tw.Flush()
	if h := r.Holdout; h != nil {
		fmt.Fprintln(w, holdoutLine(h, r.Baseline))
	}
	if p := r.Projections; p != nil && len(p.Rules.ByRequests) > 1 {
		fmt.Fprintln(w, projectionLine(p))
	}
	if n := warningCount(r); n > 0 {
		fmt.Fprintf(w, "%d warnings: see the rules file\n", n)
	}
}

// ruleLine is one rule's row of the table.
func ruleLine(key string, t routing.TagRule) string {
	if t.Primary == nil {
		return key + "\t-\t\t\t\t\t"
	}
	p := t.Primary
	var fb []string
	for _, f := range t.Fallbacks {
		fb = append(fb, f.Provider)
	}
	return fmt.Sprintf("%s\t%s\t%s\t%s\t%s\t%s\t%s", key, p.Provider, format.Score(p.MeanScore), format.Score(p.ScoreLow), format.USD(p.CostPerCaseUSD),
		orDash(strings.Join(fb, ",")), orDash(splitText(t.Split)))
}

// splitText prints a split as "a 76%, b 19%, c 5%".
func splitText(s *routing.Split) string {
	if s == nil {
		return ""
	}
	var parts []string
	for _, t := range s.Targets {
		parts = append(parts, t.Provider+" "+format.Pct(t.Weight))
	}
	return strings.Join(parts, ", ")
}

// holdoutLine summarises the held-out proof.
func holdoutLine(h *routing.Holdout, baseline string) string {
	s := fmt.Sprintf("held out: %d cases; rules %s at %s/case, best %s at %s", h.Cases,
		format.Score(h.Rules.MeanScore), format.USD(h.Rules.CostPerCaseUSD), format.Score(h.Best.MeanScore), format.USD(h.Best.CostPerCaseUSD))
	var iv routing.HoldoutInterval
	if h.Interval != nil {
		iv = *h.Interval
	}
	s += fmt.Sprintf(" (%s of its quality, %s saved)", pctRange(h.QualityKeptVsBestPct, iv.QualityKeptVsBestPct), pctRange(h.CostSavedVsBestPct, iv.CostSavedVsBestPct))
	if h.Baseline != nil {
		s += fmt.Sprintf("; vs baseline %s: %s kept, %s saved", baseline, pctRange(h.QualityKeptVsBaselinePct, iv.QualityKeptVsBaselinePct),
			pctRange(h.CostSavedVsBaselinePct, iv.CostSavedVsBaselinePct))
	}
	return s + fmt.Sprintf("; PGR %s, APGR %s", numText(h.PGR), numText(h.APGR))
}

// pctRange prints a held-out percentage with its bootstrap range, when it
// has one: "95.45% (91.8-98.8)".
func pctRange(v *float64, b *routing.Bounds) string {
	if b == nil || v == nil {
		return pctText(v)
	}
	return fmt.Sprintf("%s (%.1f-%.1f)", pctText(v), b.Low, b.High)
}

// projectionLine is the monthly cost at the second volume.
func projectionLine(p *routing.Projections) string {
	v := p.Rules.ByRequests[1]
	s := fmt.Sprintf("a month at %s requests: rules %s", volume(v.PerMonth), format.USD(v.USD))
	for _, pp := range p.Providers {
		if len(pp.ByRequests) > 1 && pp.Coverage == 1 {
			s += fmt.Sprintf(", %s %s", pp.Provider, format.USD(pp.ByRequests[1].USD))
		}
	}
	return s
}

// warningCount counts the rules' warnings.
func warningCount(r *routing.Rules) int {
	n := len(r.Warnings)
	for _, t := range r.Tags {
		n += len(t.Warnings)
	}
	if r.Holdout != nil {
		n += len(r.Holdout.Warnings)
	}
	return n
}

// volume prints a monthly volume: 5M, 50M, 5B.
func volume(n int64) string {
	switch {
	case n >= 1e9 && n%1e9 == 0:
		return fmt.Sprintf("%dB", n/1e9)
	case n >= 1e6 && n%1e6 == 0:
		return fmt.Sprintf("%dM", n/1e6)
	}
	return strconv.FormatInt(n, 10)
}

// pctText prints a percentage (of 100, as the held-out proof keeps
// them), "n/a" when undefined.
func pctText(p *float64) string {
	if p == nil {
		return format.NA
	}
	return format.Pct(*p / 100)
}

// numText prints a ratio with two decimals, "n/a" when undefined.
func numText(p *float64) string {
	if p == nil {
		return "n/a"
	}
	return fmt.Sprintf("%.2f", *p)
}

// orDash returns s, or "-" when it is empty.
func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
