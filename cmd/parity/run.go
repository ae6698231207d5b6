package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/parity-eval/parity/cmd/parity/internal/progress"
	"github.com/parity-eval/parity/cmd/parity/internal/resume"
	"github.com/parity-eval/parity/gate"
	"github.com/parity-eval/parity/internal/format"
	"github.com/parity-eval/parity/judges"
	"github.com/parity-eval/parity/report"
	"github.com/parity-eval/parity/results"
	"github.com/parity-eval/parity/runner"
	"github.com/parity-eval/parity/runner/cache"
	"github.com/parity-eval/parity/shard"
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
	// overwrite lets a new run replace what an earlier one left in out.
	overwrite bool
	dryRun    bool
	maxCost   float64
	cache     cacheOptions
	// gate is a candidate provider to gate against the config's baseline
	// once the run is written.
	gate       string
	gateMargin float64
	gateMode   gate.Mode
	// sequential decides the gate while sending (see gate.Sequential).
	sequential bool
	seed       uint64
	// history is the root of a history to publish results.parquet into
	// once the run is complete ("": none).
	history string
	// started is when the run began, as run.json records it (a resumed
	// run's first start).
	started time.Time
	// shardSpec is --shard as given, then as resolved ("i/n", "" for the
	// whole run); shard and fingerprint are what sharded makes of it (see
	// shard.go).
	shardSpec   string
	shard       shard.Shard
	fingerprint string
	// writesThrough is the env's, for tests that fail the writes.
	writesThrough func(name string, w io.Writer) io.Writer
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
	fs.BoolVar(&o.overwrite, "overwrite", false, "replace the outputs an earlier run left in --out: every file it wrote (results, summary, rules, report, images, journal, run.json, gate files, exports) is removed first")
	fs.BoolVar(&o.dryRun, "dry-run", false, "print the requests, tokens and cost a run would take, and send nothing")
	fs.Float64Var(&o.maxCost, "max-cost", 0, "stop sending before the providers' spend would pass this many `USD` (0: no limit)")
	o.cache.register(fs)
	fs.StringVar(&o.gate, "gate", "", "gate this candidate `provider` against the config's baseline at the end (as parity gate, with its defaults): the verdict goes to gate.json, gate.xml, gate.md and the report; exit 1 when it fails, 5 when inconclusive in migration mode")
	fs.Float64Var(&o.gateMargin, "gate-margin", gate.DefaultOptions().Margin, "the gate's non-inferiority margin, with --gate")
	o.gateMode = gate.DefaultOptions().Mode
	fs.Var(modeFlag{&o.gateMode}, "gate-mode", "with --gate: nightly (fail only on harm shown) or migration (non-inferiority must be shown; inconclusive exits 5)")
	fs.BoolVar(&o.sequential, "sequential", false, "with --gate: send only the baseline and the candidate, the same cases in a seeded random order, and stop each suite as soon as an anytime-valid confidence sequence decides it (the whole run once one suite fails)")
	fs.Uint64Var(&o.seed, "seed", 1, "with --sequential: the seed of the order cases are sent in")
	fs.StringVar(&o.history, "history", "", "once the run is complete, publish results.parquet into the history under this `root`, at ROOT/date=YYYY-MM-DD/run_id=ID/ (see parity publish)")
	fs.StringVar(&o.shardSpec, "shard", "", "run only shard `i/n` of the work (1-based; each case with all its providers and repeats, balanced by expected cost), or auto: from $PARITY_SHARD (i/n), $PARITY_SHARD_INDEX (0-based) or $JOB_COMPLETION_INDEX (0-based) with $PARITY_SHARD_COUNT, or GitLab's $CI_NODE_INDEX/$CI_NODE_TOTAL; needs --run-id, the same on every shard; rpm and tpm limits are divided among the shards; `parity merge` joins them")
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
			if err := o.check(); err != nil {
				return usageError(err)
			}
			if err := o.resolveShard(e.lookup()); err != nil {
				return usageError(err)
			}
			if o.resume {
				if err := o.resumeFrom(fs); err != nil {
					return usageError(err)
				}
			}
			cfg, ss, err := o.load(e.lookupEnv, e.stderr)
			if err != nil {
				return err
			}
			if o.sequential {
				cfg = pairOnly(cfg, cfg.Baseline, o.gate, e.stdout)
			}
			return execute(ctx, e, cfg, ss, &o)
		},
	}
}

// check refuses settings no run can have, before anything is read or
// sent: every numeric flag out of its range, NaN included.
func (o *runOptions) check() error {
	switch {
	case o.repeat < 1:
		return fmt.Errorf("--repeat %d: at least 1", o.repeat)
	case !(o.maxCost >= 0) || math.IsInf(o.maxCost, 0):
		return fmt.Errorf("--max-cost %v: a budget in USD, at least 0 (0: no limit)", o.maxCost)
	case o.timeout < 0:
		return fmt.Errorf("--timeout %v: a duration, at least 0 (0: no limit)", o.timeout)
	case o.cache.ttl < 0:
		return fmt.Errorf("--cache-ttl %v: a duration, at least 0 (0: forever)", o.cache.ttl)
	case o.progress < 0:
		return fmt.Errorf("--progress %v: a duration, at least 0 (0: no progress lines)", o.progress)
	case !(o.gateMargin >= 0 && o.gateMargin < 1):
		return fmt.Errorf("--gate-margin %v: a score difference in [0, 1)", o.gateMargin)
	case o.resume && o.overwrite:
		return errors.New("--resume finishes the run in --out and --overwrite discards it: choose one")
	case o.sequential && o.gate == "":
		return errors.New("--sequential decides a gate while sending: name the candidate with --gate")
	case o.sequential && o.resume:
		return errors.New("--sequential cannot resume (the decision depends on the order cases finished in): run again; the cache answers what was already sent, for free")
	case o.history != "" && o.runID != "":
		return results.CheckRunID(o.runID)
	}
	return nil
}

// execute runs the pipeline: suites -> runner -> judges -> report. A dry
// run stops at the estimate; a run starts (or resumes), sends and scores
// what is left, writes the outputs, prints them and says how it ended.
func execute(ctx context.Context, e *env, cfg *suites.Config, ss []*suites.Suite, o *runOptions) error {
	if err := o.check(); err != nil {
		return usageError(err)
	}
	o.cache.lookup, o.writesThrough = e.lookupEnv, e.writesThrough
	cache, err := o.cache.open(e.stderr)
	if err != nil {
		return usageError(err)
	}
	if cfg, ss, err = o.sharded(cfg, ss, e.stderr); err != nil {
		return err
	}
	if o.dryRun {
		return dryRun(e.stdout, cfg, ss, o, cache)
	}
	if o.runID == "" {
		o.runID = time.Now().UTC().Format("20060102T150405Z")
	}
	lock, err := o.lockOut(e.stderr)
	if err != nil {
		return err
	}
	defer lock.Unlock()
	p, err := startRun(cfg, ss, o, cache)
	if err != nil {
		return err
	}
	p.send(ctx, e.stderr)
	if err := p.close(); err != nil {
		return err
	}
	p.print(e)
	if err := p.publish(e.stdout, e.stderr); err != nil {
		return err
	}
	return p.verdict(e.stderr)
}

// publish publishes the run's results into --history when the run is
// complete; a run cut short is left out, saying how to publish it as it
// is.
func (p *pipeline) publish(stdout, stderr io.Writer) error {
	if p.o.history == "" {
		return nil
	}
	if p.stopped != "" {
		fmt.Fprintf(stderr, "parity: the run is not complete: not published into %s (`parity run --resume --out %s --history %s` finishes and publishes it; `parity publish --history %s %s` publishes it as it is)\n",
			p.o.history, p.o.out, p.o.history, p.o.history, p.o.out)
		return nil
	}
	dst, err := results.Publish(p.o.history, p.o.out)
	if err != nil {
		return &exitError{code: ExitError, err: fmt.Errorf("the run's outputs are written, but publishing them failed: %w", err)}
	}
	fmt.Fprintf(stdout, "%-8s %s\n", "history", dst)
	return nil
}

// pipeline is one run under way: its inputs, its writer, what an earlier
// attempt journaled, the runner that sends the rest, and how it went.
type pipeline struct {
	o     *runOptions
	cfg   *suites.Config
	ss    []*suites.Suite
	cache *cache.Cache
	w     *report.Writer
	// journaled holds what an interrupted attempt finished; nil for a
	// new run.
	journaled *resume.Journaled
	r         *runner.Runner
	// planned is what r sends; arrived, what came back.
	planned, arrived int
	// writeErr is the first result the writer refused: sending stopped
	// there, since nothing that came back could be kept.
	writeErr error
	// stopped says why the run ended early; "" when it did not.
	stopped string
	// seq is the sequential gate's state under --sequential, else nil.
	seq *gate.Sequential
}

// startRun prepares the output directory, opens the report writer,
// replays into it what an interrupted attempt journaled, and builds the
// runner that sends the rest.
func startRun(cfg *suites.Config, ss []*suites.Suite, o *runOptions, cache *cache.Cache) (*pipeline, error) {
	wopts, seq, err := o.writerOptions(cfg, ss)
	if err != nil {
		return nil, err
	}
	if err := o.start(cfg, ss); err != nil {
		return nil, err
	}
	if !o.started.IsZero() {
		wopts = append(wopts, report.WithStarted(o.started))
	}
	p := &pipeline{o: o, cfg: cfg, ss: ss, cache: cache, seq: seq}
	if p.w, err = report.NewWriter(o.out, cfg, o.runID, wopts...); err != nil {
		return nil, &exitError{code: ExitError, err: err}
	}
	// The results an interrupted attempt journaled go into the outputs as
	// they were; their requests are not sent again.
	if o.resume {
		if p.journaled, err = resume.Replay(o.out, cfg, ss, p.w.Replay); err != nil {
			p.w.Close()
			return nil, &exitError{code: ExitError, err: err}
		}
	}
	ropts := o.runnerOptions(cache, p.journaled)
	if seq != nil {
		ropts = append(ropts, runner.Order(o.seed), runner.Admit(seq.Admit))
	}
	p.r = runner.New(cfg, ropts...)
	p.planned = p.r.Planned(ss)
	p.w.SetPlanned(p.journaled.Len() + p.planned)
	return p, nil
}

// writerOptions are the report writer's options: the journal, a test's
// failing writes, and the gate when --gate names a candidate, with its
// sequential state under --sequential.
func (o *runOptions) writerOptions(cfg *suites.Config, ss []*suites.Suite) ([]report.Option, *gate.Sequential, error) {
	opts := []report.Option{report.WithJournal(), report.WithWork(o.fingerprint, o.manifestShard())}
	if o.writesThrough != nil {
		opts = append(opts, report.WithWritesThrough(o.writesThrough))
	}
	if o.gate == "" {
		return opts, nil, nil
	}
	if cfg.Provider(o.gate) == nil || cfg.Provider(cfg.Baseline) == nil || o.gate == cfg.Baseline {
		return nil, nil, usageError(fmt.Errorf("--gate %s: want a provider of the run other than the config's baseline (%q)", o.gate, cfg.Baseline))
	}
	g := gate.DefaultOptions()
	g.Baseline, g.Candidate, g.Margin, g.Mode = cfg.Baseline, o.gate, o.gateMargin, o.gateMode
	if err := g.Validate(); err != nil {
		return nil, nil, usageError(fmt.Errorf("--gate %s: %w", o.gate, err))
	}
	if !o.sequential {
		return append(opts, report.WithGate(g)), nil, nil
	}
	seq, err := o.newSequential(g, cfg, ss)
	if err != nil {
		return nil, nil, usageError(err)
	}
	g.Sequential = seq
	return append(opts, report.WithGate(g)), seq, nil
}

// runnerOptions are the runner's options: repeats, the run id, the
// results already journaled, the cache and the budget.
func (o *runOptions) runnerOptions(cache *cache.Cache, journaled *resume.Journaled) []runner.Option {
	opts := []runner.Option{runner.Repeat(o.repeat), runner.RunID(o.runID)}
	if journaled.Len() > 0 {
		// Without a journal nothing is left out, and the runner counts the
		// work without reading a case.
		opts = append(opts, runner.Skip(journaled.Skip))
	}
	if cache != nil {
		opts = append(opts, runner.UseCache(cache))
	}
	if o.maxCost > 0 {
		opts = append(opts, runner.MaxCost(o.maxCost))
	}
	return opts
}

// send sends and scores what is left, adding each result to the writer
// and the progress lines as it arrives, until everything is in, the
// budget is spent, --timeout passes, ctx is cancelled or the writer
// refuses a result (a full disk): then nothing more is sent.
func (p *pipeline) send(ctx context.Context, stderr io.Writer) {
	runCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	if p.o.timeout > 0 {
		runCtx, cancel = context.WithTimeout(runCtx, p.o.timeout)
		defer cancel()
	}
	// Scoring outlives an interrupt: results that finished are scored and
	// kept. A second Ctrl-C ends the process.
	scored := p.scorer().Run(context.WithoutCancel(ctx), p.r.Run(runCtx, p.ss))
	prog := p.newProgress(stderr)
	prog.Start()
	p.consume(scored, prog, cancel)
	prog.Stop()
	if p.seq != nil {
		// What the sequential gate withheld was never to be sent.
		p.planned -= p.r.Withheld()
		p.w.SetPlanned(p.journaled.Len() + p.planned)
	}
	switch {
	case p.writeErr != nil:
		p.stopped = "the results could not be written"
	case p.r.Err() != nil:
		p.stopped = p.r.Err().Error()
	case p.r.Exhausted():
		p.stopped = "the budget of " + format.USD(p.o.maxCost) + " is spent"
	case runCtx.Err() != nil && p.arrived < p.planned:
		p.stopped = "interrupted"
	}
}

// scorer scores the results against the baseline's answers, journaled
// ones included, caching what the embedder and the judge answer.
func (p *pipeline) scorer() *judges.Scorer {
	opts := []judges.Option{judges.KnownBaselines(p.journaled.Baselines()...)}
	if p.cache != nil {
		opts = append(opts, judges.ResponseCache(p.cache))
	}
	return judges.NewScorer(p.cfg, opts...)
}

// newProgress reports on stderr what has arrived of what each provider
// was planned.
func (p *pipeline) newProgress(stderr io.Writer) *progress.Progress {
	ids := make([]string, len(p.cfg.Providers))
	for i, pr := range p.cfg.Providers {
		ids[i] = pr.ID
	}
	return progress.New(stderr, ids, p.r.PlannedBy(p.ss), progress.Options{
		Every: p.o.progress, TTY: progress.IsTerminal(stderr), Quiet: p.o.quiet || p.o.progress <= 0,
	})
}

// consume adds every scored result to the writer and to the progress
// lines, with what it cost in this run: a cached answer was paid for
// before. When the writer refuses one, stop cancels the sending at once:
// what arrives after is counted, not kept.
func (p *pipeline) consume(scored <-chan *judges.Scored, prog *progress.Progress, stop context.CancelFunc) {
	for s := range scored {
		if p.seq != nil {
			p.seq.Observe(s.Provider.ID, s.Suite.Name, s.Case.ID, s.Score, s.CostUSD)
		}
		if p.writeErr == nil {
			if p.writeErr = p.add(s, len(scored) > 0); p.writeErr != nil {
				stop()
			}
		}
		p.arrived++
		spent := s.ScoringCostUSD
		if !s.Cached {
			spent += s.CostUSD
		}
		prog.Add(s.Provider.ID, s.Failed(), spent)
	}
}

// add adds a scored result to the writer. When more are already waiting
// (a busy run, most of the time), its journal line is held for theirs:
// rows that arrive together reach the journal in one write, not one each.
func (p *pipeline) add(s *judges.Scored, more bool) error {
	if more {
		return p.w.AddHeld(s)
	}
	return p.w.Add(s)
}

// close writes the outputs, marked interrupted when the run stopped
// early. An output that could not be written is ExitError: summary.json
// then says complete: false and the journal is kept, for --resume.
func (p *pipeline) close() error {
	if p.stopped != "" {
		p.w.SetInterrupted()
	}
	if err := p.w.Close(); err != nil { // with the error an Add met
		return &exitError{code: ExitError, err: fmt.Errorf("%w\nthe run is not complete (summary.json says so) and its journal is kept: once the outputs can be written, `parity run --resume --out %s` sends only what the journal lacks",
			err, p.o.out)}
	}
	return nil
}

// print prints the summary, the gate's verdict, and a cache that could
// not keep the answers.
func (p *pipeline) print(e *env) {
	printSummary(e.stdout, p.w)
	if g := p.w.Gate(); g != nil {
		fmt.Fprintf(e.stdout, "gate     %s: %s against %s (gate.json, gate.xml, gate.md)\n", g.Verdict, g.Candidate, g.Baseline)
	}
	if err := p.r.CacheError(); err != nil {
		fmt.Fprintf(e.stderr, "parity: answers could not be cached, a rerun will send them again: %v\n", err)
	}
}

// verdict is how the run ends: a provider that failed every request
// (ExitProviderFailed), a failed gate (only on a run that was not cut
// short), an interruption, or success.
func (p *pipeline) verdict(warn io.Writer) error {
	var gateErr error
	if g := p.w.Gate(); g != nil && p.stopped == "" {
		gateErr = gateExit(warn, g)
	}
	// A provider that answered nothing is a broken setup, not a verdict:
	// it wins over a failed gate, whose message it keeps.
	if failed := failedEvery(p.w.Summary().Providers()); failed != "" {
		return &exitError{code: ExitProviderFailed, err: errors.Join(errors.New(failed), gateErr)}
	}
	if gateErr != nil {
		return gateErr
	}
	if p.stopped != "" {
		finished, planned := p.journaled.Len()+p.arrived, p.journaled.Len()+p.planned
		return &exitError{code: ExitInterrupted, err: fmt.Errorf("%s: %d of %d results finished and were written; `parity run --resume --out %s` sends the rest",
			p.stopped, finished, planned, p.o.out)}
	}
	return nil
}

// failedEvery names the providers that failed every request they were
// sent, with their errors by class; "" when none did. A provider whose
// rows were all unsupported (nothing was sent) has not failed.
func failedEvery(provs []report.ProviderStats) string {
	var out []string
	for _, p := range provs {
		if p.N == 0 || p.OK > 0 || p.Errors[runner.ClassUnsupported] == p.N {
			continue
		}
		var classes []string
		for _, c := range runner.ErrorClasses {
			if n := p.Errors[c]; n > 0 {
				classes = append(classes, fmt.Sprintf("%s %d", c, n))
			}
		}
		out = append(out, fmt.Sprintf("provider %s failed all of its %d results (%s)", p.Provider, p.N, strings.Join(classes, ", ")))
	}
	if len(out) == 0 {
		return ""
	}
	return strings.Join(out, "; ") + ": check the keys and base URLs (`parity validate --probe`)"
}

// printSummary prints one line per provider and where the outputs are.
func printSummary(w io.Writer, rw *report.Writer) {
	sum := rw.Summary()
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "provider\tmodel\tresults\tpass\tscore\terrors\tcost\tp50\tp95\t")
	for _, p := range sum.Providers() {
		fmt.Fprintf(tw, "%s\t%s\t%d\t%s\t%s\t%d\t%s\t%s\t%s\t\n", p.Provider, p.Model, p.N, format.Pct(p.PassRate),
			format.Score(p.MeanScore), p.N-p.OK, format.USD(p.CostUSD), format.MS(p.LatencyMS.P50), format.MS(p.LatencyMS.P95))
	}
	tw.Flush()
	t := sum.Totals()
	fmt.Fprintf(w, "\n%d of %d results, total cost %s (+ %s scoring)", sum.Done(), sum.Planned(), format.USD(t.CostUSD), format.USD(t.ScoringCostUSD))
	if t.Cached > 0 {
		fmt.Fprintf(w, "; %d answers from the cache, %s spent in this run", t.Cached, format.USD(t.SpentUSD))
	}
	fmt.Fprintln(w)
	names := []string{"results", "summary", "report", "rules"}
	for i, p := range rw.Paths() {
		fmt.Fprintf(w, "%-8s %s\n", names[i], p)
	}
}

// cacheOptions are the response cache's flags.
type cacheOptions struct {
	off    bool
	dir    string
	ttl    time.Duration
	lookup func(string) (string, bool)
}

func (c *cacheOptions) register(fs *flag.FlagSet) {
	fs.BoolVar(&c.off, "no-cache", false, "send every request, and store no answer")
	fs.StringVar(&c.dir, "cache-dir", "", "where answers are cached (default $PARITY_CACHE_DIR, else the user cache directory's parity/)")
	fs.DurationVar(&c.ttl, "cache-ttl", 24*time.Hour, "how long a cached answer is reused (0: forever); drift watches want it short")
}

// open opens the cache the flags ask for; nil when it is off. It sets
// dir to the directory it resolved, absolute.
func (c *cacheOptions) open(stderr io.Writer) (*cache.Cache, error) {
	if c.off {
		if c.dir != "" {
			c.dir, _ = filepath.Abs(c.dir)
		}
		return nil, nil
	}
	dir := c.dir
	if dir == "" {
		lookup := c.lookup
		if lookup == nil {
			lookup = os.LookupEnv
		}
		if v, ok := lookup("PARITY_CACHE_DIR"); ok && v != "" {
			dir = v
		} else {
			base, err := os.UserCacheDir()
			if err != nil {
				fmt.Fprintf(stderr, "parity: no user cache directory (%v): running without the response cache\n", err)
				return nil, nil
			}
			dir = filepath.Join(base, "parity")
		}
	}
	if abs, err := filepath.Abs(dir); err == nil {
		dir = abs
	}
	c.dir = dir // the manifest records the directory used
	responses, err := cache.Open(dir, c.ttl)
	if err != nil {
		return nil, fmt.Errorf("--cache-dir: %w", err)
	}
	return responses, nil
}

// dryRun prints what a run would send, per provider, and sends nothing.
func dryRun(w io.Writer, cfg *suites.Config, ss []*suites.Suite, o *runOptions, cache *cache.Cache) error {
	opts := []runner.Option{runner.Repeat(o.repeat)}
	if cache != nil {
		opts = append(opts, runner.UseCache(cache))
	}
	est, err := runner.New(cfg, opts...).Estimate(ss)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "provider\tmodel\trequests\tcached\tinput tokens\toutput tokens (at most)\test. cost\t")
	var total runner.Estimate
	for _, e := range est {
		fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%d\t%d\t%s\t\n", e.Provider, e.Model, e.Requests, e.Cached, e.InputTokens, e.OutputTokens, format.USD(e.CostUSD))
		total.Requests += e.Requests
		total.Cached += e.Cached
		total.InputTokens += e.InputTokens
		total.OutputTokens += e.OutputTokens
		total.CostUSD += e.CostUSD
	}
	fmt.Fprintf(tw, "total\t\t%d\t%d\t%d\t%d\t%s\t\n", total.Requests, total.Cached, total.InputTokens, total.OutputTokens, format.USD(total.CostUSD))
	tw.Flush()
	fmt.Fprintf(w, "dry run: nothing was sent. Output tokens are counted at each suite's max_tokens (or %d), so the cost is an upper estimate; scoring (embedder, judge) is extra.\n", runner.DefaultOutputTokens)
	return nil
}
