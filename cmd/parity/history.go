package main

import (
	"flag"
	"fmt"

	"github.com/parity-eval/parity/gate"
)

// historyCommand is `parity history`: each provider's figures over runs,
// flagging drift.
func historyCommand(e *env) *command {
	fs := flag.NewFlagSet("history", flag.ContinueOnError)
	o := gate.DefaultHistoryOptions()
	order := fs.String("order", "time", "time: sort the runs by their earliest started_at; args: keep the order given")
	fs.Float64Var(&o.Threshold, "threshold", o.Threshold, "flag a metric deviating more than this share from its rolling mean")
	fs.IntVar(&o.Window, "window", o.Window, "how many previous runs the rolling mean covers")
	var days runRange
	days.register(fs)
	usage := "history [--threshold 0.2] [--window 7] [--order time|args] [--since DAY] [--until DAY] [--format text|json] RUNS...   " +
		"each provider's score, pass rate, cost and latency over runs (or a history ROOT's, see parity publish), flagging drift"
	return readCommand(e, fs, usage, func(paths []string) (printer, error) {
		if *order != "time" && *order != "args" {
			return nil, fmt.Errorf("--order %q: want time or args", *order)
		}
		o.ByArguments = *order == "args"
		paths, err := days.expand(paths)
		if err != nil {
			return nil, err
		}
		return gate.ReadHistory(o, paths...)
	})
}
