package main

import (
	"context"
	"flag"
	"fmt"
	"text/tabwriter"

	"github.com/parity-eval/parity/runner"
)

func validateCommand(e *env) *command {
	fs := flag.NewFlagSet("validate", flag.ContinueOnError)
	var in inputs
	in.register(fs)
	repeat := fs.Int("repeat", 1, "repeats per case, for the request count")
	return &command{
		name:  "validate",
		usage: "validate [--config parity.yaml] [--suites DIR] [--providers a,b]   check config and suites; sends nothing",
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
			return nil
		},
	}
}
