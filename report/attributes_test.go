package report

import (
	"fmt"
	"strings"
	"testing"

	"github.com/parity-eval/parity/judges"
	"github.com/parity-eval/parity/runner"
	"github.com/parity-eval/parity/suites"
)

// attrRow returns a scored row of provider p with the suite's and the
// case's metadata.
func attrRow(p *suites.Provider, suiteMD, caseMD map[string]string, cost, score float64, failed bool) *judges.Scored {
	s := &suites.Suite{Name: "s", Metadata: suiteMD}
	c := &suites.Case{ID: "c", Metadata: caseMD}
	r := &runner.Result{Suite: s, Case: c, Provider: p, CostUSD: cost}
	if failed {
		r.ErrorClass = runner.ClassTimeout
	}
	return &judges.Scored{Result: r, Score: score, Pass: score >= 0.5}
}

// TestAttributes: cost, calls, pass rate and score per metadata key,
// value and provider, a case's metadata overriding its suite's.
func TestAttributes(t *testing.T) {
	t.Parallel()
	a, b := &suites.Provider{ID: "a"}, &suites.Provider{ID: "b"}
	s := NewSummary("attr")
	feature := map[string]string{"feature": "search", "step": "research"}
	s.Add(attrRow(a, feature, map[string]string{"customer": "acme"}, 0.01, 1, false))
	s.Add(attrRow(a, feature, map[string]string{"customer": "acme", "step": "write"}, 0.03, 0, true))
	s.Add(attrRow(b, feature, map[string]string{"customer": "acme"}, 0.002, 0.6, false))
	got := map[string]AttributeStats{}
	for _, st := range s.Attributes() {
		got[st.Key+"="+st.Value+"/"+st.Provider] = st
	}
	want := map[string]AttributeStats{
		"customer=acme/a":  {Calls: 2, Errors: 1, CostUSD: 0.04, CostPerCall: 0.02, PassRate: 0.5, MeanScore: 0.5},
		"customer=acme/b":  {Calls: 1, CostUSD: 0.002, CostPerCall: 0.002, PassRate: 1, MeanScore: 0.6},
		"feature=search/a": {Calls: 2, Errors: 1, CostUSD: 0.04, CostPerCall: 0.02, PassRate: 0.5, MeanScore: 0.5},
		"feature=search/b": {Calls: 1, CostUSD: 0.002, CostPerCall: 0.002, PassRate: 1, MeanScore: 0.6},
		"step=research/a":  {Calls: 1, CostUSD: 0.01, CostPerCall: 0.01, PassRate: 1, MeanScore: 1},
		"step=write/a":     {Calls: 1, Errors: 1, CostUSD: 0.03, CostPerCall: 0.03, MeanScore: 0},
		"step=research/b":  {Calls: 1, CostUSD: 0.002, CostPerCall: 0.002, PassRate: 1, MeanScore: 0.6},
	}
	if len(got) != len(want) {
		t.Errorf("%d lines, want %d: %v", len(got), len(want), got)
	}
	for k, w := range want {
		g := got[k]
		if g.Calls != w.Calls || g.Errors != w.Errors || !near(g.CostUSD, w.CostUSD) || !near(g.CostPerCall, w.CostPerCall) ||
			!near(g.PassRate, w.PassRate) || !near(g.MeanScore, w.MeanScore) {
			t.Errorf("%s: %+v, want %+v", k, g, w)
		}
	}
}

// near compares money and shares to 1e-12.
func near(a, b float64) bool { return a-b < 1e-12 && b-a < 1e-12 }

// TestAttributesBounded: past MaxAttributeValues a key's values pool as
// OtherValue, past MaxAttributeKeys keys are left out, and both are
// said; memory stays with the caps however many distinct values arrive.
func TestAttributesBounded(t *testing.T) {
	t.Parallel()
	p := &suites.Provider{ID: "a"}
	s := NewSummary("attr")
	for i := range 1000 {
		md := map[string]string{"customer": fmt.Sprintf("c%04d", i)}
		if i < MaxAttributeKeys+5 {
			md[fmt.Sprintf("k%02d", i)] = "v"
		}
		s.Add(attrRow(p, nil, md, 0.001, 1, false))
	}
	var customers, other int64
	keys := map[string]bool{}
	for _, st := range s.Attributes() {
		keys[st.Key] = true
		if st.Key == "customer" {
			customers++
			if st.Value == OtherValue {
				other = st.Calls
			}
		}
	}
	if customers != MaxAttributeValues+1 || other != 1000-MaxAttributeValues {
		t.Errorf("%d customer lines, %d calls pooled, want %d and %d", customers, other, MaxAttributeValues+1, 1000-MaxAttributeValues)
	}
	if len(keys) != MaxAttributeKeys {
		t.Errorf("%d keys broken down, want %d", len(keys), MaxAttributeKeys)
	}
	w := strings.Join(s.AttributeWarnings(), "\n")
	if !strings.Contains(w, `"customer" has more than 50 values`) || !strings.Contains(w, "more than 32 metadata keys") {
		t.Errorf("warnings: %s", w)
	}
}

// TestAttributesSection: report.html's cost-by-attribute section has a
// table per key, a cell per value and provider with the cost per call,
// a dash where a provider has no such row, the total over providers, and
// metadata values escaped; with no metadata it says how to add some.
func TestAttributesSection(t *testing.T) {
	t.Parallel()
	a, b := &suites.Provider{ID: "sim-frontier"}, &suites.Provider{ID: "sim-mini"}
	rows := []*judges.Scored{
		attrRow(a, map[string]string{"step": "research"}, nil, 0.02, 1, false),
		attrRow(b, map[string]string{"step": "research"}, nil, 0.001, 1, false),
		attrRow(a, map[string]string{"step": `<b onmouseover="x">write</b>`}, nil, 0.04, 1, false),
	}
	page := renderHTML(t, NewHTMLReport(DefaultMaxCases, DefaultSamplePerSuite), rows, false)
	start := strings.Index(page, `<section id="attributes"`)
	if start < 0 {
		t.Fatal("no attributes section")
	}
	sec := page[start : start+strings.Index(page[start:], "</section>")]
	for _, want := range []string{"<code>step</code>", "2 values", "$0.020", "$0.0010", "$0.021", "&lt;b onmouseover=", `<td class="empty">–</td>`} {
		if !strings.Contains(sec, want) {
			t.Errorf("the section lacks %q:\n%s", want, sec)
		}
	}
	if strings.Contains(sec, "<b onmouseover") {
		t.Error("a metadata value reached the page as markup")
	}
	plain := renderHTML(t, NewHTMLReport(DefaultMaxCases, DefaultSamplePerSuite), []*judges.Scored{attrRow(a, nil, nil, 0.01, 1, false)}, false)
	if !strings.Contains(plain, "No suite or case has metadata") {
		t.Error("no hint when there is no metadata")
	}
}
