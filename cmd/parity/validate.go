package main

import (
	"context"
	"flag"
	"fmt"
	"text/tabwriter"
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
			cfg, ss, err := in.load(e.lookupEnv)
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
			cases := countCases(ss)
			fmt.Fprintf(e.stdout, "ok: %s, %s, %s: a run sends %d requests (cases x providers x %d repeats)\n",
				plural(len(ss), "suite"), plural(cases, "case"), plural(len(cfg.Providers), "provider"),
				cases*len(cfg.Providers)*max(*repeat, 1), max(*repeat, 1))
			return nil
		},
	}
}
