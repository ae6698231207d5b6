package report

import (
	"testing"
	"time"

	"github.com/parity-eval/parity/internal/testkit"

	"github.com/parity-eval/parity/judges"
	"github.com/parity-eval/parity/runner"
	"github.com/parity-eval/parity/suites"
)

// TestCapabilityMatrix checks each status and the long-context and
// streaming measures, from rows as the runner and judges make them.
func TestCapabilityMatrix(t *testing.T) {
	t.Parallel()
	tools := &suites.Suite{Name: "tools", Kind: suites.KindChat, Tools: []*suites.Tool{{Name: "f"}}}
	lc := &suites.Suite{Name: "lc", Kind: suites.KindChat, LongContext: &suites.LongContext{}}
	good, bad, down := &suites.Provider{ID: "good"}, &suites.Provider{ID: "bad"}, &suites.Provider{ID: "down"}
	sum := NewSummary("caps")
	ctx := func(n string) *suites.Case {
		return testkit.Case("ctx-"+n, map[string]string{suites.ContextTokensKey: n})
	}
	add := func(s *judges.Scored) { sum.Add(s) }
	// good: tools pass; long context right up to 8000, wrong at 16000.
	add(testkit.Scored(tools, testkit.Case("t1", nil), good, 1))
	add(testkit.Scored(lc, ctx("2000"), good, 1))
	add(testkit.Scored(lc, ctx("8000"), good, 1))
	add(testkit.Scored(lc, ctx("16000"), good, 0))
	// bad: tools answered but failing; long context refused as too long.
	add(testkit.Scored(tools, testkit.Case("t1", nil), bad, 0.2))
	tooLong := testkit.FailedScored(lc, ctx("2000"), bad, runner.ClassTooLong)
	add(tooLong)
	// down: tools refused as unsupported.
	add(testkit.FailedScored(tools, testkit.Case("t1", nil), down, runner.ClassUnsupported))
	m := sum.Capabilities()
	tests := []struct {
		provider   string
		capability suites.Capability
		status     string
	}{
		{"good", "tools", CapWorks},
		{"good", "long_context", CapWorks},
		{"bad", "tools", CapPoor},
		{"bad", "long_context", CapFails},
		{"down", "tools", CapUnsupported},
		{"down", "long_context", CapUntested},
	}
	for _, tt := range tests {
		if got := m[tt.provider][tt.capability].Status; got != tt.status {
			t.Errorf("%s %s: %s, want %s", tt.provider, tt.capability, got, tt.status)
		}
	}
	g := m["good"]["long_context"]
	if g.MaxContextTokens != 8000 || g.SmallestFailedTokens != 16000 {
		t.Errorf("long context: right up to %d, wrong at %d; want 8000, 16000", g.MaxContextTokens, g.SmallestFailedTokens)
	}
	if b := m["bad"]["long_context"]; b.TooLong != 1 || b.Detail == "" {
		t.Errorf("too long: %+v", b)
	}
	// Scored streams 20 tokens over 800ms-120ms: about 29 tokens/s.
	st := m["good"]["streaming"]
	if want := 20 * 4 / (680 * time.Millisecond).Seconds() / 4; st.TokensPerSecond < want-0.01 || st.TokensPerSecond > want+0.01 {
		t.Errorf("tokens/s %.2f, want %.2f", st.TokensPerSecond, want)
	}
}
