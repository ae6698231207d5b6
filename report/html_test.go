package report

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/parity-eval/parity/judges"
	"github.com/parity-eval/parity/runner"
	"github.com/parity-eval/parity/suites"
)

// renderHTML renders a report of rows with the test config and clock.
func renderHTML(t *testing.T, h *HTMLReport, rows []*judges.Scored, interrupted bool) string {
	t.Helper()
	sum := NewSummary("run-test")
	sum.SetPlanned(len(rows))
	if interrupted {
		sum.SetInterrupted()
	}
	for _, r := range rows {
		sum.Add(r)
		h.Add(r)
	}
	cfg := testConfig()
	var buf bytes.Buffer
	if err := h.Write(&buf, sum, BuildRules(sum, cfg.Providers, cfg.Routing, t0), t0); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

// hostileRow carries markup and script in every untrusted text.
func hostileRow() *judges.Scored {
	const payload = `<script>alert(1)</script><img src=x onerror=alert(1)><a href="javascript:alert(1)">x</a>`
	s := &suites.Suite{Name: "xss<script>", Tags: []string{"ex<b>tract"}}
	c := newCase(`case"><script>alert(2)</script>`, nil)
	c.Messages.User = "prompt " + payload
	c.Reference = "reference " + payload
	r := newScored(s, c, mini, 0.1)
	r.Result.Output = payload + " javascript:alert(3)"
	r.JudgeReason = "reason " + payload
	r.Checks = append(r.Checks, judges.CheckScore{Name: "judge<script>", Type: "judge", Score: 0.1, Raw: 2,
		Detail: "detail " + payload, Error: "check error " + payload})
	r.Pass = false
	return r
}

// allowedTags are the only elements the report's template writes.
var allowedTags = map[string]bool{"html": true, "head": true, "meta": true, "title": true, "style": true,
	"body": true, "h1": true, "h2": true, "h3": true, "dl": true, "dt": true, "dd": true, "code": true,
	"table": true, "tr": true, "th": true, "td": true, "span": true, "p": true, "br": true,
	"details": true, "summary": true, "div": true, "pre": true}

func TestHTMLEscapesUntrustedText(t *testing.T) {
	t.Parallel()
	bad := hostileRow()
	failedBad := failedScored(bad.Result.Suite, bad.Result.Case,
		&suites.Provider{ID: "evil<script>", Endpoint: suites.Endpoint{Model: `m"><script>`}}, runner.ClassServer)
	failedBad.Result.Error = "error <script>alert(4)</script>"
	out := renderHTML(t, NewHTMLReport(10, 3), []*judges.Scored{bad, failedBad}, false)

	if strings.Contains(strings.ToLower(out), "<script") {
		t.Error("report contains a <script element")
	}
	for _, m := range regexp.MustCompile(`<\s*([a-zA-Z][a-zA-Z0-9-]*)`).FindAllStringSubmatch(out, -1) {
		if !allowedTags[strings.ToLower(m[1])] {
			t.Errorf("unexpected element <%s> in the report", m[1])
		}
	}
	if regexp.MustCompile(`(?i)<[^>]*(javascript:|onerror|href|src=)`).MatchString(out) {
		t.Error("a tag carries a URL or an event handler")
	}
	for _, want := range []string{
		`&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;`, // output
		`&lt;a href=&#34;javascript:alert(1)&#34;&gt;x&lt;/a&gt; javascript:alert(3)`,
		`reason &lt;script&gt;`, `detail &lt;script&gt;`, `check error &lt;script&gt;`, `error &lt;script&gt;alert(4)`,
		`prompt &lt;script&gt;`, `reference &lt;script&gt;`, `evil&lt;script&gt;`, `xss&lt;script&gt;`,
		`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q", want)
		}
	}
}

func TestHTMLSampleBounds(t *testing.T) {
	t.Parallel()
	gen := genRows()
	var rows []*judges.Scored
	for i := range 600 {
		rows = append(rows, gen(i))
	}
	h := NewHTMLReport(5, 1)
	out := renderHTML(t, h, rows, true)
	var nFail, nPass int64
	for _, r := range rows {
		if r.Pass {
			nPass++
		} else {
			nFail++
		}
	}
	if len(h.sample.failing) != 5 || h.sample.nFailing != nFail || h.sample.nPassing != nPass {
		t.Errorf("kept %d failing, counted %d/%d", len(h.sample.failing), h.sample.nFailing, h.sample.nPassing)
	}
	// 2 suites × 3 providers, one passing row each.
	if len(h.sample.passing) != 6 {
		t.Errorf("kept %d passing rows, want 6", len(h.sample.passing))
	}
	for _, want := range []string{
		fmt.Sprintf("Showing 5 of %d failing rows and 6 of %d passing rows", nFail, nPass),
		`duckdb -c &#34;SELECT suite, case_id, provider, repeat, score, error_class, error, output FROM &#39;results.parquet&#39; WHERE NOT pass`,
		`<dd class="status-interrupted">interrupted</dd>`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q", want)
		}
	}
}

func TestTruncate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   string
		cut  bool
	}{
		{"short", "hello", false},
		{"at the limit", strings.Repeat("a", maxTextBytes), false},
		{"ascii over", strings.Repeat("a", maxTextBytes+1), true},
		{"multibyte across the limit", strings.Repeat("é", maxTextBytes), true},
	}
	for _, tt := range tests {
		got := truncate(tt.in)
		if cut := got != tt.in; cut != tt.cut {
			t.Errorf("%s: cut %v, want %v", tt.name, cut, tt.cut)
		}
		if !utf8.ValidString(got) || len(got) > maxTextBytes+len("… [truncated]") {
			t.Errorf("%s: %d bytes, valid %v", tt.name, len(got), utf8.ValidString(got))
		}
	}
}

func TestHTMLGolden(t *testing.T) {
	t.Parallel()
	rows := summaryRows()
	rows[3].JudgeReason = "Names the vendor but <em>misses</em> the total."
	rows[3].Checks = append(rows[3].Checks, judges.CheckScore{Name: "judge", Type: "judge", Score: 0.78, Raw: 8, Pass: true, Detail: "8/10"})
	rows = append(rows, hostileRow())
	golden(t, "report.golden.html", []byte(renderHTML(t, NewHTMLReport(DefaultMaxFailing, DefaultPassingPerCell), rows, false)))
}
