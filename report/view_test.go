package report

import (
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/parity-eval/parity/internal/testkit"

	"github.com/parity-eval/parity/judges"
	"github.com/parity-eval/parity/runner"
	"github.com/parity-eval/parity/suites"
)

// joinSpans rebuilds the text on one side of a diff.
func joinSpans(spans []diffSpan, skip string) string {
	var b strings.Builder
	for _, s := range spans {
		if s.Op != skip {
			b.WriteString(s.Text)
		}
	}
	return b.String()
}

func TestWordDiff(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, from, to string
		want           []diffSpan // nil: only check the round trip
	}{
		{"same", "billing", "billing", []diffSpan{{"eq", "billing"}}},
		{"replaced", "billing", "account", []diffSpan{{"del", "billing"}, {"ins", "account"}}},
		{"word added", "the total is 12", "the total is 12 EUR",
			[]diffSpan{{"eq", "the total is 12"}, {"ins", " EUR"}}},
		{"json value", `{"vendor": "Acme", "total": 12}`, `{"vendor": "ACME Corp", "total": 12}`,
			[]diffSpan{{"eq", `{"vendor": "`}, {"del", "Acme"}, {"ins", "ACME Corp"}, {"eq", `", "total": 12}`}}},
		{"empty output", "billing", "", []diffSpan{{"del", "billing"}}},
		{"both empty", "", "", []diffSpan{}},
		{"unicode", "Müller & Söhne GmbH", "Müller und Söhne GmbH", nil},
		{"markup stays text", "<b>x</b>", "<script>x</script>", nil},
	}
	for _, tt := range tests {
		got, ok := wordDiff(tt.from, tt.to)
		if !ok {
			t.Errorf("%s: no diff", tt.name)
			continue
		}
		if tt.want != nil && !slices.Equal(got, tt.want) && !(len(got) == 0 && len(tt.want) == 0) {
			t.Errorf("%s: %q, want %q", tt.name, got, tt.want)
		}
		if from, to := joinSpans(got, "ins"), joinSpans(got, "del"); from != tt.from || to != tt.to {
			t.Errorf("%s: the diff rebuilds %q → %q", tt.name, from, to)
		}
	}
}

func TestWordDiffGivesUpOnUnrelatedTexts(t *testing.T) {
	t.Parallel()
	a := strings.Repeat("alpha beta ", 400)
	b := strings.Repeat("gamma delta ", 400)
	if _, ok := wordDiff(a, b); ok {
		t.Error("diffed texts with no word in common beyond the edit bound")
	}
	near := strings.Replace(a, "beta", "BETA", 3)
	if d, ok := wordDiff(a, near); !ok || joinSpans(d, "ins") != a || joinSpans(d, "del") != near {
		t.Error("a long text with three edits did not diff")
	}
}

func TestScaleTicks(t *testing.T) {
	t.Parallel()
	lin := svgScale{d0: 0.6, d1: 1, p0: 200, p1: 0}
	if got := lin.ticks(4, formatScoreTick); len(got) != 5 || got[0].Label != "0.60" || got[0].Pos != 200 || got[4].Pos != 0 {
		t.Errorf("linear ticks %+v", got)
	}
	log := svgScale{d0: 3e-6, d1: 2e-3, p0: 0, p1: 300, log: true}
	var labels []string
	for _, tk := range log.ticks(4, formatUSDTick) {
		labels = append(labels, tk.Label)
	}
	if want := []string{"$0.00001", "$0.0001", "$0.001"}; !slices.Equal(labels, want) {
		t.Errorf("log ticks over three decades %v, want %v", labels, want)
	}
	short := svgScale{d0: 90, d1: 600, p0: 0, p1: 300, log: true}
	if got := short.ticks(8, formatMSTick); len(got) != 3 || got[0].Label != "100 ms" || got[2].Label != "500 ms" {
		t.Errorf("log ticks within a decade %+v", got)
	}
	if at := log.at(1); at != 300 {
		t.Errorf("a value past the domain is at %v, want the edge", at)
	}
}

func TestFormatCount(t *testing.T) {
	t.Parallel()
	for n, want := range map[int64]string{0: "0", 999: "999", 1000: "1,000", 1234567: "1,234,567", -45000: "-45,000"} {
		if got := formatCount(n); got != want {
			t.Errorf("formatCount(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestParetoFrontier(t *testing.T) {
	t.Parallel()
	stats := []TagStats{
		{Provider: "cheap", N: 5, CostPerCaseUSD: 1, MeanScore: 0.6},
		{Provider: "mid", N: 5, CostPerCaseUSD: 2, MeanScore: 0.8},
		{Provider: "dominated", N: 5, CostPerCaseUSD: 3, MeanScore: 0.7}, // costs more than mid, scores less
		{Provider: "best", N: 5, CostPerCaseUSD: 10, MeanScore: 0.95},
		{Provider: "tie", N: 5, CostPerCaseUSD: 2, MeanScore: 0.8}, // equal to mid: both on the frontier
		{Provider: "down", N: 5, ErrorRate: 1},                     // every request failed: not plotted
	}
	got := paretoFrontier(stats)
	for p, want := range map[string]bool{"cheap": true, "mid": true, "dominated": false, "best": true, "tie": true, "down": true} {
		if got[p] != want {
			t.Errorf("%s on the frontier: %v, want %v", p, got[p], want)
		}
	}
	c := scatterChartOf("t", "mid", stats, map[string]string{})
	if !slices.Equal(c.Excluded, []string{"down"}) || len(c.Points) != 5 {
		t.Errorf("plotted %d points, left out %v", len(c.Points), c.Excluded)
	}
	if n := len(c.Frontier); n < 4 || c.Frontier[n-1].X != c.X1 {
		t.Errorf("the frontier staircase %v does not reach the right edge %v", c.Frontier, c.X1)
	}
	for i := 1; i < len(c.Frontier); i++ {
		if c.Frontier[i].X < c.Frontier[i-1].X || c.Frontier[i].Y > c.Frontier[i-1].Y {
			t.Errorf("the staircase goes back or down at %d: %v", i, c.Frontier)
		}
	}
}

func TestLeaderboardRanks(t *testing.T) {
	t.Parallel()
	provs := []ProviderStats{
		{Provider: "a", GroupStats: GroupStats{N: 10, OK: 10, Pass: 8, MeanScore: 0.8, CostUSD: 1}},
		{Provider: "b", GroupStats: GroupStats{N: 10, OK: 9, Pass: 9, MeanScore: 0.9, CostUSD: 9, ErrorRate: 0.1}},
		{Provider: "c", GroupStats: GroupStats{N: 10, OK: 10, Pass: 0, MeanScore: 0.8}},
	}
	cards := leaderboard(provs, nil)
	quality, cost, errs, json := cards[0], cards[1], cards[4], cards[5]
	if quality.Ranked[0].Name != "b" || quality.RunnerUp == nil || quality.RunnerUp.Name != "a" {
		t.Errorf("quality: best %s, runner-up %+v", quality.Ranked[0].Name, quality.RunnerUp)
	}
	if cost.Ranked[0].Name != "a" || !slices.Equal(cost.Missing, []string{"c"}) {
		t.Errorf("cost per pass: best %s, missing %v (c passed nothing)", cost.Ranked[0].Name, cost.Missing)
	}
	if errs.Ranked[0].Name != "a" || !slices.Equal(errs.TiedWith, []string{"c"}) || errs.RunnerUp.Name != "b" {
		t.Errorf("error rate: best %s tied with %v, runner-up %+v", errs.Ranked[0].Name, errs.TiedWith, errs.RunnerUp)
	}
	if len(json.Ranked) != 0 || len(json.Missing) != 3 {
		t.Errorf("JSON validity without checks: %+v", json)
	}
}

func TestCapabilities(t *testing.T) {
	t.Parallel()
	vision := &suites.Suite{Name: "read-receipt", Tags: []string{"ocr"}, Needs: []suites.Capability{"vision"}}
	seeing := &suites.Provider{ID: "seeing", Capabilities: []suites.Capability{"vision", "streaming"}}
	blind := &suites.Provider{ID: "blind", Capabilities: []suites.Capability{"tools"}}
	refused := &suites.Provider{ID: "refused", Capabilities: []suites.Capability{"vision"}}
	c := testkit.Case("r1", nil)
	rows := []*judges.Scored{testkit.Scored(vision, c, seeing, 1), testkit.FailedScored(vision, c, blind, runner.ClassUnsupported),
		testkit.FailedScored(vision, c, refused, runner.ClassBadRequest)}
	rows[1].Result.TTFT = 0
	sum, h := NewSummary("caps"), NewHTMLReport(10, 1)
	for _, r := range rows {
		sum.Add(r)
		h.Add(r)
	}
	v := h.capabilities(sum, []string{"blind", "refused", "seeing"})
	col := slices.Index(v.Caps, "vision")
	tones := map[string]string{}
	for _, r := range v.Rows {
		tones[r.Name] = r.Cells[col].Tone
	}
	// blind is refused before sending (it does not declare vision), refused
	// answers 400: both show vision does not work there.
	if want := map[string]string{"blind": "no", "refused": "no", "seeing": "ok"}; !maps.Equal(tones, want) {
		t.Errorf("vision: %v, want %v", tones, want)
	}
	if tools := v.Rows[0].Cells[slices.Index(v.Caps, "tools")]; tools.Tone != "declared" {
		t.Errorf("blind's tools, declared and not needed: %+v", tools)
	}
	if st := v.Rows[2].Cells[slices.Index(v.Caps, "streaming")]; st.Tone != "ok" || !strings.Contains(st.Note, "1 of 1 answers streamed") {
		t.Errorf("seeing's streaming: %+v", st)
	}
}
