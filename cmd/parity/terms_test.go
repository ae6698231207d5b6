package main

import (
	"strings"
	"testing"
)

// TestLibraryErrorsInFlagTerms: the libraries' errors name their own
// option fields and files; the CLI says them with the flags and commands
// that set them, and keeps their exit code.
func TestLibraryErrorsInFlagTerms(t *testing.T) {
	t.Parallel()
	empty := t.TempDir()
	tests := []struct {
		name string
		args []string
		want string
	}{
		// gate.ErrSidesUnnamed
		{"gate without a baseline", []string{"gate", "--candidate", "b", empty}, "parity: gate: --baseline and --candidate name the providers to compare\n"},
		// results.NoResultsError
		{"a run directory without results", []string{"rules", empty},
			"holds no results.parquet (is the run finished? `parity run --resume --out " + empty + "` completes it)\n"},
		// export.EndpointError
		{"litellm without a config", []string{"rules", rulesResults(t), "--format", "litellm"}, "has no base_url in the rules: pass the run's --config\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			code, _, stderr := cli(t, rulesEnv, tt.args...)
			if code != ExitUsage || !strings.HasSuffix(stderr, tt.want) {
				t.Errorf("exit %d, stderr %q; want %d and %q", code, stderr, ExitUsage, tt.want)
			}
		})
	}
}
