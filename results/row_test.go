package results

import (
	"math"
	"reflect"
	"testing"

	"github.com/parity-eval/parity/internal/testkit"
	"github.com/parity-eval/parity/judges"
	"github.com/parity-eval/parity/runner"
)

// TestFlattenerMatchesNewRow: one Flattener, reused from row to row,
// makes the Rows NewRow makes, its JSON cells byte for byte.
func TestFlattenerMatchesNewRow(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		set  func(s *judges.Scored)
	}{
		// A check verdict, no tool call.
		{"checks", func(*judges.Scored) {}},
		// Texts that JSON escapes (HTML, quotes, a line separator).
		{"escaped", func(s *judges.Scored) {
			s.Checks = append(s.Checks, judges.CheckScore{Name: "judge", Type: "judge", Score: 0.25, Detail: "<b>\"ok\"</b> & \u2028"})
		}},
		// Tool calls, with JSON arguments in a string.
		{"tool calls", func(s *judges.Scored) {
			s.Result.ToolCalls = []runner.ToolCall{{Name: "lookup", Arguments: `{"id": "<1>"}`}, {Name: "none"}}
		}},
		// No check: "[]".
		{"no checks", func(s *judges.Scored) { s.Checks = nil }},
		// A score JSON cannot hold: "[]" as before.
		{"NaN score", func(s *judges.Scored) { s.Checks[0].Score = math.NaN() }},
		// No request: only the scores.
		{"no result", func(s *judges.Scored) { s.Result = nil }},
	}
	var f Flattener
	for _, tt := range tests {
		s := testkit.Scored(testkit.Extract, testkit.Case("c1", map[string]string{"customer": "acme"}), testkit.Frontier, 0.5)
		tt.set(s)
		if got, want := f.Row(s), NewRow(s); !reflect.DeepEqual(got, want) {
			t.Errorf("%s:\ngot  %+v\nwant %+v", tt.name, show(got), show(want))
		}
	}
}
