package main

import (
	"io"
	"strings"
	"testing"

	"github.com/parity-eval/parity/internal/testkit"
)

// TestHelpEveryCommand: every command in the table prints its usage and
// flags on stdout and exits 0, asked with --help, -h or `parity help
// CMD`; flags read as --name.
func TestHelpEveryCommand(t *testing.T) {
	t.Parallel()
	for _, c := range commands(&env{stdout: io.Discard, stderr: io.Discard}) {
		for _, args := range [][]string{{c.name, "--help"}, {c.name, "-h"}, {"help", c.name}} {
			code, stdout, stderr := cli(t, nil, args...)
			if code != ExitOK || stderr != "" || !strings.HasPrefix(stdout, "usage: parity "+c.name) {
				t.Errorf("parity %s: exit %d, stderr %q, stdout %q", strings.Join(args, " "), code, stderr, stdout)
			}
			if strings.Contains(stdout, "\n  -") && !strings.Contains(stdout, "\n  --") {
				t.Errorf("parity %s prints flags as -name:\n%s", strings.Join(args, " "), stdout)
			}
		}
	}
}

// TestHelpGoldens: the top-level help and a command's, as printed.
func TestHelpGoldens(t *testing.T) {
	t.Parallel()
	tests := []struct {
		golden string
		args   []string
	}{
		{"parity.stdout", []string{"--help"}},
		{"parity.stdout", []string{"-h"}},
		{"parity.stdout", []string{"help"}},
		{"run.stdout", []string{"run", "--help"}},
		// The demo's own defaults: --no-cache and --overwrite on.
		{"demo.stdout", []string{"demo", "--help"}},
		// After the verb, and where flags follow positional arguments.
		{"fixtures.stdout", []string{"fixtures", "serve", "--help"}},
		{"gate.stdout", []string{"gate", "out/run", "--help"}},
		{"rules.stdout", []string{"rules", "out/run", "--help"}},
		{"merge.stdout", []string{"merge", "out/shard-1", "--help"}},
	}
	for _, tt := range tests {
		code, stdout, stderr := cli(t, nil, tt.args...)
		if code != ExitOK || stderr != "" {
			t.Errorf("parity %s: exit %d, stderr %q", strings.Join(tt.args, " "), code, stderr)
		}
		testkit.Golden(t, "help/"+tt.golden, stdout)
	}
}

// TestUsageOnStderr: no command at all is a usage error, its usage on
// stderr.
func TestUsageOnStderr(t *testing.T) {
	t.Parallel()
	code, stdout, stderr := cli(t, nil)
	if code != ExitUsage || stdout != "" || !strings.Contains(stderr, "parity run") {
		t.Errorf("no arguments: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
}
