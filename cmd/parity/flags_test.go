package main

import (
	"os"
	"testing"

	"github.com/parity-eval/parity/internal/testkit"
)

// TestImpossibleFlags: a numeric flag no run can have fails before
// anything is read or sent, with exit code 2 and a message naming the
// flag and its range: the simulated providers see no request, and no
// --out is made.
func TestImpossibleFlags(t *testing.T) {
	t.Parallel()
	srv, cfg, out := twoProviders(t, always, "{concurrency: 4}")
	run := []string{"run", "--config", cfg, "--suites", classifySuite, "--out", out, "--quiet"}
	for _, tt := range []struct {
		name string
		args []string
	}{
		// A negative duration is no limit no one can mean.
		{"timeout-negative", []string{"--timeout", "-1s"}},
		{"cache-ttl-negative", []string{"--cache-ttl", "-5h"}},
		{"progress-negative", []string{"--progress", "-1s"}},
		// A margin is a score difference in [0, 1).
		{"gate-margin-negative", []string{"--gate", "b", "--gate-margin", "-2"}},
		{"gate-margin-one", []string{"--gate", "b", "--gate-margin", "1"}},
		{"gate-margin-nan", []string{"--gate", "b", "--gate-margin", "NaN"}},
		// A budget is a finite number of USD, at least 0.
		{"max-cost-negative", []string{"--max-cost", "-1"}},
		{"max-cost-nan", []string{"--max-cost", "NaN"}},
		{"max-cost-inf", []string{"--max-cost", "+Inf"}},
		{"repeat-zero", []string{"--repeat", "0"}},
		// A shard is i/n, 1-based; every shard carries the run's id; a
		// sequential gate is not sharded; auto needs its variables.
		{"shard-zero", []string{"--shard", "0/4", "--run-id", "n1"}},
		{"shard-past-count", []string{"--shard", "5/4", "--run-id", "n1"}},
		{"shard-not-i-n", []string{"--shard", "2", "--run-id", "n1"}},
		{"shard-no-run-id", []string{"--shard", "1/4"}},
		{"shard-sequential", []string{"--shard", "1/2", "--run-id", "n1", "--gate", "b", "--sequential"}},
		{"shard-auto-unset", []string{"--shard", "auto", "--run-id", "n1"}},
		// Checked before --resume reads anything.
		{"resume-timeout-negative", []string{"--resume", "--timeout", "-1s"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := cli(t, nil, append(run[:len(run):len(run)], tt.args...)...)
			if code != ExitUsage || stdout != "" {
				t.Errorf("exit %d, stdout %q; want %d and nothing", code, stdout, ExitUsage)
			}
			testkit.Golden(t, "broken/flag-"+tt.name+".stderr", stderr)
		})
	}
	if code, _, stderr := cli(t, nil, "validate", "--config", cfg, "--suites", classifySuite, "--repeat", "0"); code != ExitUsage {
		t.Errorf("validate --repeat 0: exit %d: %s", code, stderr)
	}
	if n := len(srv.Requests()); n != 0 {
		t.Errorf("the simulated providers saw %d requests", n)
	}
	if _, err := os.Stat(out); err == nil {
		t.Error("a refused run made its --out")
	}
}
