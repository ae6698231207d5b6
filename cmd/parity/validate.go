package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/parity-eval/parity/runner"
)

func validateCommand(e *env) *command {
	fs := flag.NewFlagSet("validate", flag.ContinueOnError)
	var in inputs
	in.register(fs)
	repeat := fs.Int("repeat", 1, "repeats per case, for the request count")
	probe := fs.Bool("probe", false, "also send one cheap request per provider (the models list, or a 1-token chat) to check its key and endpoint; exit 4 when one fails")
	return &command{
		name:  "validate",
		usage: "validate [--config parity.yaml] [--suites DIR] [--providers a,b] [--probe]   check config and suites; sends nothing unless --probe",
		fs:    fs,
		run: func(ctx context.Context, args []string) error {
			if *repeat < 1 {
				return usageError(fmt.Errorf("--repeat %d: at least 1", *repeat))
			}
			cfg, ss, err := in.load(e.lookupEnv, e.stderr)
			if err != nil {
				return err
			}
			tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "suite\ttags\tcases\tchecks\tfile")
			for _, s := range ss {
				names := ""
				for i, c := range s.Checks {
					if i > 0 {
						names += ","
					}
					names += c.Name
				}
				fmt.Fprintf(tw, "%s\t%v\t%d\t%s\t%s\n", s.Name, s.Tags, len(s.Cases), names, s.File)
			}
			tw.Flush()
			k := *repeat
			fmt.Fprintf(e.stdout, "ok: %s, %s, %s: a run sends %d requests (each case to each provider that serves its kind, %d times)\n",
				plural(len(ss), "suite"), plural(countCases(ss), "case"), plural(len(cfg.Providers), "provider"),
				runner.New(cfg, runner.Repeat(k)).Planned(ss), k)
			if *probe {
				return printProbes(e.stdout, runner.ProbeProviders(ctx, cfg, nil))
			}
			return nil
		},
	}
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
