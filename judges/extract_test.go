package judges

import (
	"context"
	"strings"
	"testing"

	"github.com/parity-eval/parity/suites"
)

func TestExtractJSON(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		output string
		want   string // "" when no JSON is found
	}{
		// A bare document.
		{name: "raw", output: `{"a": 1}`, want: `{"a": 1}`},
		// A fenced json block, the model's favourite.
		{name: "fenced json", output: "Here:\n```json\n{\"a\": 1}\n```\nDone.", want: `{"a": 1}`},
		// An unlabelled fence.
		{name: "fenced bare", output: "```\n[1, 2]\n```", want: `[1, 2]`},
		// A fence of another language is skipped; the prose scan still finds JSON after it.
		{name: "python fence", output: "```python\nx = [a for a in b]\n```\nResult: {\"ok\": true}", want: `{"ok": true}`},
		// JSON surrounded by prose.
		{name: "prose", output: `Sure! The answer is {"vendor": "Acme", "total": 12.5}. Anything else?`, want: `{"vendor": "Acme", "total": 12.5}`},
		// Balanced brackets that are not JSON come first and are skipped.
		{name: "non-JSON brackets first", output: `Fill {name} in [the form]: {"name": "x"}`, want: `{"name": "x"}`},
		// Brackets inside strings do not unbalance the document.
		{name: "brackets in strings", output: `x {"a": "}]", "b": "\"{"} y`, want: `{"a": "}]", "b": "\"{"}`},
		// The outermost document wins over those nested in it.
		{name: "nested", output: `{"a": {"b": [1]}}`, want: `{"a": {"b": [1]}}`},
		// A trailing comma is not JSON.
		{name: "invalid", output: `{"a": 1,}`},
		// Prose only.
		{name: "none", output: "I cannot answer that."},
		// Unclosed and mismatched brackets end quietly.
		{name: "unbalanced", output: strings.Repeat("[{", 5000) + "]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, ok := extractJSON(tt.output)
			if ok != (tt.want != "") || string(got) != tt.want {
				t.Fatalf("extractJSON = %q, %v; want %q", got, ok, tt.want)
			}
		})
	}
}

func TestJSONSchema(t *testing.T) {
	t.Parallel()
	schema := `{"type": "object", "required": ["vendor", "total"],
		"properties": {"vendor": {"type": "string"}, "total": {"type": "number"}}}`
	tests := []struct {
		name    string
		output  string
		pass    bool
		details []string // substrings Detail must hold
	}{
		// Valid JSON in a fence.
		{name: "fenced valid", output: "```json\n{\"vendor\": \"Acme\", \"total\": 12.5}\n```", pass: true},
		// Valid JSON inside prose.
		{name: "prose valid", output: `The invoice: {"vendor": "Acme", "total": 3} as asked.`, pass: true},
		// A missing required key is kept in Detail.
		{name: "missing key", output: `{"total": 3}`, details: []string{"vendor", "required"}},
		// Every validation error is kept, not just the first.
		{name: "two errors", output: `{"total": "3"}`, details: []string{"vendor", "total", "number"}},
		// Invalid JSON is not found at all.
		{name: "invalid JSON", output: `{"vendor": "Acme", "total": }`, details: []string{"no JSON"}},
	}
	j := New(spec(suites.JSONSchema, func(c *suites.Check) { c.Schema = []byte(schema) }), Env{})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := j.Score(context.Background(), input(&suites.Case{}, tt.output))
			if got.Pass != tt.pass || got.Error != "" || got.Score != map[bool]float64{true: 1}[tt.pass] {
				t.Fatalf("got %+v, want pass %v", got, tt.pass)
			}
			for _, d := range tt.details {
				if !strings.Contains(got.Detail, d) {
					t.Errorf("detail %q lacks %q", got.Detail, d)
				}
			}
		})
	}
}

// TestJSONSchemaBadSchema: a schema that does not compile is an error on
// the row, not a panic.
func TestJSONSchemaBadSchema(t *testing.T) {
	t.Parallel()
	j := New(spec(suites.JSONSchema, func(c *suites.Check) { c.Schema = []byte(`{"type": 5}`) }), Env{})
	if got := j.Score(context.Background(), input(&suites.Case{}, `{}`)); got.Error == "" {
		t.Fatalf("got %+v, want an error", got)
	}
}
