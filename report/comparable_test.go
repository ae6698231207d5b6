package report

import (
	"bytes"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/parity-eval/parity/internal/testkit"
	"github.com/parity-eval/parity/judges"
	"github.com/parity-eval/parity/routing"
	"github.com/parity-eval/parity/suites"
)

// Image models of the tests, priced per image only, and an image suite.
var (
	painter = &suites.Provider{ID: "img-painter", Capabilities: []suites.Capability{suites.CapImages},
		Endpoint: suites.Endpoint{Model: "painter-1", Price: suites.Price{Image: 0.04, Source: "test"}}}
	sketcher = &suites.Provider{ID: "img-sketcher", Capabilities: []suites.Capability{suites.CapImages},
		Endpoint: suites.Endpoint{Model: "sketcher-1", Price: suites.Price{Image: 0.02, Source: "test"}}}
	logoSuite = &suites.Suite{Name: "draw-logo", Tags: []string{"logo"}, Kind: suites.KindImage}
)

// imageScored is an image suite's row: no tokens, charged the price of
// one image, slower than chat.
func imageScored(c *suites.Case, p *suites.Provider, score float64) *judges.Scored {
	r := testkit.Scored(logoSuite, c, p, score)
	r.Result.InputTokens, r.Result.OutputTokens, r.Result.TTFT = 0, 0, 0
	r.Result.CostUSD, r.Result.Latency = p.Price.Image, 2*time.Second
	r.Checks = []judges.CheckScore{{Name: "judge", Type: "judge", Score: score, Pass: score >= 0.5}}
	return r
}

// mixedRows are chat rows (frontier and mini on both chat suites, flaky on
// extract only) and image rows (painter, sketcher). The image models score
// higher than mini: ranked together, painter would be the runner-up.
func mixedRows() []*judges.Scored {
	var rows []*judges.Scored
	for _, id := range []string{"c1", "c2"} {
		c := testkit.Case(id, nil)
		rows = append(rows,
			testkit.Scored(testkit.Extract, c, testkit.Frontier, 1), testkit.Scored(testkit.Classify, c, testkit.Frontier, 1),
			testkit.Scored(testkit.Extract, c, testkit.Mini, 0.5), testkit.Scored(testkit.Classify, c, testkit.Mini, 0.5),
			testkit.Scored(testkit.Extract, c, testkit.Flaky, 0.9),
			imageScored(c, painter, 0.9), imageScored(c, sketcher, 0.7))
	}
	return rows
}

// TestLeaderboardRanksComparableSuitesOnly checks chat and image models are
// ranked apart, and a provider that ran fewer suites is ranked against no
// one who ran more.
func TestLeaderboardRanksComparableSuitesOnly(t *testing.T) {
	t.Parallel()
	sum := NewSummary("mixed")
	for _, r := range mixedRows() {
		sum.Add(r)
	}
	ids := []string{"img-painter", "img-sketcher", "sim-flaky", "sim-frontier", "sim-mini"}
	groups := leaderboardGroups(sum, ids)
	type want struct {
		kind, title, suites, ranked, runnerUp string
	}
	wants := []want{
		// Both chat suites: frontier and mini, never an image model.
		{"chat", "Chat suites", "classify-sentiment,extract-invoice", "sim-frontier,sim-mini", "sim-mini"},
		// flaky ran extract alone: ranked against no one.
		{"chat", "Chat suites", "extract-invoice", "sim-flaky", ""},
		// The image models among themselves.
		{"image", "Image generation suites", "draw-logo", "img-painter,img-sketcher", "img-sketcher"},
	}
	if len(groups) != len(wants) {
		t.Fatalf("%d groups, want %d: %+v", len(groups), len(wants), groups)
	}
	for i, w := range wants {
		g := groups[i]
		quality := g.Cards[0]
		var ranked []string
		for _, e := range quality.Ranked {
			ranked = append(ranked, e.Name)
		}
		runnerUp := ""
		if quality.RunnerUp != nil {
			runnerUp = quality.RunnerUp.Name
		}
		got := want{g.Kind, g.Title, strings.Join(g.Suites, ","), strings.Join(ranked, ","), runnerUp}
		if quality.Title != "Quality" || got != w {
			t.Errorf("group %d: %+v (card %q), want %+v", i, got, quality.Title, w)
		}
	}
	// The image group has no streamed answer and no JSON check: those
	// cards are one n/a line, not empty cards.
	if img := groups[2]; len(img.NA) != 2 || !strings.HasPrefix(img.NA[0], "Time to first token") ||
		slices.ContainsFunc(img.Cards, func(c metricCard) bool { return c.Title == "JSON validity" }) {
		t.Errorf("image group n/a %q, cards %d", img.NA, len(img.Cards))
	}
}

// TestLeaderboardMultimodalProvider checks a provider that ran both kinds
// is ranked among the chat models on its chat rows and among the image
// models on its image rows, each on those alone.
func TestLeaderboardMultimodalProvider(t *testing.T) {
	t.Parallel()
	omni := &suites.Provider{ID: "omni", Endpoint: suites.Endpoint{Model: "omni-1", Price: suites.Price{Input: 1, Output: 4, Image: 0.03}}}
	sum := NewSummary("omni")
	c := testkit.Case("c1", nil)
	for _, r := range []*judges.Scored{testkit.Scored(testkit.Extract, c, testkit.Frontier, 0.8),
		testkit.Scored(testkit.Extract, c, omni, 0.6), imageScored(c, omni, 1), imageScored(c, painter, 0.9)} {
		sum.Add(r)
	}
	groups := leaderboardGroups(sum, []string{"img-painter", "omni", "sim-frontier"})
	if len(groups) != 2 {
		t.Fatalf("%d groups: %+v", len(groups), groups)
	}
	chat, img := groups[0].Cards[0], groups[1].Cards[0]
	if chat.Ranked[0].Name != "sim-frontier" || chat.RunnerUp.Name != "omni" || chat.RunnerUp.Value != "0.600" {
		t.Errorf("chat quality: %+v, runner-up %+v; want frontier, then omni at 0.600", chat.Ranked, chat.RunnerUp)
	}
	if img.Ranked[0].Name != "omni" || img.Ranked[0].Value != "1.000" || img.RunnerUp.Name != "img-painter" {
		t.Errorf("image quality: %+v, runner-up %+v; want omni at 1.000, then painter", img.Ranked, img.RunnerUp)
	}
}

// renderMixed renders a report of rows with a config holding the test
// providers and the image models.
func renderMixed(t *testing.T, rows []*judges.Scored) string {
	t.Helper()
	cfg := testkit.Config()
	cfg.Providers = append(slices.Clone(cfg.Providers), painter, sketcher)
	sum, h, ev := NewSummary("run-mixed"), NewHTMLReport(DefaultMaxCases, DefaultSamplePerSuite), routing.NewEvidence()
	h.Configure(cfg)
	for _, r := range rows {
		sum.Add(r)
		h.Add(r)
		ev.AddScored(r)
	}
	var buf bytes.Buffer
	if err := h.Write(&buf, sum, routing.Build(ev, cfg.Providers, cfg.Routing, testkit.T0), testkit.T0); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

// TestHTMLMixedRun checks the page of a run with chat and image models:
// two leaderboards, the image rule priced per image in the monthly
// projections, and no negative zero on any axis.
func TestHTMLMixedRun(t *testing.T) {
	t.Parallel()
	out := renderMixed(t, mixedRows())
	for _, want := range []string{
		`<div class="board" data-kind="chat"><h3 class="subhead">Chat suites</h3>`,
		`<div class="board" data-kind="image"><h3 class="subhead">Image generation suites</h3>`,
		`Ranked on 1 suite: draw-logo.`,
		// painter alone serves the logo rule at $0.04 an image: $0.040 a
		// request, $200,000 for 5M.
		`img-painter</span> alone</td><td class="n">`,
		`<td class="n">$0.040</td><td class="n">$200,000</td>`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	// Four rules of two cases each, a quarter of the traffic each: logo
	// goes to painter ($0.04 an image), extract, classify@high and
	// short@high to frontier (100 input and 20 output tokens at
	// $2.50/$10 per M). 5M requests a month cost 5M × (0.25·0.04 + 0.75·
	// frontier's cost); without the image rule's price they would cost
	// 5M × 0.75 × frontier's cost.
	frontier := (100*2.5 + 20*10) / 1e6
	month := "$" + formatCount(int64(math.Round(5e6*(0.25*0.04+0.75*frontier))))
	rules := between(t, out, `<tr class="hl"><td><b>the suggested rules</b></td>`, `</tr>`)
	if want := `<td class="n">$0.010</td><td class="n">` + month + `</td>`; !strings.Contains(rules, want) {
		t.Errorf("the rules' projection %s, want %s", rules, want)
	}
	for _, bad := range []string{"$-0", ">-0<", ">-0.00<"} {
		if strings.Contains(out, bad) {
			t.Errorf("the page prints %q", bad)
		}
	}
}

// TestRulesSplitAndExcludedTables checks a rule's split and its excluded
// providers render as tables, escaped, and not as key/value dumps.
func TestRulesSplitAndExcludedTables(t *testing.T) {
	t.Parallel()
	mini := routing.Choice{Provider: "sim-mini", Model: "mini-1", MeanScore: 0.9, CostPerCaseUSD: 0.0037, ErrorRate: 0}
	frontier := routing.Choice{Provider: "sim-frontier", Model: "frontier-1", MeanScore: 1, CostPerCaseUSD: 0.061, ErrorRate: 0.1}
	rules := &routing.Rules{Tolerance: 0.05, MaxFallbacks: 2, Tags: map[string]routing.TagRule{"long-context": {
		Tag: "long-context", Primary: &mini, Fallbacks: []routing.Choice{frontier}, Why: "cheapest within 0.05",
		Split: &routing.Split{Targets: []routing.SplitTarget{
			{Provider: "sim-mini", Model: "mini-1", Weight: 0.8, Role: "primary"},
			{Provider: "sim-frontier", Model: "frontier-1", Weight: 0.2, Role: "reliable"},
			{Provider: "canary<script>", Model: "c-1", Weight: 0.05, Role: "canary"}},
			Expected: routing.Mix{Outcome: routing.Outcome{MeanScore: 0.92, CostPerCaseUSD: 0.01516}, ErrorRate: 0.02}},
		Excluded: []routing.Exclusion{{Provider: "sim-budget", Reason: "lacks capability long_context (config)"},
			{Provider: "evil<b>", Reason: "failed every request <script>"}},
	}}}
	v := rulesViewOf(rules, []string{"sim-budget", "sim-frontier", "sim-mini"})
	row := v.Rows[0]
	if row.Split == nil || len(row.Split.Targets) != 3 || len(row.Excluded) != 2 {
		t.Fatalf("split %+v, excluded %+v", row.Split, row.Excluded)
	}
	wantTargets := []splitRow{
		{provChip{"sim-mini", providerColor(2)}, "mini-1", "primary", "80.0%", "0.900", "$0.0037", "0.0%"},
		{provChip{"sim-frontier", providerColor(1)}, "frontier-1", "reliable", "20.0%", "1.000", "$0.061", "10.0%"},
		// A target the rule lists no evidence of.
		{provChip{"canary<script>", ""}, "c-1", "canary", "5.0%", "–", "–", "–"},
	}
	if !slices.Equal(row.Split.Targets, wantTargets) || row.Split.Score != "0.920" || row.Split.Cost != "$0.015" || row.Split.Errors != "2.0%" {
		t.Errorf("split %+v", row.Split)
	}
	for _, e := range row.Extras {
		if e.Label == "split" || e.Label == "excluded" {
			t.Errorf("%s is still listed as an extra: %+v", e.Label, e)
		}
	}
	var buf bytes.Buffer
	if err := reportTemplate.ExecuteTemplate(&buf, "rules", v); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, want := range []string{
		`<h4>split of the primary's traffic</h4>`,
		`<td>primary</td><td class="n">80.0%</td><td class="n">0.900</td><td class="n">$0.0037</td><td class="n">0.0%</td>`,
		`<th scope="row" colspan="3">expected of the mix</th><td class="n">0.920</td><td class="n">$0.015</td><td class="n">2.0%</td>`,
		`<h4>left out</h4>`, `<td>lacks capability long_context (config)</td>`,
		`canary&lt;script&gt;`, `evil&lt;b&gt;`, `<td>failed every request &lt;script&gt;</td>`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("rules lack %q", want)
		}
	}
	if strings.Contains(out, "<dt>split</dt>") || strings.Contains(out, "<dt>excluded</dt>") || strings.Contains(out, "<script>") {
		t.Errorf("rules dump the split or excluded as key/values, or let markup through:\n%s", out)
	}
}
