package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/parity-eval/parity/runner"
	"github.com/parity-eval/parity/suites"
)

func validateCommand(e *env) *command {
	fs := flag.NewFlagSet("validate", flag.ContinueOnError)
	var in inputs
	in.register(fs)
	repeat := fs.Int("repeat", 1, "repeats per case, for the request count and the plan")
	probe := fs.Bool("probe", false, "also send one cheap request per provider (the models list, or a 1-token chat) to check its key and endpoint; exit 4 when one fails")
	var plan planFlags
	plan.register(fs)
	return &command{
		name:  "validate",
		usage: "validate [--config parity.yaml] [--suites DIR] [--providers a,b] [--probe] [--plan] [--pilot RUN] [--assume-sd SD] [--candidate ID] [--margin 0.03] [--power 0.8]   check config and suites, and plan the cases a gate needs; sends nothing unless --probe",
		fs:    fs,
		run: func(ctx context.Context, args []string) error {
			if *repeat < 1 {
				return usageError(fmt.Errorf("--repeat %d: at least 1", *repeat))
			}
			if err := plan.checkFlags(fs); err != nil {
				return err
			}
			cfg, ss, err := in.load(e.lookupEnv, e.stderr)
			if err != nil {
				return err
			}
			var pn *planned
			if plan.wanted() {
				if pn, err = plan.makePlan(cfg, ss); err != nil {
					return err
				}
			}
			printSuites(e.stdout, ss)
			fmt.Fprintf(e.stdout, "ok: %s, %s, %s: ", plural(len(ss), "suite"), plural(suites.CountCases(ss), "case"), plural(len(cfg.Providers), "provider"))
			printCounts(e.stdout, runner.New(cfg, runner.Repeat(*repeat)), ss, *repeat)
			if pn != nil {
				plan.printPlan(e.stdout, pn, *repeat)
			}
			if *probe {
				return printProbes(e.stdout, runner.ProbeProviders(ctx, cfg, nil))
			}
			return nil
		},
	}
}

// printSuites prints a line per suite: its tags, cases, checks and file.
func printSuites(w io.Writer, ss []*suites.Suite) {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "suite\ttags\tcases\tchecks\tfile")
	for _, s := range ss {
		names := make([]string, len(s.Checks))
		for i, c := range s.Checks {
			names[i] = c.Name
		}
		fmt.Fprintf(tw, "%s\t%v\t%d\t%s\t%s\n", s.Name, s.Tags, s.Cases.Len(), strings.Join(names, ","), s.File)
	}
	tw.Flush()
}

// printCounts prints the results a run of ss with r produces and the
// requests it sends: one per result but those whose provider lacks a
// capability the suite needs. validate has no cache, so the count is of
// what a run with an empty one sends, before any retry.
func printCounts(w io.Writer, r *runner.Runner, ss []*suites.Suite, repeat int) {
	results, requests := r.Planned(ss), r.Requests(ss)
	fmt.Fprintf(w, "a run produces %s (each case to each provider that serves its kind, %d times)\n", plural(results, "result"), repeat)
	but := ""
	if n := results - requests; n > 0 {
		but = fmt.Sprintf(" but the %d unsupported (the provider lacks a capability the suite needs)", n)
	}
	fmt.Fprintf(w, "and sends %s, one per result%s; fewer when the cache answers, more when one is retried\n", plural(requests, "request"), but)
}

// printProbes prints a line per probed provider and fails with
// ExitProviderFailed when one did not answer.
func printProbes(w io.Writer, probes []runner.Probe) error {
	var failed []string
	for _, p := range probes {
		switch {
		case !p.OK():
			failed = append(failed, p.Provider)
			fmt.Fprintf(w, "probe %s (%s, %s): %s: %s\n", p.Provider, p.Model, p.Method, p.ErrorClass, p.Error)
		case p.Note != "":
			fmt.Fprintf(w, "probe %s (%s, %s): ok; note: %s\n", p.Provider, p.Model, p.Method, p.Note)
		default:
			fmt.Fprintf(w, "probe %s (%s, %s): ok\n", p.Provider, p.Model, p.Method)
		}
	}
	if len(failed) > 0 {
		return &exitError{code: ExitProviderFailed, err: fmt.Errorf("probe: %s did not answer: fix the key or base_url before a run", strings.Join(failed, ", "))}
	}
	return nil
}
