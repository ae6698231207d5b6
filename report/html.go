package report

import (
	"embed"
	"html/template"
	"io"
	"time"

	"github.com/parity-eval/parity/judges"
)

//go:embed templates/report.html.tmpl
var templateFS embed.FS

// reportTemplate renders report.html. html/template escapes every value by
// its context; no untrusted text is ever passed as template.HTML.
var reportTemplate = template.Must(template.New("report.html.tmpl").Funcs(template.FuncMap{
	"usd":   formatUSD,
	"score": formatScore,
	"pct":   formatPct,
	"ms":    formatMS,
	"raw":   formatRaw,
	"sub":   func(a, b int64) int64 { return a - b },
}).ParseFS(templateFS, "templates/report.html.tmpl"))

// HTMLReport accumulates what report.html shows beyond the summary: a
// bounded sample of rows for the drill-down. It is not safe for concurrent
// use.
type HTMLReport struct {
	sample *sampler
	// ParquetName is the results file the report's DuckDB queries read
	// (default "results.parquet", beside the report).
	ParquetName string
}

// NewHTMLReport returns a report that keeps at most maxFailing failing rows
// and the first passingPerCell passing rows of each suite×provider.
func NewHTMLReport(maxFailing, passingPerCell int) *HTMLReport {
	return &HTMLReport{sample: newSampler(maxFailing, passingPerCell), ParquetName: ResultsFile}
}

// Add counts one row and keeps it when the sample has room.
func (h *HTMLReport) Add(s *judges.Scored) { h.sample.add(s) }

// Write renders report.html from the summary, the rules and the sample.
func (h *HTMLReport) Write(w io.Writer, sum *Summary, rules *Rules, generatedAt time.Time) error {
	return reportTemplate.Execute(w, h.view(sum, rules, generatedAt))
}
