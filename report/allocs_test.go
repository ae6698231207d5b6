package report

import (
	"fmt"
	"strings"
	"testing"

	"github.com/parity-eval/parity/internal/testkit"
	"github.com/parity-eval/parity/results"
	"github.com/parity-eval/parity/runner"
	"github.com/parity-eval/parity/suites"

	"github.com/parity-eval/parity/judges"
)

// The allocation guards below feed a warmed-up accumulator realistic
// rows (1 KB outputs, suite and case metadata, a failed request, an
// untagged suite) whose groups already exist, so that a count above the
// one asserted is a regression of the per-row path, not a map growing.
// testing.AllocsPerRun counts the same allocations on every run of the
// same code (nothing here uses a sync.Pool, which a GC or the race
// detector empties), so the guards are exact and not flaky. It refuses
// to run in parallel tests: these are not.

// allocRows are rows of groups that exist after one pass: every test
// provider on a tagged suite with metadata, an untagged suite, and
// failed requests of two classes.
func allocRows() []*judges.Scored {
	plain := &suites.Suite{Name: "plain"}
	c := testkit.Case("c-alloc", map[string]string{"customer": "acme", "step": "review"}) // overrides Extract's step
	body := strings.Repeat("lorem ipsum ", 85)                                            // about 1 KB
	var rows []*judges.Scored
	for _, p := range testkit.Providers {
		for _, s := range []*suites.Suite{testkit.Extract, testkit.Classify, plain} {
			r := testkit.Scored(s, c, p, 0.75)
			r.Result.Output = body
			rows = append(rows, r)
		}
	}
	return append(rows,
		testkit.FailedScored(testkit.Extract, c, testkit.Flaky, runner.ClassTimeout),
		testkit.FailedScored(plain, c, testkit.Mini, runner.ClassRateLimit))
}

// allocsPerPass returns the allocations of one pass of add over rows,
// after a first pass: AllocsPerRun averages whole passes, so that one
// allocation in any row counts.
func allocsPerPass(rows []*judges.Scored, add func(*judges.Scored)) float64 {
	return testing.AllocsPerRun(10, func() {
		for _, r := range rows {
			add(r)
		}
	})
}

// TestSummaryAddAllocs: every group a row counts in (provider, suite,
// cell, kind, tags, capabilities, attributes, errors) costs nothing.
func TestSummaryAddAllocs(t *testing.T) {
	sum := NewSummary("run-allocs")
	if n := allocsPerPass(allocRows(), sum.Add); n != 0 {
		t.Errorf("Summary.Add: %v allocations for a pass over the rows, want 0", n)
	}
}

// TestAttributesAddAllocs: the walk over a row's metadata, the case's and
// the suite's it does not override, costs nothing.
func TestAttributesAddAllocs(t *testing.T) {
	a := newAttributes()
	if n := allocsPerPass(allocRows(), a.add); n != 0 {
		t.Errorf("attributes.add: %v allocations for a pass over the rows, want 0", n)
	}
}

// TestCapabilitiesAddAllocs: a failed row's detail is built only for the
// first failure of its cell.
func TestCapabilitiesAddAllocs(t *testing.T) {
	m := newCapabilityMatrix()
	if n := allocsPerPass(allocRows(), m.add); n != 0 {
		t.Errorf("capabilityMatrix.add: %v allocations for a pass over the rows, want 0", n)
	}
}

// TestHTMLReportAddAllocs: a row whose case the sample does not keep, or
// whose case it keeps with that provider's row already, costs nothing.
func TestHTMLReportAddAllocs(t *testing.T) {
	h := NewHTMLReport(DefaultMaxCases, DefaultSamplePerSuite)
	gen := testkit.GenRows()
	for i := range 3000 { // fills both samples with failing cases
		h.Add(gen(i))
	}
	unsampled := unsampledRows(t, h, testkit.Extract)
	if n := allocsPerPass(unsampled, h.Add); n != 0 {
		t.Errorf("HTMLReport.Add of a row not sampled: %v allocations for a pass over the rows, want 0", n)
	}
	if n := allocsPerPass(sampledRows(h, gen), h.Add); n != 0 {
		t.Errorf("HTMLReport.Add of a sampled case's row again: %v allocations for a pass over the rows, want 0", n)
	}
}

// sampledRows returns again rows of the first 3,000 of gen that h keeps.
func sampledRows(h *HTMLReport, gen func(int) *judges.Scored) []*judges.Scored {
	var rows []*judges.Scored
	for i := 0; len(rows) < 4; i++ {
		if r := gen(i); h.sample.entries[drillKeyOf(r)] != nil {
			rows = append(rows, r)
		}
	}
	return rows
}

// unsampledRows returns passing rows of new cases of suite that neither
// of h's samples would keep.
func unsampledRows(t *testing.T, h *HTMLReport, suite *suites.Suite) []*judges.Scored {
	t.Helper()
	top := h.sample.suites[suite.Name].items[0].hash
	var rows []*judges.Scored
	for i := 0; len(rows) < 4; i++ {
		c := testkit.Case(fmt.Sprintf("unsampled-%d", i), nil)
		if drillHash(drillKey{suite.Name, c.ID, 0}) > top {
			rows = append(rows, testkit.Scored(suite, c, testkit.Providers[i%3], 1))
		}
	}
	for _, r := range rows {
		h.Add(r)
		if h.sample.entries[drillKeyOf(r)] != nil {
			t.Fatalf("case %s was sampled", results.CaseID(r))
		}
	}
	return rows
}
