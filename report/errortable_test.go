package report

import (
	"testing"

	"github.com/parity-eval/parity/runner"
)

// TestErrorHints checks the error table explains every class the runner
// records, and no other.
func TestErrorHints(t *testing.T) {
	t.Parallel()
	for _, c := range runner.ErrorClasses {
		if errorHints[c] == "" {
			t.Errorf("error class %s has no hint", c)
		}
	}
	if len(errorHints) != len(runner.ErrorClasses) {
		t.Errorf("%d hints for %d error classes", len(errorHints), len(runner.ErrorClasses))
	}
}
