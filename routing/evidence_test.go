package routing

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/parity-eval/parity/internal/testkit"
	"github.com/parity-eval/parity/judges"
	"github.com/parity-eval/parity/runner"
	"github.com/parity-eval/parity/suites"
)

// TestEvidenceAddScoredAllocs: once a case's cells exist, recording a row
// of it (a tagged suite with needs, an untagged one, a failed request, an
// unsupported one) allocates nothing. AllocsPerRun counts whole passes
// over the rows, so that one allocation in any row counts.
func TestEvidenceAddScoredAllocs(t *testing.T) {
	json := &suites.Suite{Name: "json", Tags: []string{"extract"}, Needs: []suites.Capability{suites.CapJSONSchema}}
	plain := &suites.Suite{Name: "plain"}
	c := testkit.Case("c-alloc", nil)
	var rows []*judges.Scored
	for _, p := range testkit.Providers {
		for _, s := range []*suites.Suite{testkit.Extract, testkit.Classify, json, plain} {
			rows = append(rows, testkit.Scored(s, c, p, 0.75))
		}
	}
	unsupported := testkit.FailedScored(json, c, testkit.Flaky, runner.ClassUnsupported)
	unsupported.Result.Error = "provider does not declare capability json_schema that the suite needs"
	rows = append(rows, testkit.FailedScored(testkit.Extract, c, testkit.Flaky, runner.ClassTimeout), unsupported)
	ev := NewEvidence()
	n := testing.AllocsPerRun(10, func() {
		for _, r := range rows {
			ev.AddScored(r)
		}
	})
	if n != 0 {
		t.Errorf("Evidence.AddScored: %v allocations for a pass over %d rows, want 0", n, len(rows))
	}
}

// maxNewCaseAllocs bounds the allocations of a new case's rows: 0.0047
// measured for 3 providers with the cases interned into an arena (0.0098
// with a map of them; 3.006 when a case was an object with its cells and
// first scores; 10.007 before issue #14: a slice of needs a row, the
// cells grown one by one, a scores array a cell).
const maxNewCaseAllocs = 0.05

// TestEvidenceNewCaseAllocs: a new case allocates nothing of its own,
// however many providers answer it: it costs only its share of the case
// index's growth and of its columns' pages (one a provider every pageLen
// cases), amortised.
func TestEvidenceNewCaseAllocs(t *testing.T) {
	const n = 10_000 // cases a run of AllocsPerRun, after a first run
	var passes [2][]*judges.Scored
	for i := range 2 * n {
		c := &suites.Case{ID: fmt.Sprintf("c%05d", i)}
		for _, p := range testkit.Providers {
			passes[i/n] = append(passes[i/n], testkit.Scored(testkit.Extract, c, p, 0.5))
		}
	}
	ev, pass := NewEvidence(), 0
	perCase := testing.AllocsPerRun(1, func() {
		for _, r := range passes[pass] {
			ev.AddScored(r)
		}
		pass++
	}) / n
	if perCase > maxNewCaseAllocs {
		t.Errorf("Evidence.AddScored: %.3f allocations a new case of 3 providers, want at most %v", perCase, maxNewCaseAllocs)
	}
}

// needRegexp is what unsupportedNeed scans for.
var needRegexp = regexp.MustCompile(`capability (\S+) that`)

// regexpNeed is unsupportedNeed by needRegexp.
func regexpNeed(msg string) string {
	if m := needRegexp.FindStringSubmatch(msg); m != nil {
		return m[1]
	}
	return ""
}

// TestUnsupportedNeed: the scan finds what the regexp it replaces finds.
func TestUnsupportedNeed(t *testing.T) {
	t.Parallel()
	for _, msg := range []string{
		"provider does not declare capability vision that the suite needs", // the runner's message
		"HTTP 400: capability json_schema that you asked for is not supported",
		"capability vision",                    // no " that"
		"capability  that",                     // no name
		"capability a b capability tools that", // the first name followed by " that"
		"capability capability tools that",     // "capability" is not the name
		"capability x\tthat capability y that", // a tab is a space, not " that"
		"capability é-ü that",                  // any non-space bytes
		"no capability named",                  // none named
		"",                                     // no message
		"capability thatthat that",             // a name that starts like " that"
		"capabilities vision that, capability vision that", // "capabilities" is not "capability "
	} {
		if got, want := unsupportedNeed(msg), regexpNeed(msg); got != want {
			t.Errorf("unsupportedNeed(%q) = %q, want %q", msg, got, want)
		}
	}
}

// FuzzUnsupportedNeed: on any message the scan and the regexp agree.
func FuzzUnsupportedNeed(f *testing.F) {
	f.Add("provider does not declare capability vision that the suite needs")
	f.Add("capability a b capability tools that")
	f.Fuzz(func(t *testing.T, msg string) {
		if got, want := unsupportedNeed(msg), regexpNeed(msg); got != want {
			t.Errorf("unsupportedNeed(%q) = %q, want %q", msg, got, want)
		}
	})
}
