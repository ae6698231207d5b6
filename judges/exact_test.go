package judges

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/parity-eval/parity/suites"
)

func TestContains(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		ref    string
		fold   bool
		output string
		pass   bool
		errs   bool
	}{
		// The plain case: the reference appears in the output.
		{name: "found", ref: "Acme", output: "The vendor is Acme Corp.", pass: true},
		// Missing text fails with a detail, not an error.
		{name: "missing", ref: "Acme", output: "The vendor is Globex."},
		// Case matters unless ignore_case.
		{name: "case differs", ref: "acme", output: "ACME"},
		{name: "ignore case", ref: "acme", fold: true, output: "ACME", pass: true},
		// Whitespace runs are collapsed on both sides.
		{name: "whitespace", ref: "total  due", output: "the total\n due is 5", pass: true},
		// Nothing to look for is the check's fault: an error, not a free pass.
		{name: "empty expected", ref: "", output: "anything", errs: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := Contains{Spec: spec(suites.Contains, func(c *suites.Check) { c.IgnoreCase = tt.fold })}
			got := c.Score(context.Background(), input(&suites.Case{Reference: tt.ref}, tt.output))
			if got.Pass != tt.pass || (got.Error != "") != tt.errs {
				t.Fatalf("got %+v, want pass %v, error %v", got, tt.pass, tt.errs)
			}
			if !tt.pass && !tt.errs && got.Detail == "" {
				t.Errorf("a failed contains says nothing: %+v", got)
			}
		})
	}
}

func TestEquals(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		ref    string
		fold   bool
		output string
		pass   bool
	}{
		// Exactly equal.
		{name: "equal", ref: "positive", output: "positive", pass: true},
		// Surrounding white space and a trailing newline are trimmed.
		{name: "trimmed", ref: "positive", output: "  positive\n", pass: true},
		// Inner whitespace runs collapse to one space.
		{name: "inner whitespace", ref: "very positive", output: "very \t\n positive", pass: true},
		// Case matters unless ignore_case.
		{name: "case differs", ref: "positive", output: "Positive"},
		{name: "ignore case", ref: "positive", fold: true, output: "POSITIVE", pass: true},
		// A longer answer is not equal.
		{name: "extra words", ref: "positive", output: "positive, I think"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e := Equals{Spec: spec(suites.Equals, func(c *suites.Check) { c.IgnoreCase = tt.fold })}
			got := e.Score(context.Background(), input(&suites.Case{Reference: tt.ref}, tt.output))
			if got.Pass != tt.pass || got.Error != "" {
				t.Fatalf("got %+v, want pass %v", got, tt.pass)
			}
			if want := map[bool]float64{true: 1, false: 0}[tt.pass]; got.Score != want || got.Raw != want {
				t.Errorf("score %v raw %v, want %v", got.Score, got.Raw, want)
			}
		})
	}
}

func TestRegex(t *testing.T) {
	t.Parallel()
	const labels = `^(positive|negative|neutral)$`
	tests := []struct {
		name    string
		pattern string
		fold    bool
		output  string
		pass    bool
		errs    bool
	}{
		// An anchored label matches.
		{name: "label", pattern: labels, output: "neutral", pass: true},
		// The output is trimmed, so a trailing newline does not defeat $.
		{name: "trailing newline", pattern: labels, output: "neutral\n", pass: true},
		// Case matters unless ignore_case.
		{name: "case differs", pattern: labels, output: "Neutral"},
		{name: "ignore case", pattern: labels, fold: true, output: "Neutral", pass: true},
		// An unanchored pattern finds its match anywhere.
		{name: "unanchored", pattern: `\d{4}-\d{2}-\d{2}`, output: "due 2025-06-01.", pass: true},
		// A pattern that does not compile is recorded on every row.
		{name: "bad pattern", pattern: `(`, output: "x", errs: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			j := New(spec(suites.Regex, func(c *suites.Check) { c.Pattern, c.IgnoreCase = tt.pattern, tt.fold }), Env{})
			got := j.Score(context.Background(), input(&suites.Case{}, tt.output))
			if got.Pass != tt.pass || (got.Error != "") != tt.errs {
				t.Fatalf("got %+v, want pass %v, error %v", got, tt.pass, tt.errs)
			}
		})
	}
}

// TestExpectedTemplate checks contains and equals against a suite loaded
// by suites, whose value is a template over the case's vars.
func TestExpectedTemplate(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "classify.yaml")
	const suite = `name: classify
tags: [classify]
prompt: {user: "Classify: {{.text}}"}
cases:
  - {id: c1, vars: {text: "I love it", label: positive}}
checks:
  - {type: equals, value: "{{.label}}", ignore_case: true}
  - {type: contains, value: "{{.label}}"}
`
	if err := os.WriteFile(path, []byte(suite), 0o644); err != nil {
		t.Fatal(err)
	}
	s, err := suites.LoadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, output := range []string{"Positive", "positive"} {
		in := &Input{Result: result(s, firstCase(t, s), "p", 0, output)}
		eq := New(s.Checks[0], Env{}).Score(context.Background(), in)
		co := New(s.Checks[1], Env{}).Score(context.Background(), in)
		if !eq.Pass || co.Pass != (output == "positive") {
			t.Errorf("output %q: equals %+v, contains %+v", output, eq, co)
		}
	}
}

// firstCase returns the first case of s.
func firstCase(t *testing.T, s *suites.Suite) *suites.Case {
	t.Helper()
	c, err := s.Cases.At(0)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestNormalise holds normalise to its definition, strings.Fields joined
// by one space, on strings normalised already and not: every kind of
// white space Fields knows (NBSP and NEL among them), runs, both ends,
// non-ASCII letters and invalid UTF-8.
func TestNormalise(t *testing.T) {
	t.Parallel()
	pieces := []string{"a", "Bé", " ", "  ", "\t", "\n", "\r\n", "\v", "\f", "\u00a0", "\u0085", "\u2003", "\u3000", "x\xffy", "\xe2\x80", "{\"order\": 5}", ""}
	var inputs []string
	for _, a := range pieces {
		for _, b := range pieces {
			for _, c := range pieces {
				inputs = append(inputs, a+b+c)
			}
		}
	}
	for _, s := range inputs {
		for _, fold := range []bool{false, true} {
			want := strings.Join(strings.Fields(s), " ")
			if fold {
				want = strings.ToLower(want)
			}
			if got := normalise(s, fold); got != want {
				t.Errorf("normalise(%q, %v) = %q, want %q", s, fold, got, want)
			}
		}
	}
}
