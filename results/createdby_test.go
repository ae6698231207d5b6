package results

import (
	"testing"

	"github.com/parity-eval/parity/internal/testkit"
	"github.com/parity-eval/parity/internal/version"
)

// TestCreatedBy: results.parquet names the build that wrote it, as
// parity --version prints it, not an empty "parity version (build )".
func TestCreatedBy(t *testing.T) {
	t.Parallel()
	f := openParquet(t, writeParquet(t, testkit.Scored(testkit.Extract, testkit.Case("c1", nil), testkit.Frontier, 1)))
	if got, want := f.Metadata().CreatedBy, version.String(); got != want {
		t.Errorf("created_by %q, want %q", got, want)
	}
}
