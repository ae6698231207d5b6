package main

import (
	"context"
	"flag"
	"fmt"

	"github.com/parity-eval/parity/gate"
)

func historyCommand(e *env) *command {
	fs := flag.NewFlagSet("history", flag.ContinueOnError)
	o := gate.DefaultHistoryOptions()
	format := fs.String("format", "text", "what to print: text or json")
	order := fs.String("order", "time", "time: sort the runs by their earliest started_at; args: keep the order given")
	fs.Float64Var(&o.Threshold, "threshold", o.Threshold, "flag a metric deviating more than this share from its rolling mean")
	fs.IntVar(&o.Window, "window", o.Window, "how many previous runs the rolling mean covers")
	return &command{
		name:  "history",
		usage: "history [--threshold 0.2] [--window 7] [--order time|args] [--format text|json] RUNS...   each provider's score, pass rate, cost and latency over runs, flagging drift",
		fs:    fs,
		run: func(_ context.Context, args []string) error {
			paths, err := interspersed(fs, args)
			if err != nil {
				return usageError(err)
			}
			if *format != "text" && *format != "json" {
				return usageError(fmt.Errorf("--format %q: want text or json", *format))
			}
			if *order != "time" && *order != "args" {
				return usageError(fmt.Errorf("--order %q: want time or args", *order))
			}
			o.ByArguments = *order == "args"
			res, err := gate.ReadHistory(o, paths...)
			if err != nil {
				return usageError(err)
			}
			if *format == "json" {
				return outputError(res.WriteJSON(e.stdout))
			}
			return outputError(res.WriteText(e.stdout))
		},
	}
}
