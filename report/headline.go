package report

import (
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/parity-eval/parity/internal/format"
	"github.com/parity-eval/parity/routing"
)

// headView is the report's headline: what ran, what it cost, the verdict.
type headView struct {
	RunID, GeneratedAt, Status string
	Suites                     []string
	Providers                  []provChip
	Tiles                      []headTile
	Gate                       *headGate
	// Warnings are what the config warns of (Summary.Warnings).
	Warnings []string
	// Routes are the rules' primaries, one per rule.
	Routes []headRoute
}

// headRoute is one rule's primary, for the headline.
type headRoute struct {
	provChip
	Tag, Detail string
}

// headTile is one headline figure.
type headTile struct {
	Label, Value, Detail string
	// Tone colours the value: "good", "bad" or "" (neutral).
	Tone string
}

// headGate is the gate's verdict as shown.
type headGate struct {
	Pass    bool
	Word    string
	Against string
	Reasons []string
}

// head assembles the headline.
func (h *HTMLReport) head(sum *Summary, rules *routing.Rules, at time.Time) headView {
	v := headView{
		RunID: sum.RunID(), GeneratedAt: at.UTC().Format("2006-01-02 15:04 UTC"),
		Status: runStatus(sum),
		Tiles:  headTiles(sum), Warnings: sum.Warnings(),
	}
	ids := []string{}
	for _, p := range sum.Providers() {
		ids = append(ids, p.Provider)
	}
	v.Providers = provChips(ids)
	v.Routes = headRoutes(rules, ids)
	for _, s := range sum.Suites() {
		v.Suites = append(v.Suites, s.Suite)
	}
	if g := h.Gate; g != nil {
		v.Gate = &headGate{Pass: g.Pass, Word: g.word(), Against: g.Against, Reasons: g.Reasons}
	}
	return v
}

// headTiles are the headline figures: results, pass rate, spend, errors and
// wall time.
func headTiles(sum *Summary) []headTile {
	t := sum.Totals()
	done := headTile{Label: "results", Value: formatCount(t.N), Detail: "complete"}
	if p := sum.Planned(); p > 0 && (t.N < p || !sum.Complete()) {
		done.Detail, done.Tone = "of "+formatCount(p)+" planned", "bad"
	}
	spend := headTile{Label: "spend", Value: format.USD(t.CostUSD + t.ScoringCostUSD),
		Detail: format.USD(t.CostUSD) + " providers + " + format.USD(t.ScoringCostUSD) + " scoring"}
	if t.Cached > 0 {
		spend.Detail += fmt.Sprintf("; %s paid now, %s rows cached", format.USD(t.SpentUSD), formatCount(t.Cached))
	}
	errs := headTile{Label: "failed requests", Value: formatCount(t.N - t.OK), Detail: format.Pct(t.ErrorRate) + " of requests"}
	if t.N > t.OK {
		errs.Tone = "bad"
	}
	out := []headTile{
		done,
		{Label: "pass rate", Value: format.Pct(t.PassRate), Detail: formatCount(t.Pass) + " of " + formatCount(t.N) + " passed"},
		spend,
		errs,
	}
	if first, last := sum.Span(); !first.IsZero() {
		out = append(out, headTile{Label: "wall time", Value: formatWallTime(last.Sub(first)),
			Detail: "from " + first.UTC().Format("15:04:05") + " UTC"})
	}
	return out
}

// formatWallTime prints a run's length: 8.4 s, 12 min, 3.5 h.
func formatWallTime(d time.Duration) string {
	switch {
	case d < time.Minute:
		return fmt.Sprintf("%.1f s", d.Seconds())
	case d < time.Hour:
		return fmt.Sprintf("%.0f min", d.Minutes())
	}
	return fmt.Sprintf("%.1f h", d.Hours())
}

// headRoutes lists each rule's primary with its score and cost.
func headRoutes(rules *routing.Rules, ids []string) []headRoute {
	if rules == nil {
		return nil
	}
	var out []headRoute
	for _, key := range slices.Sorted(maps.Keys(rules.Tags)) {
		p := rules.Tags[key].Primary
		if p == nil {
			continue
		}
		out = append(out, headRoute{provChip: provChip{p.Provider, providerColor(max(slices.Index(ids, p.Provider), 0))},
			Tag: key, Detail: format.Score(p.MeanScore) + " at " + format.USD(p.CostPerCaseUSD) + "/case"})
	}
	return out
}
