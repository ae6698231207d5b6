package report

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/parity-eval/parity/internal/testkit"
	"github.com/parity-eval/parity/routing"

	"github.com/parity-eval/parity/judges"
	"github.com/parity-eval/parity/runner"
	"github.com/parity-eval/parity/suites"
)

// renderHTML renders a report of rows with the test config and clock.
func renderHTML(t testing.TB, h *HTMLReport, rows []*judges.Scored, interrupted bool) string {
	t.Helper()
	sum := NewSummary("run-test")
	sum.SetPlanned(len(rows))
	if interrupted {
		sum.SetInterrupted()
	}
	h.Configure(testkit.Config())
	ev := routing.NewEvidence()
	for _, r := range rows {
		sum.Add(r)
		ev.AddScored(r)
		h.Add(r)
	}
	cfg := testkit.Config()
	var buf bytes.Buffer
	if err := h.Write(&buf, sum, routing.Build(ev, cfg.Providers, cfg.Routing, testkit.T0), testkit.T0); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

// payload is markup and script that must reach the page as text.
const payload = `<script>window.__pwned=1</script><img src=x onerror=alert(1)><a href="javascript:alert(1)">x</a><svg onload=alert(1)>`

// hostileRow carries markup and script in every untrusted text.
func hostileRow() *judges.Scored {
	s := &suites.Suite{Name: "xss<script>", Tags: []string{"ex<b>tract"}, Needs: []suites.Capability{"vi<sion"},
		Prompt: suites.Prompt{System: testkit.Prompt.System, User: "prompt {{.payload}}"}}
	c := testkit.Case(`case"><script>alert(2)</script>`, nil)
	c.Vars["payload"] = payload
	c.Reference = "reference " + payload
	r := testkit.Scored(s, c, testkit.Mini, 0.1)
	r.Result.Output = payload + " javascript:alert(3)"
	r.JudgeReason = "reason " + payload
	r.Checks = append(r.Checks, judges.CheckScore{Name: "judge<script>", Type: "judge", Score: 0.1, Raw: 2,
		Detail: "reason " + payload, Error: "check error " + payload},
		judges.CheckScore{Name: "regex", Type: "regex", Detail: "detail " + payload})
	r.Pass = false
	return r
}

// hostileRows are a hostile row, a failed one with a hostile provider and
// error, and a passing baseline answer.
func hostileRows() []*judges.Scored {
	bad := hostileRow()
	evil := &suites.Provider{ID: "evil<script>", Endpoint: suites.Endpoint{Model: `m"><script>`},
		Capabilities: []suites.Capability{`<img src=x onerror=alert(1)>`}}
	failedBad := testkit.FailedScored(bad.Result.Suite, bad.Result.Case, evil, runner.ClassServer+"<b>")
	failedBad.Result.Error = "error <script>alert(4)</script>"
	return []*judges.Scored{bad, failedBad, testkit.Scored(bad.Result.Suite, bad.Result.Case, testkit.Frontier, 1)}
}

// allowedTags are the only elements the report's template writes.
var allowedTags = map[string]bool{"html": true, "head": true, "meta": true, "title": true, "style": true,
	"body": true, "header": true, "nav": true, "main": true, "footer": true, "section": true, "article": true,
	"div": true, "span": true, "p": true, "b": true, "a": true, "code": true, "pre": true, "ul": true, "li": true,
	"h2": true, "h3": true, "h4": true, "table": true, "thead": true, "tbody": true, "tfoot": true, "tr": true,
	"th": true, "td": true, "details": true, "summary": true, "dl": true, "dt": true, "dd": true, "label": true,
	"select": true, "option": true, "input": true, "button": true, "blockquote": true, "ins": true, "del": true,
	"figure": true, "figcaption": true, "i": true, "script": true,
	"svg": true, "g": true, "line": true, "rect": true, "circle": true, "polyline": true, "polygon": true, "text": true}

var (
	tagPattern  = regexp.MustCompile(`<\s*([a-zA-Z][a-zA-Z0-9-]*)([^>]*)>`)
	cspPattern  = regexp.MustCompile(`<meta http-equiv="Content-Security-Policy" content="([^"]*)">`)
	hrefPattern = regexp.MustCompile(`(?i)\shref="([^"]*)"`)
)

func TestHTMLEscapesUntrustedText(t *testing.T) {
	t.Parallel()
	out := renderHTML(t, NewHTMLReport(10, 3), hostileRows(), false)

	if n := strings.Count(strings.ToLower(out), "<script"); n != 1 {
		t.Errorf("%d <script elements, want only the report's own", n)
	}
	if !strings.Contains(out, "<script>"+reportJS+"</script>") {
		t.Error("the script is not the embedded one")
	}
	page := strings.Replace(out, reportJS, "", 1)
	for _, m := range tagPattern.FindAllStringSubmatch(page, -1) {
		tag, attrs := strings.ToLower(m[1]), strings.ToLower(m[2])
		if !allowedTags[tag] {
			t.Errorf("unexpected element <%s%s>", m[1], m[2])
		}
		if regexp.MustCompile(`(^|\s)(on[a-z]+|style|src|srcdoc|action|formaction|xlink:href)\s*=`).MatchString(attrs) {
			t.Errorf("an element carries a handler, a style or a URL: <%s%s>", m[1], m[2])
		}
		if strings.Contains(attrs, "javascript:") {
			t.Errorf("javascript: URL in <%s%s>", m[1], m[2])
		}
	}
	for _, m := range hrefPattern.FindAllStringSubmatch(out, -1) {
		if !strings.HasPrefix(m[1], "#") {
			t.Errorf("a link leaves the page: %q", m[1])
		}
	}
	for _, want := range []string{
		`&lt;script&gt;window.__pwned=1&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;`, // output
		`&lt;a href=&#34;javascript:alert(1)&#34;&gt;x&lt;/a&gt;&lt;svg onload=alert(1)&gt;`,
		`reason &lt;script&gt;`, `detail &lt;script&gt;`, `check error &lt;script&gt;`, `error &lt;script&gt;alert(4)`,
		`prompt &lt;script&gt;`, `reference &lt;script&gt;`, `evil&lt;script&gt;`, `xss&lt;script&gt;`,
		`m&#34;&gt;&lt;script&gt;`, `judge&lt;script&gt;`, `vi&lt;sion`, `server_error&lt;b&gt;`,
		`data-key="xss&lt;script&gt; case&#34;&gt;&lt;script&gt;alert(2)&lt;/script&gt;"`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q", want)
		}
	}
}

func TestHTMLContentSecurityPolicy(t *testing.T) {
	t.Parallel()
	out := renderHTML(t, NewHTMLReport(10, 3), hostileRows(), false)
	m := cspPattern.FindStringSubmatch(out)
	if m == nil {
		t.Fatal("no CSP meta element")
	}
	csp := strings.NewReplacer("&#39;", "'", "&#43;", "+").Replace(m[1])
	style := between(t, out, "<style>", "</style>")
	script := between(t, out, "<script>", "</script>")
	for _, want := range []string{"default-src 'none'", "script-src '" + sha256Source(script) + "'",
		"style-src '" + sha256Source(style) + "'", "base-uri 'none'", "form-action 'none'"} {
		if !strings.Contains(csp, want) {
			t.Errorf("CSP %q lacks %q", csp, want)
		}
	}
	for _, bad := range []string{"unsafe-inline", "unsafe-eval", "http:", "https:", "data:", "*"} {
		if strings.Contains(csp, bad) {
			t.Errorf("CSP %q allows %q", csp, bad)
		}
	}
	if strings.Index(out, "Content-Security-Policy") > strings.Index(out, "<style>") {
		t.Error("the CSP comes after the stylesheet")
	}
}

// between returns the text between the first open and the next close.
func between(t *testing.T, s, open, close string) string {
	t.Helper()
	i := strings.Index(s, open)
	j := strings.Index(s[i+len(open):], close)
	if i < 0 || j < 0 {
		t.Fatalf("no %s…%s", open, close)
	}
	return s[i+len(open) : i+len(open)+j]
}

func TestHTMLShowsEverySection(t *testing.T) {
	t.Parallel()
	h := NewHTMLReport(DefaultMaxCases, DefaultSamplePerSuite)
	h.Gate = &GateSummary{Pass: false, Against: "run-before", Reasons: []string{"p95 latency of sim-mini rose 40%"}}
	out := renderHTML(t, h, testkit.SummaryRows(), false)
	for _, want := range []string{
		`<strong>Gate: fail</strong> <span class="muted">against run-before</span>`, `<li>p95 latency of sim-mini rose 40%</li>`,
		`id="leaderboard"`, `<h3>Quality</h3>`, `<h3>Cost efficiency</h3>`, `<h3>Time to first token</h3>`,
		`<h3>p95 latency</h3>`, `<h3>Error rate</h3>`, `runner-up: <b>`,
		`n/a for every provider: JSON validity (no JSON schema check ran).`,
		`id="cost-quality"`, `class="frontier"`, `class="halo"`, `route: <b>`,
		`id="latency"`, `class="median"`, `p50 800 · p95 1200 · p99 1200 ms`,
		`id="suites"`, `class="heat`, `id="capabilities"`, `json_schema`, `streaming`,
		`id="rules"`, `id="errors"`, `<code>timeout</code>`, `<code>rate_limit</code>`, `HTTP 500: upstream exploded`,
		`id="provider-table"`, `id="cases"`, `class="answers"`, `<ins>`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q", want)
		}
	}
}

func TestHTMLSampleBounds(t *testing.T) {
	t.Parallel()
	gen := testkit.GenRows()
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
	s := h.sample
	if s.main.Len() != 5 || s.nFailing != nFail || s.nPassing != nPass {
		t.Errorf("kept %d cases, counted %d/%d", s.main.Len(), s.nFailing, s.nPassing)
	}
	for _, e := range s.main.items {
		if !e.failing {
			t.Errorf("case %v kept without a failing row while failing cases were left out", e.key)
		}
	}
	// 2 suites, one sampled case each.
	if len(s.suites) != 2 || s.suites[testkit.Extract.Name].Len() != 1 || s.suites[testkit.Classify.Name].Len() != 1 {
		t.Errorf("per-suite samples: %d suites", len(s.suites))
	}
	for _, want := range []string{
		fmt.Sprintf("of the run's %s failing rows", formatCount(nFail)),
		`duckdb -c &#34;SELECT suite, case_id, provider, repeat, score, error_class, error, output FROM &#39;results.parquet&#39; WHERE NOT pass`,
		`<span class="pill status-interrupted">interrupted</span>`,
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
	rows := testkit.SummaryRows()
	rows[3].JudgeReason = "Names the vendor but <em>misses</em> the total."
	rows[3].Checks = append(rows[3].Checks, judges.CheckScore{Name: "judge", Type: "judge", Score: 0.78, Raw: 8, Pass: true,
		Detail: rows[3].JudgeReason})
	rows[2].Result.Output = `{"vendor": "ACME Corp"}`
	rows = append(rows, hostileRow())
	testkit.Golden(t, "report.golden.html", []byte(renderHTML(t, NewHTMLReport(DefaultMaxCases, DefaultSamplePerSuite), rows, false)))
}

func TestWriterSetGate(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	w, err := NewWriter(dir, testkit.Config(), "run-gate", WithClock(func() time.Time { return testkit.T0 }))
	if err != nil {
		t.Fatal(err)
	}
	rows := testkit.SummaryRows()
	rows[0].Result.Case.Reference = "" // c1: compared with the config's baseline
	for _, r := range rows {
		if err := w.Add(r); err != nil {
			t.Fatal(err)
		}
	}
	w.SetGate(&GateSummary{Pass: true, Reasons: []string{"every threshold held"}})
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	page, err := os.ReadFile(filepath.Join(dir, ReportFile))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`<div class="gate gate-pass"><strong>Gate: pass</strong>`, `<li>every threshold held</li>`,
		`same as the baseline sim-frontier`} {
		if !strings.Contains(string(page), want) {
			t.Errorf("report lacks %q", want)
		}
	}
}

func TestHTMLDrillDownBudget(t *testing.T) {
	t.Parallel()
	// Texts that quadruple when escaped, in cases that all fail.
	worst := strings.Repeat("<", maxTextBytes)
	s := &suites.Suite{Name: "worst", Tags: []string{"t"}, Prompt: suites.Prompt{System: "{{.worst}}", User: "{{.worst}}"}}
	var rows []*judges.Scored
	for i := range DefaultMaxCases + 50 {
		c := testkit.Case(fmt.Sprintf("c%03d", i), nil)
		c.Vars["worst"], c.Reference = worst, worst
		for _, p := range testkit.Providers {
			r := testkit.FailedScored(s, c, p, runner.ClassServer)
			r.Result.Error = worst
			rows = append(rows, r)
		}
	}
	h := NewHTMLReport(DefaultMaxCases, DefaultSamplePerSuite)
	out := renderHTML(t, h, rows, false)
	if len(out) >= maxReportBytes {
		t.Errorf("report of worst-case texts is %d bytes, want < %d", len(out), maxReportBytes)
	}
	v := h.cases([]string{"sim-flaky", "sim-frontier", "sim-mini"})
	if v.Omitted == 0 || len(v.Cases)+v.Omitted != DefaultMaxCases+DefaultSamplePerSuite && len(v.Cases)+v.Omitted != DefaultMaxCases {
		t.Errorf("showed %d cases, left out %d", len(v.Cases), v.Omitted)
	}
	if !strings.Contains(out, fmt.Sprintf("%d more were left out to keep the page small", v.Omitted)) {
		t.Error("the page does not say that cases were left out")
	}
}

func TestRuleExtras(t *testing.T) {
	t.Parallel()
	type split struct {
		Weight float64 `yaml:"weight"`
		Role   string  `yaml:"role"`
	}
	type rule struct {
		Primary      string   `yaml:"primary"`
		QualityKept  float64  `yaml:"quality_kept"`
		CostSavedUSD float64  `yaml:"cost_saved_usd"`
		Cases        int      `yaml:"cases"`
		Note         *string  `yaml:"note,omitempty"`
		Splits       []split  `yaml:"splits"`
		Empty        []string `yaml:"empty"`
	}
	got := ruleExtras(reflect.ValueOf(rule{Primary: "known", QualityKept: 0.98, CostSavedUSD: 12.5, Cases: 1200,
		Splits: []split{{0.8, "primary"}}}), []string{"Primary"}, 0)
	want := []extraField{{Label: "quality kept", Value: "98.0%"}, {Label: "cost saved usd", Value: "$12.50"},
		{Label: "cases", Value: "1,200"},
		{Label: "splits", Items: []extraField{{Label: "1", Items: []extraField{{Label: "weight", Value: "0.8"}, {Label: "role", Value: "primary"}}}}}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("extras\n%+v\nwant\n%+v", got, want)
	}
}

func TestHTMLEmptyRun(t *testing.T) {
	t.Parallel()
	// A run stopped before any answer still gets a page that says so.
	out := renderHTML(t, NewHTMLReport(DefaultMaxCases, DefaultSamplePerSuite), nil, true)
	for _, want := range []string{`status-interrupted`, `No tagged results.`, `No successful request.`,
		`No request failed.`, `No case kept.`, `<div class="value">0</div>`} {
		if !strings.Contains(out, want) {
			t.Errorf("empty report lacks %q", want)
		}
	}
}

// TestCasesMarkProvidersThatDoNotRunTheSuite checks a provider with no row
// for a suite (an image model under a chat suite) is marked "none" and
// shows no answer, while one that ran it shows its answer.
func TestCasesMarkProvidersThatDoNotRunTheSuite(t *testing.T) {
	t.Parallel()
	h := NewHTMLReport(DefaultMaxCases, DefaultSamplePerSuite)
	c := testkit.Case("inv-1", nil)
	h.Add(testkit.Scored(testkit.Extract, c, testkit.Frontier, 0))
	v := h.cases([]string{"sim-frontier", "sim-other"})
	if len(v.Cases) != 1 {
		t.Fatalf("%d cases", len(v.Cases))
	}
	cells := v.Cases[0].Cells
	if cells[0].Status != "fail" || cells[1].Status != "none" {
		t.Errorf("statuses %q, %q; want fail, none", cells[0].Status, cells[1].Status)
	}
	// Two suites, each run by one of two providers: one answer per case.
	rows := []*judges.Scored{testkit.Scored(testkit.Extract, c, testkit.Frontier, 0), testkit.Scored(testkit.Classify, testkit.Case("c-1", nil), testkit.Mini, 0)}
	out := renderHTML(t, NewHTMLReport(DefaultMaxCases, DefaultSamplePerSuite), rows, false)
	if n := strings.Count(out, `<article class="answer`); n != 2 {
		t.Errorf("%d answers rendered for two cases each run by one provider, want 2", n)
	}
}
