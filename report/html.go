package report

import (
	"crypto/sha256"
	"embed"
	"encoding/base64"
	"html/template"
	"io"
	"time"

	"github.com/parity-eval/parity/internal/format"
	"github.com/parity-eval/parity/results"
	"github.com/parity-eval/parity/routing"

	"github.com/parity-eval/parity/judges"
	"github.com/parity-eval/parity/suites"
)

//go:embed templates/*.tmpl templates/report.css templates/report.js
var templateFS embed.FS

// The page's only stylesheet and script, inlined verbatim. Their SHA-256
// hashes are all the Content Security Policy allows (see the template's
// meta element): nothing else runs or styles the page, and it loads
// nothing.
var (
	reportCSS = mustRead("templates/report.css")
	reportJS  = mustRead("templates/report.js")
)

// reportTemplate renders report.html. html/template escapes every value by
// its context; no untrusted text is ever passed as template.HTML, CSS or JS.
// The charts are SVG elements whose coordinates are numbers formatted here.
var reportTemplate = template.Must(template.New("report.html.tmpl").Funcs(template.FuncMap{
	"usd":   format.USD,
	"score": format.Score,
	"pct":   format.Pct,
	"ms":    format.MS,
	"raw":   formatRaw,
	"num":   formatCount,
	"f":     formatCoord,
	"add":   func(a, b float64) float64 { return a + b },
	"sub":   func(a, b int64) int64 { return a - b },
}).ParseFS(templateFS, "templates/*.tmpl"))

// mustRead returns an embedded file's text.
func mustRead(name string) string {
	b, err := templateFS.ReadFile(name)
	if err != nil {
		panic(err)
	}
	return string(b)
}

// sha256Source is a CSP hash source for an inline element's exact text.
func sha256Source(text string) string {
	sum := sha256.Sum256([]byte(text))
	return "sha256-" + base64.StdEncoding.EncodeToString(sum[:])
}

// HTMLReport accumulates what report.html shows beyond the summary: a
// bounded sample of cases for the drill-down, the capabilities providers
// declare and suites need, and an example message per error class. Its
// memory does not grow with the number of rows. It is not safe for
// concurrent use.
type HTMLReport struct {
	sample *sampler
	// ParquetName is the results file the report's DuckDB queries read
	// (default "results.parquet", beside the report).
	ParquetName string
	// Baseline is the provider whose output a case's other outputs are
	// compared with when the case has no reference.
	Baseline string
	// Gate is the gate's verdict, shown in the headline when set.
	Gate *GateSummary

	providers map[string]*suites.Provider
	errors    map[pair]string
	// ran holds the suite×provider pairs that have rows: a provider that
	// does not serve a suite's kind has no answer to show for its cases.
	ran map[pair]bool
}

// NewHTMLReport returns a report whose drill-down keeps at most maxCases
// cases (those with a failing row first) and samplePerSuite more cases of
// each suite, both chosen by a fixed hash.
func NewHTMLReport(maxCases, samplePerSuite int) *HTMLReport {
	return &HTMLReport{
		sample: newSampler(maxCases, samplePerSuite), ParquetName: results.FileName,
		providers: map[string]*suites.Provider{}, errors: map[pair]string{}, ran: map[pair]bool{},
	}
}

// Configure takes the baseline and the providers' declared capabilities
// from the run's config (providers without rows still show in the
// capability matrix).
func (h *HTMLReport) Configure(cfg *suites.Config) {
	if cfg == nil {
		return
	}
	h.Baseline = cfg.Baseline
	for _, p := range cfg.Providers {
		h.providers[p.ID] = p
	}
}

// Add counts one row and keeps it when the sample has room.
func (h *HTMLReport) Add(s *judges.Scored) {
	h.sample.add(s)
	if s.Result == nil {
		return
	}
	if p := s.Result.Provider; p != nil && h.providers[p.ID] == nil {
		h.providers[p.ID] = p
	}
	h.ran[pair{results.SuiteName(s), results.ProviderID(s)}] = true
	if s.Result.ErrorClass != "" {
		k := pair{string(s.Result.ErrorClass), results.ProviderID(s)}
		if _, ok := h.errors[k]; !ok {
			h.errors[k] = truncateTo(s.Result.Error, maxErrorExample)
		}
	}
}

// Write renders report.html from the summary, the rules and the sample.
func (h *HTMLReport) Write(w io.Writer, sum *Summary, rules *routing.Rules, generatedAt time.Time) error {
	return reportTemplate.Execute(w, h.view(sum, rules, generatedAt))
}
