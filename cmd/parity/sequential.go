package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/parity-eval/parity/gate"
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

// newSequential returns the gate's sequential state over ss: the runner
// follows it (runner.Order, runner.Admit), the gate decides by it.
func (o *runOptions) newSequential(g gate.Options, ss []*suites.Suite) (*gate.Sequential, error) {
	plan := make([]gate.SequentialPlan, len(ss))
	for i, s := range ss {
		plan[i] = gate.SequentialPlan{Suite: s.Name, Cases: len(s.Cases)}
	}
	seq, err := gate.NewSequential(g, plan, o.repeat, o.seed)
	if err != nil {
		return nil, fmt.Errorf("--sequential: %w", err)
	}
	return seq, nil
}
