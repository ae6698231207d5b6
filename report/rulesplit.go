package report

import (
	"github.com/parity-eval/parity/internal/format"
	"github.com/parity-eval/parity/routing"
)

// splitView is a rule's split as a table: a row per target, then the
// mix's expected outcome.
type splitView struct {
	Targets []splitRow
	// Score, Cost and Errors are the mix's expected mean score, cost per
	// case and error rate: its targets' weighted means.
	Score, Cost, Errors string
}

// splitRow is one target of a split, with what it measured on the rule
// ("–" when the rule lists no evidence of it).
type splitRow struct {
	provChip
	Model, Role, Weight string
	Score, Cost, Errors string
}

// exclusionRow is a provider left out of a rule, and why.
type exclusionRow struct {
	provChip
	Reason string
}

// splitViewOf lays out a rule's split, nil when it has none.
func splitViewOf(r routing.TagRule, color map[string]string) *splitView {
	s := r.Split
	if s == nil || len(s.Targets) == 0 {
		return nil
	}
	v := &splitView{Score: format.Score(s.Expected.MeanScore), Cost: format.USD(s.Expected.CostPerCaseUSD),
		Errors: format.Pct(s.Expected.ErrorRate)}
	for _, t := range s.Targets {
		row := splitRow{provChip: provChip{t.Provider, color[t.Provider]}, Model: t.Model, Role: t.Role,
			Weight: format.Pct(t.Weight), Score: "–", Cost: "–", Errors: "–"}
		if c := choiceOf(r, t.Provider); c != nil {
			row.Score, row.Cost, row.Errors = format.Score(c.MeanScore), format.USD(c.CostPerCaseUSD), format.Pct(c.ErrorRate)
		}
		v.Targets = append(v.Targets, row)
	}
	return v
}

// choiceOf returns the evidence the rule lists for a provider: its
// primary's or a fallback's; nil when neither is the provider.
func choiceOf(r routing.TagRule, provider string) *routing.Choice {
	if r.Primary != nil && r.Primary.Provider == provider {
		return r.Primary
	}
	for i := range r.Fallbacks {
		if r.Fallbacks[i].Provider == provider {
			return &r.Fallbacks[i]
		}
	}
	return nil
}

// exclusionsOf lists the providers left out of a rule.
func exclusionsOf(r routing.TagRule, color map[string]string) []exclusionRow {
	out := make([]exclusionRow, 0, len(r.Excluded))
	for _, e := range r.Excluded {
		out = append(out, exclusionRow{provChip{e.Provider, color[e.Provider]}, e.Reason})
	}
	return out
}
