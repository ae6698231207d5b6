package report

import (
	"cmp"
	"slices"

	"github.com/parity-eval/parity/internal/format"
)

// metricCard ranks the providers on one metric: Ranked[0] is the best,
// TiedWith the others with the same value, RunnerUp the next best value.
type metricCard struct {
	Title, Hint string
	Ranked      []metricEntry
	TiedWith    []string
	RunnerUp    *metricEntry
	// Missing names the providers the metric does not apply to, and why.
	Missing []string
	Why     string
}

// metricEntry is one provider's value on a metric.
type metricEntry struct {
	provChip
	Value, Detail string
	// Bar is the value as a percentage of the card's largest, for its bar.
	Bar float64
}

// boardMetric defines a leaderboard card.
type boardMetric struct {
	title, hint string
	higher      bool
	// value returns the provider's value, false when it has none.
	value  func(p ProviderStats) (float64, bool)
	format func(float64) string
	detail func(p ProviderStats) string
	// why says what a missing value means.
	why string
}

// boardMetrics are the leaderboard's cards, in order.
var boardMetrics = []boardMetric{
	{title: "Quality", hint: "mean score, higher is better", higher: true,
		value:  func(p ProviderStats) (float64, bool) { return p.MeanScore, p.N > 0 },
		format: format.Score,
		detail: func(p ProviderStats) string {
			return "± " + format.Score(p.ScoreStdErr) + ", " + format.Pct(p.PassRate) + " pass"
		}},
	{title: "Cost efficiency", hint: "cost per passing result, lower is better",
		value:  func(p ProviderStats) (float64, bool) { return perCase(p.CostUSD, p.Pass), p.Pass > 0 },
		format: format.USD,
		detail: func(p ProviderStats) string { return format.USD(p.CostPerCaseUSD) + " per result" },
		why:    "no passing result"},
	{title: "Time to first token", hint: "median TTFT of streamed answers, lower is better",
		value:  func(p ProviderStats) (float64, bool) { return p.TTFTMS.P50, p.TTFTMS.N > 0 },
		format: format.MS,
		detail: func(p ProviderStats) string { return "p95 " + format.MS(p.TTFTMS.P95) },
		why:    "nothing streamed"},
	{title: "p95 latency", hint: "whole answer, successful requests, lower is better",
		value:  func(p ProviderStats) (float64, bool) { return p.LatencyMS.P95, p.LatencyMS.N > 0 },
		format: format.MS,
		detail: func(p ProviderStats) string { return "p50 " + format.MS(p.LatencyMS.P50) },
		why:    "no successful request"},
	{title: "Error rate", hint: "failed requests after retries, lower is better",
		value:  func(p ProviderStats) (float64, bool) { return p.ErrorRate, p.N > 0 },
		format: format.Pct,
		detail: func(p ProviderStats) string { return formatCount(p.N-p.OK) + " of " + formatCount(p.N) }},
	{title: "JSON validity", hint: "answers passing their JSON schema, higher is better", higher: true,
		value:  func(p ProviderStats) (float64, bool) { return p.JSONValidRate, p.JSONChecked > 0 },
		format: format.Pct,
		detail: func(p ProviderStats) string { return "of " + formatCount(p.JSONChecked) + " answers" },
		why:    "no JSON schema check ran"},
}

// leaderboard builds a card per metric over provs, which must be
// comparable (see leaderboardGroups); color gives each provider its
// colour.
func leaderboard(provs []ProviderStats, color map[string]string) []metricCard {
	cards := make([]metricCard, 0, len(boardMetrics))
	for _, m := range boardMetrics {
		cards = append(cards, m.card(provs, color))
	}
	return cards
}

// card ranks the providers on the metric.
func (m boardMetric) card(provs []ProviderStats, color map[string]string) metricCard {
	c := metricCard{Title: m.title, Hint: m.hint, Why: m.why}
	type ranked struct {
		e metricEntry
		v float64
	}
	var rs []ranked
	top := 0.0
	for _, p := range provs {
		v, ok := m.value(p)
		if !ok {
			c.Missing = append(c.Missing, p.Provider)
			continue
		}
		top = max(top, v)
		rs = append(rs, ranked{metricEntry{provChip: provChip{p.Provider, color[p.Provider]}, Value: m.format(v), Detail: m.detail(p)}, v})
	}
	slices.SortStableFunc(rs, func(x, y ranked) int {
		if m.higher {
			return cmp.Compare(y.v, x.v)
		}
		return cmp.Compare(x.v, y.v)
	})
	for _, r := range rs {
		if top > 0 {
			r.e.Bar = 100 * r.v / top
		}
		c.Ranked = append(c.Ranked, r.e)
	}
	for i := 1; i < len(rs); i++ {
		if rs[i].v != rs[0].v {
			c.RunnerUp = &c.Ranked[i]
			break
		}
		c.TiedWith = append(c.TiedWith, rs[i].e.Name)
	}
	return c
}

// providerRow is one line of the sortable table of every figure.
type providerRow struct {
	ProviderStats
	provChip
	CostPerPass float64
	HasPass     bool
}

// providerTable lists every provider's figures.
func providerTable(provs []ProviderStats) []providerRow {
	out := make([]providerRow, len(provs))
	for i, p := range provs {
		out[i] = providerRow{ProviderStats: p, provChip: provChip{p.Provider, providerColor(i)},
			CostPerPass: perCase(p.CostUSD, p.Pass), HasPass: p.Pass > 0}
	}
	return out
}
