package main

import (
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/parity-eval/parity/runner"
	"github.com/parity-eval/parity/suites"
)

// dryRun prints what a run would send, per provider, and sends nothing.
func dryRun(w io.Writer, cfg *suites.Config, ss []*suites.Suite, o *runOptions, cache *runner.Cache) error {
	opts := []runner.Option{runner.Repeat(o.repeat)}
	if cache != nil {
		opts = append(opts, runner.UseCache(cache))
	}
	est := runner.New(cfg, opts...).Estimate(ss)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "provider\tmodel\trequests\tcached\tinput tokens\toutput tokens (at most)\test. cost\t")
	var total runner.Estimate
	for _, e := range est {
		fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%d\t%d\t$%.4f\t\n", e.Provider, e.Model, e.Requests, e.Cached, e.InputTokens, e.OutputTokens, e.CostUSD)
		total.Requests += e.Requests
		total.Cached += e.Cached
		total.InputTokens += e.InputTokens
		total.OutputTokens += e.OutputTokens
		total.CostUSD += e.CostUSD
	}
	fmt.Fprintf(tw, "total\t\t%d\t%d\t%d\t%d\t$%.4f\t\n", total.Requests, total.Cached, total.InputTokens, total.OutputTokens, total.CostUSD)
	tw.Flush()
	fmt.Fprintf(w, "dry run: nothing was sent. Output tokens are counted at each suite's max_tokens (or %d), so the cost is an upper estimate; scoring (embedder, judge) is extra.\n", runner.DefaultOutputTokens)
	return nil
}
