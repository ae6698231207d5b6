package judges

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/xeipuuv/gojsonschema"

	"github.com/parity-eval/parity/runner"
	"github.com/parity-eval/parity/suites"
)

// ToolUse scores a tool call against the case's expect_tool in three parts,
// so a report can tell a wrong tool from wrong arguments:
//
//   - tool: the expected tool was called (or none, when none was expected);
//   - args_valid: its arguments are JSON that fits the tool's schema;
//   - args_right: every expected argument has its expected value.
//
// The score is the mean of the three (arguments count 0 when the tool is
// wrong); the check passes when all three hold.
type ToolUse struct {
	Spec *suites.Check
}

var _ Judge = ToolUse{}

// Score compares the first tool call with the expectation.
func (t ToolUse) Score(_ context.Context, in *Input) CheckScore {
	want := in.Result.Case.ExpectTool
	if want == nil {
		return failed(t.Spec, "the case has no expect_tool")
	}
	calls := in.Result.ToolCalls
	if want.None {
		ok := len(calls) == 0
		detail := "no tool called, as expected"
		if !ok {
			detail = fmt.Sprintf("called %s, expected no tool call", calls[0].Name)
		}
		return toolScore(t.Spec, ok, ok, ok, detail)
	}
	if len(calls) == 0 {
		return toolScore(t.Spec, false, false, false, fmt.Sprintf("no tool called, expected %s", want.Name))
	}
	call := calls[0]
	if call.Name != want.Name {
		return toolScore(t.Spec, false, false, false, fmt.Sprintf("called %s, expected %s", call.Name, want.Name))
	}
	valid, why := validArguments(in.Result.Suite, call)
	if !valid {
		return toolScore(t.Spec, true, false, false, fmt.Sprintf("%s called; arguments invalid: %s", call.Name, why))
	}
	right, diff := rightArguments(call.Arguments, want.Arguments)
	detail := call.Name + " called with valid arguments"
	if !right {
		detail += "; wrong values: " + diff
	}
	return toolScore(t.Spec, true, true, right, detail)
}

func toolScore(spec *suites.Check, tool, valid, right bool, detail string) CheckScore {
	b := func(v bool) float64 {
		if v {
			return 1
		}
		return 0
	}
	parts := map[string]float64{"tool": b(tool), "args_valid": b(valid), "args_right": b(right)}
	score := (parts["tool"] + parts["args_valid"] + parts["args_right"]) / 3
	cs := verdict(spec, score, score, tool && valid && right, detail)
	cs.Parts = parts
	return cs
}

// validArguments checks a call's arguments parse and fit its tool's schema.
func validArguments(s *suites.Suite, call runner.ToolCall) (bool, string) {
	if !json.Valid([]byte(call.Arguments)) {
		return false, fmt.Sprintf("not JSON: %q", clip(call.Arguments, 80))
	}
	i := slices.IndexFunc(s.Tools, func(t *suites.Tool) bool { return t.Name == call.Name })
	if i < 0 || s.Tools[i].Compiled == nil {
		return true, ""
	}
	res, err := s.Tools[i].Compiled.Validate(gojsonschema.NewStringLoader(call.Arguments))
	if err != nil {
		return false, err.Error()
	}
	if !res.Valid() {
		return false, schemaErrors(res.Errors())
	}
	return true, ""
}

// rightArguments checks every expected field has its value, compared as
// JSON (so 2 and 2.0 are equal); other fields may appear.
func rightArguments(args string, want map[string]any) (bool, string) {
	var got map[string]any
	if err := json.Unmarshal([]byte(args), &got); err != nil {
		return false, "arguments are not a JSON object"
	}
	keys := make([]string, 0, len(want))
	for k := range want {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var wrong []string
	for _, k := range keys {
		if !sameJSON(got[k], want[k]) {
			wrong = append(wrong, fmt.Sprintf("%s = %s, want %s", k, jsonText(got[k]), jsonText(want[k])))
		}
	}
	return len(wrong) == 0, strings.Join(wrong, "; ")
}

func sameJSON(a, b any) bool {
	return bytes.Equal([]byte(jsonText(a)), []byte(jsonText(b)))
}

// jsonText encodes a value canonically: numbers as float64, keys sorted.
func jsonText(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	var norm any
	if json.Unmarshal(b, &norm) != nil {
		return string(b)
	}
	b, _ = json.Marshal(norm)
	return string(b)
}
