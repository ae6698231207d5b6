package report

import (
	"html/template"
	"strconv"
	"time"

	"github.com/parity-eval/parity/internal/format"
	"github.com/parity-eval/parity/routing"
)

// htmlView is what the template renders.
type htmlView struct {
	// ScriptHash and StyleHash are the CSP sources of JS and CSS.
	ScriptHash, StyleHash string
	CSS                   template.CSS
	JS                    template.JS
	Head                  headView
	Leaderboard           []boardGroup
	Scatter               scatterView
	Latency               latencyChart
	Heatmap               heatmapView
	Caps                  capabilityView
	Attributes            attributesView
	Rules                 rulesView
	Errors                errorsView
	Table                 []providerRow
	Cases                 drillDown
}

// view assembles the template's data.
func (h *HTMLReport) view(sum *Summary, rules *routing.Rules, at time.Time) htmlView {
	provs := sum.Providers()
	ids := make([]string, len(provs))
	for i, p := range provs {
		ids[i] = p.Provider
	}
	return htmlView{
		ScriptHash:  sha256Source(reportJS),
		StyleHash:   sha256Source(reportCSS),
		CSS:         template.CSS(reportCSS), // the embedded stylesheet, hashed in the CSP
		JS:          template.JS(reportJS),   // the embedded script, hashed in the CSP
		Head:        h.head(sum, rules, at),
		Leaderboard: leaderboardGroups(sum, ids),
		Scatter:     scatterCharts(sum, rules, ids),
		Latency:     latencyChartOf(sum, ids),
		Heatmap:     heatmap(sum, provs),
		Caps:        h.capabilities(sum, ids),
		Attributes:  attributesOf(sum, ids),
		Rules:       rulesViewOf(rules, ids),
		Errors:      h.errorTable(provs),
		Table:       providerTable(provs),
		Cases:       h.cases(ids),
	}
}

// runStatus says whether the run finished.
func runStatus(sum *Summary) string {
	switch {
	case sum.Interrupted():
		return "interrupted"
	case sum.Complete():
		return "complete"
	}
	return "incomplete"
}

// formatRaw prints a check's own measure compactly (0.913, 8, 1).
func formatRaw(x float64) string { return strconv.FormatFloat(format.RoundSig(x, 3), 'g', -1, 64) }

// truncateTo cuts s to at most n bytes on a rune boundary, marking the cut.
func truncateTo(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && s[n]&0xC0 == 0x80 {
		n--
	}
	return s[:n] + "…"
}
