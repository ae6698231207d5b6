package main

import (
	"errors"
	"fmt"
	"io"

	"github.com/parity-eval/parity/internal/format"
	"github.com/parity-eval/parity/results"
	"github.com/parity-eval/parity/shard"
	"github.com/parity-eval/parity/suites"
)

// resolveShard reads --shard, auto from the environment lookup answers,
// and says it back in shardSpec as i/n; it refuses a sharded run without
// --run-id, and --sequential over several shards.
func (o *runOptions) resolveShard(lookup func(string) (string, bool)) error {
	if o.shardSpec == "" {
		return nil
	}
	s, err := shard.Parse(o.shardSpec, func(k string) string { v, _ := lookup(k); return v })
	if err != nil {
		return err
	}
	o.shardSpec = s.String()
	switch {
	case o.runID == "" && !o.dryRun && !o.resume:
		return fmt.Errorf("--shard %s needs --run-id: every shard of a run must carry the same id for `parity merge` to join them (the default, the start time, differs from machine to machine)", s)
	case o.sequential && s.Sharded():
		return errors.New("--sequential cannot be sharded: each shard's gate would stop on its own cases, which are dealt out by cost, not at random, so no shard's verdict is the suite's, and parity merge does not combine them; run the sequential gate unsharded, or shard a fixed-size run and gate the merged results (`parity gate`)")
	}
	return nil
}

// sharded fingerprints the work of cfg over ss and, when the run is one
// shard of several, returns that shard's part of it: its cases (see
// shard.Split) and cfg with each provider's rpm and tpm divided among the
// shards (shard.Limits). It says the share on warn, unless quiet.
func (o *runOptions) sharded(cfg *suites.Config, ss []*suites.Suite, warn io.Writer) (*suites.Config, []*suites.Suite, error) {
	o.shard = shard.Whole
	if o.shardSpec != "" {
		s, err := shard.Parse(o.shardSpec, func(string) string { return "" })
		if err != nil {
			return nil, nil, usageError(err)
		}
		o.shard = s
	}
	fp, err := shard.Fingerprint(cfg, ss, o.workSettings())
	if err != nil && o.shard.Sharded() {
		return nil, nil, usageError(err)
	}
	o.fingerprint = fp // "" when it failed: only merging shards needs it
	if !o.shard.Sharded() {
		return cfg, ss, nil
	}
	limited, err := shard.Limits(cfg, o.shard.Count)
	if err != nil {
		return nil, nil, usageError(fmt.Errorf("--shard %s: %w", o.shard, err))
	}
	plan, err := shard.Split(cfg, ss, o.repeat, o.shard.Count)
	if err != nil {
		return nil, nil, usageError(err)
	}
	share, err := plan.Share(ss, o.shard)
	if err != nil {
		return nil, nil, usageError(err)
	}
	if !o.quiet {
		fmt.Fprintln(warn, shareLine(plan, o.shard, suites.CountCases(share), suites.CountCases(ss)))
	}
	return limited, share, nil
}

// shareLine says what a shard runs of the whole: its cases, their
// estimated cost, and the balance of the split.
func shareLine(p *shard.Plan, s shard.Shard, cases, all int) string {
	var total int64
	for _, c := range p.Costs {
		total += c
	}
	cost := func(c int64) string { return format.USD(float64(c) / shard.CostScale) }
	if p.Tokens {
		cost = func(c int64) string { return fmt.Sprintf("%d tokens", c) }
	}
	return fmt.Sprintf("parity: shard %s: %s of %d, %d results, est. %s of %s (the dearest shard is %.2fx the cheapest)",
		s, plural(cases, "case"), all, p.Results[s.Index-1], cost(p.Costs[s.Index-1]), cost(total), p.Balance())
}

// workSettings are the flags that decide the run's work, for its
// fingerprint.
func (o *runOptions) workSettings() shard.Settings {
	set := shard.Settings{Repeat: o.repeat}
	if o.sequential {
		set.Sequential, set.Seed, set.Gate = true, o.seed, o.gate
	}
	return set
}

// manifestShard is the shard results.parquet's manifest records; nil for
// a run without --shard (a --shard 1/1 is recorded: a matrix of one job
// still merges).
func (o *runOptions) manifestShard() *results.ManifestShard {
	if o.shardSpec == "" {
		return nil
	}
	return &results.ManifestShard{Index: o.shard.Index, Count: o.shard.Count}
}
