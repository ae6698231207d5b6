package judges

import (
	"context"
	"strings"
	"testing"

	"github.com/xeipuuv/gojsonschema"

	"github.com/parity-eval/parity/runner"
	"github.com/parity-eval/parity/suites"
)

func weatherSuite(t *testing.T) *suites.Suite {
	t.Helper()
	schema := `{"type": "object", "required": ["city"], "properties": {"city": {"type": "string"}, "days": {"type": "integer"}}}`
	compiled, err := gojsonschema.NewSchema(gojsonschema.NewStringLoader(schema))
	if err != nil {
		t.Fatal(err)
	}
	return &suites.Suite{Name: "tools", Tools: []*suites.Tool{
		{Name: "get_weather", Parameters: []byte(schema), Compiled: compiled},
		{Name: "book_table", Parameters: []byte(`{"type": "object"}`)},
	}}
}

// TestToolUse checks the three parts tell a wrong tool from wrong
// arguments from wrong values.
func TestToolUse(t *testing.T) {
	t.Parallel()
	s := weatherSuite(t)
	spec := &suites.Check{Type: suites.ToolUse, Name: "tool_call", Weight: 1}
	paris := &suites.ToolCall{Name: "get_weather", Arguments: map[string]any{"city": "Paris", "days": 3}}
	tests := []struct {
		name   string
		want   *suites.ToolCall
		calls  []runner.ToolCall
		parts  [3]float64 // tool, args_valid, args_right
		detail string
	}{
		{"all right; 3 and 3.0 are equal", paris, []runner.ToolCall{{Name: "get_weather", Arguments: `{"city":"Paris","days":3.0,"units":"C"}`}}, [3]float64{1, 1, 1}, "called with valid arguments"},
		{"wrong tool", paris, []runner.ToolCall{{Name: "book_table", Arguments: `{}`}}, [3]float64{0, 0, 0}, "called book_table, expected get_weather"},
		{"no call", paris, nil, [3]float64{0, 0, 0}, "no tool called, expected get_weather"},
		{"malformed arguments", paris, []runner.ToolCall{{Name: "get_weather", Arguments: `{"city": "Paris"`}}, [3]float64{1, 0, 0}, "arguments invalid: not JSON"},
		{"arguments against the schema", paris, []runner.ToolCall{{Name: "get_weather", Arguments: `{"days": "three"}`}}, [3]float64{1, 0, 0}, "city is required"},
		{"wrong value", paris, []runner.ToolCall{{Name: "get_weather", Arguments: `{"city": "Lyon", "days": 3}`}}, [3]float64{1, 1, 0}, `city = "Lyon", want "Paris"`},
		{"none expected, none called", &suites.ToolCall{None: true}, nil, [3]float64{1, 1, 1}, "no tool called, as expected"},
		{"none expected, one called", &suites.ToolCall{None: true}, []runner.ToolCall{{Name: "get_weather", Arguments: `{}`}}, [3]float64{0, 0, 0}, "expected no tool call"},
	}
	for _, tt := range tests {
		res := &runner.Result{Suite: s, Case: &suites.Case{ID: "c", ExpectTool: tt.want}, ToolCalls: tt.calls}
		cs := ToolUse{Spec: spec}.Score(context.Background(), &Input{Result: res})
		got := [3]float64{cs.Parts["tool"], cs.Parts["args_valid"], cs.Parts["args_right"]}
		if got != tt.parts {
			t.Errorf("%s: parts %v, want %v (%s)", tt.name, got, tt.parts, cs.Detail)
		}
		if !strings.Contains(cs.Detail, tt.detail) {
			t.Errorf("%s: detail %q, want it to contain %q", tt.name, cs.Detail, tt.detail)
		}
		if wantScore := (tt.parts[0] + tt.parts[1] + tt.parts[2]) / 3; cs.Score != wantScore || cs.Pass != (wantScore == 1) {
			t.Errorf("%s: score %v pass %v", tt.name, cs.Score, cs.Pass)
		}
	}
}

// TestJSONNative checks the json_schema check records whether the JSON
// came bare or had to be dug out.
func TestJSONNative(t *testing.T) {
	t.Parallel()
	spec := &suites.Check{Type: suites.JSONSchema, Name: "json_schema", Weight: 1}
	for out, native := range map[string]bool{
		`{"a": 1}`:                            true,
		"  [1, 2]\n":                          true,
		"Sure! Here it is: {\"a\": 1} Enjoy.": false,
		"```json\n{\"a\": 1}\n```":            false,
	} {
		cs := newJSONSchema(spec).Score(context.Background(), &Input{Result: &runner.Result{Output: out}})
		if cs.Native == nil || *cs.Native != native || !cs.Pass {
			t.Errorf("%q: native %v pass %v, want native %v", out, cs.Native, cs.Pass, native)
		}
	}
}
