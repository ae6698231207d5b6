//go:build !race

package judges

import (
	"context"
	"regexp"
	"testing"

	"github.com/parity-eval/parity/suites"
)

// The allocation guards of scoring a row. A regexp takes its matcher
// from a sync.Pool, which the race detector empties at random: they do
// not run under it (make simulate runs them).

// TestExactChecksAllocs: contains, equals and regex over an output that
// passes, already normalised, allocate nothing, nor does scoreOne around
// them; summarising a row of them allocates only the json_schema
// column's verdict.
func TestExactChecksAllocs(t *testing.T) {
	ref := `{"order": 5, "label": "shipping"}`
	in := input(&suites.Case{Reference: ref}, ref)
	re := spec(suites.Regex, func(c *suites.Check) { c.Pattern = `"label": *"[a-z]+"` })
	for _, j := range []Judge{
		Contains{Spec: spec(suites.Contains, func(c *suites.Check) { c.Value = "shipping" })},
		Equals{Spec: spec(suites.Equals)},
		Regex{Spec: re, re: regexp.MustCompile(re.Pattern)},
	} {
		if cs := j.Score(context.Background(), in); !cs.Pass {
			t.Fatalf("%T: %+v", j, cs)
		}
		if n := testing.AllocsPerRun(100, func() { j.Score(context.Background(), in) }); n != 0 {
			t.Errorf("%T allocates %v times, want 0", j, n)
		}
		if n := testing.AllocsPerRun(100, func() { scoreOne(context.Background(), j, re, in) }); n != 0 {
			t.Errorf("scoreOne of %T allocates %v times, want 0", j, n)
		}
	}
	native := true
	sc := &Scored{Result: in.Result, Checks: []CheckScore{
		{Type: suites.JSONSchema, Pass: true, Raw: 1, Score: 1, Native: &native},
		{Type: suites.Regex, Pass: true, Raw: 1, Score: 1}, {Type: suites.Contains, Pass: true, Raw: 1, Score: 1},
		{Type: suites.Equals, Pass: true, Raw: 1, Score: 1},
	}}
	in.Result.Suite.Checks = []*suites.Check{{Weight: 1}, {Weight: 1}, {Weight: 1}, {Weight: 1}}
	if n := testing.AllocsPerRun(100, func() { summarise(sc) }); n != 1 || !sc.Pass || sc.JSONValid == nil {
		t.Errorf("summarise allocates %v times (want 1), pass %v, json_valid %v", n, sc.Pass, sc.JSONValid)
	}
}

// TestExtractJSONAllocs: finding the JSON of an output copies the
// document once; a fenced one is still found first.
func TestExtractJSONAllocs(t *testing.T) {
	out := `The answer: {"order": 5, "label": "shipping"}`
	if n := testing.AllocsPerRun(100, func() { extractJSON(out) }); n != 1 {
		t.Errorf("extractJSON allocates %v times, want 1", n)
	}
	if doc, ok := extractJSON("```json\n[1, 2]\n```\n" + out); !ok || string(doc) != "[1, 2]" {
		t.Errorf("fenced: %s, %v", doc, ok)
	}
}
