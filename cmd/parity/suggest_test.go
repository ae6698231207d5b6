package main

import (
	"slices"
	"strings"
	"testing"

	"github.com/parity-eval/parity/internal/testkit"
)

func TestDistance(t *testing.T) {
	t.Parallel()
	tests := []struct {
		a, b string
		want int
	}{
		{"run", "run", 0},
		{"rnu", "run", 1},           // two letters swapped
		{"max-cots", "max-cost", 1}, // the same, in a flag
		{"rn", "run", 1},            // a letter missing
		{"runn", "run", 1},          // one too many
		{"rum", "run", 1},           // one wrong
		{"valdiate", "validate", 1},
		{"histroy", "history", 1},
		{"", "gate", 4},
		{"gate", "diff", 4},
	}
	for _, tt := range tests {
		if got := distance(tt.a, tt.b); got != tt.want {
			t.Errorf("distance(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
	}
}

func TestSuggest(t *testing.T) {
	t.Parallel()
	cmds := []string{"run", "validate", "demo", "fixtures", "gate", "diff", "history", "rules", "version"}
	tests := []struct {
		typed string
		want  []string
	}{
		{"rnu", []string{"run"}},
		{"gaet", []string{"gate"}},
		{"rule", []string{"rules"}},
		// Within two edits.
		{"fixture", []string{"fixtures"}},
		{"vlidat", []string{"validate"}},
		// A prefix too far for two edits.
		{"hist", []string{"history"}},
		{"fix", []string{"fixtures"}},
		// Equally close.
		{"dif", []string{"diff"}},
		{"r", nil},   // one letter is no word
		{"xyz", nil}, // nothing is near
		{"go", nil},  // two edits of two letters is anything
	}
	for _, tt := range tests {
		if got := suggest(tt.typed, cmds); !slices.Equal(got, tt.want) {
			t.Errorf("suggest(%q) = %q, want %q", tt.typed, got, tt.want)
		}
	}
	if got := didYouMean("rn", "", []string{"run", "rm"}); got != "; did you mean run or rm?" {
		t.Errorf("two suggestions: %q", got)
	}
}

// TestMisspelled: a misspelled command or flag is a usage error with
// the name it probably meant, said with --, and a short usage; the
// flags a command parses itself (after positional arguments) too.
func TestMisspelled(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		args []string
	}{
		{"flag-misspelled", []string{"run", "--max-cots", "1"}},
		{"flag-misspelled-equals", []string{"run", "-max-cots=1"}},
		{"flag-misspelled-after-args", []string{"gate", "out/run", "--bsaeline", "a"}},
		{"flag-misspelled-rules", []string{"rules", "out/run", "--tolerence", "0.1"}},
		{"flag-unknown", []string{"diff", "--zzz"}},
		{"flag-no-value", []string{"run", "--out"}},
		{"flag-bad-value", []string{"run", "--repeat", "x"}},
		{"global-flag-misspelled", []string{"--verison"}},
		{"help-unknown-command", []string{"help", "rnu"}},
		{"merge-misspelled", []string{"mrege", "--out", "merged", "out/shard-1"}},
		{"merge-flag-misspelled", []string{"merge", "out/shard-1", "--otu", "merged"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			code, stdout, stderr := cli(t, nil, tt.args...)
			if code != ExitUsage || stdout != "" {
				t.Errorf("exit %d, stdout %q; want %d and nothing", code, stdout, ExitUsage)
			}
			if strings.Contains(stderr, " -max") || strings.Contains(stderr, "provided but not defined") {
				t.Errorf("stderr in the flag package's terms: %s", stderr)
			}
			testkit.Golden(t, "broken/"+tt.name+".stderr", stderr)
		})
	}
}
