package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/parity-eval/parity/cmd/parity/internal/progress"
	"github.com/parity-eval/parity/gate"
	"github.com/parity-eval/parity/judges"
	"github.com/parity-eval/parity/report"
	"github.com/parity-eval/parity/results"
	"github.com/parity-eval/parity/runner"
	"github.com/parity-eval/parity/suites"
)

// runOptions are the flags of `parity run` (and `parity demo`).
type runOptions struct {
	inputs
	out      string
	repeat   int
	timeout  time.Duration
	runID    string
	quiet    bool
	progress time.Duration
	resume   bool
	dryRun   bool
	maxCost  float64
	cache    cacheOptions
	// gate is a candidate provider to gate against the config's baseline
	// once the run is written.
	gate       string
	gateMargin float64
}

func (o *runOptions) register(fs *flag.FlagSet) {
	o.inputs.register(fs)
	fs.StringVar(&o.out, "out", "out", "the `dir`ectory to write results.parquet, summary.json, report.html and rules.yaml to")
	fs.IntVar(&o.repeat, "repeat", 1, "send every case `K` times to every provider")
	fs.DurationVar(&o.timeout, "timeout", 0, "stop the whole run after this long, keeping what finished (0: no limit)")
	fs.StringVar(&o.runID, "run-id", "", "label the results with this id (default: the start time)")
	fs.BoolVar(&o.quiet, "quiet", false, "print no progress")
	fs.DurationVar(&o.progress, "progress", 5*time.Second, "how often to print progress off a terminal")
	fs.BoolVar(&o.resume, "resume", false, "finish the interrupted run in --out: send only what its journal lacks")
	fs.BoolVar(&o.dryRun, "dry-run", false, "print the requests, tokens and cost a run would take, and send nothing")
	fs.Float64Var(&o.maxCost, "max-cost", 0, "stop sending before the providers' spend would pass this many `USD` (0: no limit)")
	o.cache.register(fs)
	fs.StringVar(&o.gate, "gate", "", "gate this candidate `provider` against the config's baseline at the end (as parity gate, with its defaults): the verdict goes to gate.json, gate.xml, gate.md and the report; exit 1 when it fails")
	fs.Float64Var(&o.gateMargin, "gate-margin", gate.DefaultOptions().Margin, "the gate's non-inferiority margin, with --gate")
}

func runCommand(e *env) *command {
	fs := flag.NewFlagSet("run", flag.ContinueOnError)
	var o runOptions
	o.register(fs)
	return &command{
		name:  "run",
		usage: "run [--config parity.yaml] [--suites DIR] [--out DIR] [--repeat K] [--resume] [--dry-run]   run the suites and write the outputs",
		fs:    fs,
		run: func(ctx context.Context, args []string) error {
			if len(args) > 0 {
				return usageError(fmt.Errorf("run takes no arguments, got %q (suites go in --suites)", args))
			}
			if o.resume {
				if _, err := o.resumeFrom(fs); err != nil {
					return usageError(err)
				}
			}
			cfg, ss, err := o.load(e.lookupEnv)
			if err != nil {
				return err
			}
			return execute(ctx, e, cfg, ss, &o)
		},
	}
}

// execute runs the pipeline: suites -> runner -> judges -> report.
func execute(ctx context.Context, e *env, cfg *suites.Config, ss []*suites.Suite, o *runOptions) error {
	if o.repeat < 1 {
		return usageError(fmt.Errorf("--repeat must be at least 1"))
	}
	if o.maxCost < 0 {
		return usageError(fmt.Errorf("--max-cost cannot be negative"))
	}
	o.cache.lookup = e.lookupEnv
	cache, err := o.cache.open(e.stderr)
	if err != nil {
		return usageError(err)
	}
	if o.dryRun {
		return dryRun(e.stdout, cfg, ss, o, cache)
	}
	if o.runID == "" {
		o.runID = time.Now().UTC().Format("20060102T150405Z")
	}
	wopts, err := o.writerOptions(cfg)
	if err != nil {
		return err
	}
	prior, err := o.start(cfg, ss)
	if err != nil {
		return err
	}
	w, err := report.NewWriter(o.out, cfg, o.runID, wopts...)
	if err != nil {
		return &exitError{code: ExitError, err: err}
	}
	// The results an interrupted attempt journaled go into the outputs as
	// they were; their requests are not sent again.
	done, baselines, err := replay(w, filepath.Join(o.out, results.JournalFile), cfg, ss, prior)
	if err != nil {
		w.Close()
		return &exitError{code: ExitError, err: err}
	}
	opts := []runner.Option{runner.Repeat(o.repeat), runner.RunID(o.runID), runner.Skip(func(k runner.Key) bool { return done[k] })}
	if cache != nil {
		opts = append(opts, runner.UseCache(cache))
	}
	if o.maxCost > 0 {
		opts = append(opts, runner.MaxCost(o.maxCost))
	}
	r := runner.New(cfg, opts...)
	planned := r.Planned(ss)
	w.SetPlanned(len(done) + planned)

	runCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	if o.timeout > 0 {
		runCtx, cancel = context.WithTimeout(runCtx, o.timeout)
		defer cancel()
	}
	// Scoring outlives an interrupt: results that finished are scored and
	// kept. A second Ctrl-C ends the process.
	scoring := []judges.Option{judges.KnownBaselines(baselines...)}
	if cache != nil {
		scoring = append(scoring, judges.ResponseCache(cache))
	}
	scorer := judges.NewScorer(cfg, scoring...)
	scored := scorer.Run(context.WithoutCancel(ctx), r.Run(runCtx, ss))

	ids := make([]string, len(cfg.Providers))
	for i, p := range cfg.Providers {
		ids[i] = p.ID
	}
	prog := progress.New(e.stderr, ids, r.PlannedBy(ss), progress.Options{
		Every: o.progress, TTY: progress.IsTerminal(e.stderr), Quiet: o.quiet || o.progress <= 0,
	})
	prog.Start()
	n := 0
	var writeErr error
	for s := range scored {
		if writeErr == nil {
			writeErr = w.Add(s)
		}
		n++
		spent := s.ScoringCostUSD
		if !s.Cached {
			spent += s.CostUSD
		}
		prog.Add(s.Provider.ID, s.Failed(), spent)
	}
	prog.Stop()
	stopped := ""
	switch {
	case r.Exhausted():
		stopped = fmt.Sprintf("the budget of $%.4f is spent", o.maxCost)
	case runCtx.Err() != nil && n < planned:
		stopped = "interrupted"
	}
	if stopped != "" {
		w.SetInterrupted()
	}
	if err := errors.Join(writeErr, w.Close()); err != nil {
		return &exitError{code: ExitError, err: err}
	}
	printSummary(e.stdout, w)
	if g := w.Gate(); g != nil {
		fmt.Fprintf(e.stdout, "gate     %s: %s against %s (gate.json, gate.xml, gate.md)\n", g.Verdict, g.Candidate, g.Baseline)
	}
	if err := r.CacheError(); err != nil {
		fmt.Fprintf(e.stderr, "parity: answers could not be cached, a rerun will send them again: %v\n", err)
	}
	if g := w.Gate(); g != nil && g.Verdict != gate.Pass && stopped == "" {
		return &exitError{code: ExitFailed, err: fmt.Errorf("gate failed: %s is not shown to be as good as %s: %s", g.Candidate, g.Baseline, strings.Join(g.Failures, "; "))}
	}
	if stopped != "" {
		return &exitError{code: ExitInterrupted, err: fmt.Errorf("%s: %d of %d results finished and were written; `parity run --resume --out %s` sends the rest",
			stopped, len(done)+n, len(done)+planned, o.out)}
	}
	return nil
}

// writerOptions are the report writer's options: the journal, and the
// gate when --gate names a candidate.
func (o *runOptions) writerOptions(cfg *suites.Config) ([]report.Option, error) {
	opts := []report.Option{report.WithJournal()}
	if o.gate == "" {
		return opts, nil
	}
	if cfg.Provider(o.gate) == nil || cfg.Provider(cfg.Baseline) == nil || o.gate == cfg.Baseline {
		return nil, usageError(fmt.Errorf("--gate %s: want a provider of the run other than the config's baseline (%q)", o.gate, cfg.Baseline))
	}
	g := gate.DefaultOptions()
	g.Baseline, g.Candidate, g.Margin = cfg.Baseline, o.gate, o.gateMargin
	return append(opts, report.WithGate(g)), nil
}

// start prepares the output directory: a new run records its manifest; a
// resumed one checks its inputs are those it started with. It returns the
// manifest of the run being resumed, or nil.
func (o *runOptions) start(cfg *suites.Config, ss []*suites.Suite) (*manifest, error) {
	fp := fingerprint(cfg, ss, o.repeat)
	if o.resume {
		m, err := readManifest(o.out)
		if err != nil {
			return nil, usageError(err)
		}
		if _, err := os.Stat(filepath.Join(o.out, results.JournalFile)); errors.Is(err, fs.ErrNotExist) {
			return nil, usageError(fmt.Errorf("run %s in %s is complete: there is nothing to resume", m.RunID, o.out))
		}
		if m.Fingerprint != fp {
			return nil, usageError(fmt.Errorf("the config or the suites changed since run %s started: resuming would mix results of different inputs; start a new run in another --out", m.RunID))
		}
		return m, nil
	}
	if _, err := os.Stat(filepath.Join(o.out, results.JournalFile)); err == nil {
		return nil, usageError(fmt.Errorf("%s holds an unfinished run: finish it with `parity run --resume --out %s`, or choose another --out", o.out, o.out))
	} else if !errors.Is(err, fs.ErrNotExist) {
		return nil, &exitError{code: ExitError, err: err}
	}
	if err := os.MkdirAll(o.out, 0o755); err != nil {
		return nil, &exitError{code: ExitError, err: err}
	}
	m := &manifest{RunID: o.runID, Config: o.config, Suites: o.suites, Providers: o.providers,
		Repeat: o.repeat, Started: time.Now().UTC(), Fingerprint: fp}
	if len(m.Suites) == 0 {
		m.Suites = defaultSuites
	}
	if err := m.write(o.out); err != nil {
		return nil, &exitError{code: ExitError, err: err}
	}
	return nil, nil
}

// replay feeds the journal of an interrupted attempt into w and returns
// the results it holds, and the baseline's results that later results
// compare with.
func replay(w *report.Writer, journal string, cfg *suites.Config, ss []*suites.Suite, prior *manifest) (map[runner.Key]bool, []*runner.Result, error) {
	done := map[runner.Key]bool{}
	if prior == nil {
		return done, nil, nil
	}
	var baselines []*runner.Result
	ix := results.NewIndex(cfg, ss)
	err := results.ReadJournal(journal, func(row results.Row) error {
		k := runner.Key{Suite: row.Suite, Case: row.CaseID, Provider: row.Provider, Repeat: int(row.Repeat)}
		if done[k] {
			return nil // a row journaled twice counts once
		}
		s, err := ix.Restore(row)
		if err != nil {
			return err
		}
		done[k] = true
		if row.Provider == cfg.Baseline && !s.Failed() {
			baselines = append(baselines, s.Result)
		}
		return w.Replay(s)
	})
	if errors.Is(err, fs.ErrNotExist) {
		return done, nil, nil
	}
	return done, baselines, err
}

// printSummary prints one line per provider and where the outputs are.
func printSummary(w io.Writer, rw *report.Writer) {
	sum := rw.Summary()
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "provider\tmodel\tresults\tpass\tscore\terrors\tcost\tp50 ms\tp95 ms\t")
	for _, p := range sum.Providers() {
		fmt.Fprintf(tw, "%s\t%s\t%d\t%.0f%%\t%.3f\t%d\t$%.4f\t%.0f\t%.0f\t\n", p.Provider, p.Model, p.N,
			100*p.PassRate, p.MeanScore, p.N-p.OK, p.CostUSD, p.LatencyMS.P50, p.LatencyMS.P95)
	}
	tw.Flush()
	t := sum.Totals()
	fmt.Fprintf(w, "\n%d of %d results, total cost $%.4f (+ $%.4f scoring)", sum.Done(), sum.Planned(), t.CostUSD, t.ScoringCostUSD)
	if t.Cached > 0 {
		fmt.Fprintf(w, "; %d answers from the cache, $%.4f spent in this run", t.Cached, t.SpentUSD)
	}
	fmt.Fprintln(w)
	names := []string{"results", "summary", "report", "rules"}
	for i, p := range rw.Paths() {
		fmt.Fprintf(w, "%-8s %s\n", names[i], p)
	}
}
