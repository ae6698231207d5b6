package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/parity-eval/parity/gate"
	"github.com/parity-eval/parity/runner"
	"github.com/parity-eval/parity/suites"
)

// pairOnly returns cfg with only the gate's two providers: a sequential
// gate sends nothing else. The original is not changed.
func pairOnly(cfg *suites.Config, baseline, candidate string, stdout io.Writer) *suites.Config {
	c := *cfg
	c.Providers = nil
	var left []string
	for _, p := range cfg.Providers {
		if p.ID == baseline || p.ID == candidate {
			c.Providers = append(c.Providers, p)
		} else {
			left = append(left, p.ID)
		}
	}
	if len(left) > 0 {
		fmt.Fprintf(stdout, "sequential gate: sending only %s and %s (%s left out)\n", baseline, candidate, strings.Join(left, ", "))
	}
	return &c
}

// newSequential returns the gate's sequential state over the suites of
// ss that both gated providers of cfg send (a suite one of them cannot
// serve has no pairs to decide, and would inflate the savings): the
// runner follows it (runner.Order, runner.Admit), the gate decides by it.
func (o *runOptions) newSequential(g gate.Options, cfg *suites.Config, ss []*suites.Suite) (*gate.Sequential, error) {
	count := runner.New(cfg)
	var plan []gate.SequentialPlan
	for _, s := range ss {
		sent := count.RequestsBy([]*suites.Suite{s})
		if cases := min(sent[g.Baseline], sent[g.Candidate]); cases > 0 {
			plan = append(plan, gate.SequentialPlan{Suite: s.Name, Cases: cases})
		}
	}
	seq, err := gate.NewSequential(g, plan, o.repeat, o.seed)
	if err != nil {
		return nil, fmt.Errorf("--sequential: %w", err)
	}
	return seq, nil
}
