package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"sync/atomic"
	"text/tabwriter"
	"time"

	"github.com/parity-eval/parity/judges"
	"github.com/parity-eval/parity/report"
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
}

func (o *runOptions) register(fs *flag.FlagSet) {
	o.inputs.register(fs)
	fs.StringVar(&o.out, "out", "out", "the `dir`ectory to write results.parquet, summary.json, report.html and rules.yaml to")
	fs.IntVar(&o.repeat, "repeat", 1, "send every case `K` times to every provider")
	fs.DurationVar(&o.timeout, "timeout", 0, "stop the whole run after this long, keeping what finished (0: no limit)")
	fs.StringVar(&o.runID, "run-id", "", "label the results with this id (default: the start time)")
	fs.BoolVar(&o.quiet, "quiet", false, "print no progress")
	fs.DurationVar(&o.progress, "progress", 5*time.Second, "how often to print progress")
}

func runCommand(e *env) *command {
	fs := flag.NewFlagSet("run", flag.ContinueOnError)
	var o runOptions
	o.register(fs)
	return &command{
		name:  "run",
		usage: "run [--config parity.yaml] [--suites DIR] [--out DIR] [--repeat K]   run the suites and write the outputs",
		fs:    fs,
		run: func(ctx context.Context, args []string) error {
			if len(args) > 0 {
				return usageError(fmt.Errorf("run takes no arguments, got %q (suites go in --suites)", args))
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
	opts := []runner.Option{runner.Repeat(o.repeat)}
	if o.runID != "" {
		opts = append(opts, runner.RunID(o.runID))
	}
	r := runner.New(cfg, opts...)
	w, err := report.NewWriter(o.out, cfg, r.ID())
	if err != nil {
		return err
	}
	planned := r.Planned(ss)
	w.SetPlanned(planned)

	runCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	if o.timeout > 0 {
		runCtx, cancel = context.WithTimeout(runCtx, o.timeout)
		defer cancel()
	}
	// Scoring outlives an interrupt: results that finished are scored and
	// kept. A second Ctrl-C ends the process.
	scored := judges.NewScorer(cfg).Run(context.WithoutCancel(ctx), r.Run(runCtx, ss))

	var done atomic.Int64
	stop := startProgress(e.stderr, o, planned, &done)
	var writeErr error
	for s := range scored {
		if writeErr == nil {
			writeErr = w.Add(s)
		}
		done.Add(1)
	}
	stop()
	interrupted := runCtx.Err() != nil && int(done.Load()) < planned
	if interrupted {
		w.SetInterrupted()
	}
	if err := errors.Join(writeErr, w.Close()); err != nil {
		return &exitError{code: ExitError, err: err}
	}
	printSummary(e.stdout, w)
	if interrupted {
		return &exitError{code: ExitInterrupted, err: fmt.Errorf("interrupted: %d of %d results finished and were written; rerun to complete", done.Load(), planned)}
	}
	return nil
}

// startProgress prints a line every o.progress until stop is called.
func startProgress(w io.Writer, o *runOptions, planned int, done *atomic.Int64) (stop func()) {
	if o.quiet || o.progress <= 0 {
		return func() {}
	}
	start := time.Now()
	t := time.NewTicker(o.progress)
	quit := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		for {
			select {
			case <-t.C:
				n := done.Load()
				fmt.Fprintf(w, "parity: %d/%d results, %.1f/s, %s elapsed\n", n, planned,
					float64(n)/time.Since(start).Seconds(), time.Since(start).Round(time.Second))
			case <-quit:
				return
			}
		}
	}()
	return func() { t.Stop(); close(quit); <-finished }
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
	fmt.Fprintf(w, "\n%d of %d results, total cost $%.4f (+ $%.4f scoring)\n", sum.Done(), sum.Planned(), t.CostUSD, t.ScoringCostUSD)
	names := []string{"results", "summary", "report", "rules"}
	for i, p := range rw.Paths() {
		fmt.Fprintf(w, "%-8s %s\n", names[i], p)
	}
}
