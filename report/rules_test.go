package report

import (
	"bytes"
	"strings"
	"testing"

	"github.com/goccy/go-yaml"

	"github.com/parity-eval/parity/suites"
)

// cand is a candidate with the given evidence.
func cand(id string, score, cost, errRate float64, n int64) candidate {
	return candidate{TagStats: TagStats{Provider: id, Model: id + "-model", N: n,
		MeanScore: score, StdErr: 0.01, CostPerCaseUSD: cost, ErrorRate: errRate}, model: id + "-model"}
}

func TestChooseRule(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name         string
		cands        []candidate
		tol          float64
		maxFallbacks int
		primary      string
		fallbacks    string // provider ids, comma-separated
		best         string
		why          string
	}{
		{
			name: "a cheaper provider within the tolerance wins",
			cands: []candidate{cand("sim-frontier", 0.93, 0.0025, 0, 50), cand("sim-mini", 0.91, 0.00012, 0, 50),
				cand("sim-small", 0.80, 0.00001, 0, 50)},
			tol: 0.05, maxFallbacks: 2,
			primary: "sim-mini", fallbacks: "sim-frontier,sim-small", best: "sim-frontier",
			why: "cheapest within 0.05 of the best (sim-frontier 0.93): 0.91 at $0.00012/case, 21x cheaper",
		},
		{
			name:  "nothing cheaper within the tolerance: the best",
			cands: []candidate{cand("a", 0.93, 0.002, 0, 50), cand("b", 0.85, 0.0001, 0, 50)},
			tol:   0.05, maxFallbacks: 2,
			primary: "a", fallbacks: "b", best: "a",
			why: "best mean score (0.93 at $0.0020/case); no other provider within 0.05 of it",
		},
		{
			name:  "the best is also the cheapest within the tolerance",
			cands: []candidate{cand("a", 0.93, 0.001, 0, 50), cand("b", 0.92, 0.002, 0, 50)},
			tol:   0.05, maxFallbacks: 1,
			primary: "a", fallbacks: "b", best: "a",
			why: "best mean score (0.93 at $0.0010/case) and the cheapest of the 2 providers within 0.05",
		},
		{
			name:  "a tie on the best score goes to the cheaper",
			cands: []candidate{cand("a", 0.9, 0.002, 0, 50), cand("b", 0.9, 0.001, 0, 50)},
			tol:   0, maxFallbacks: 2,
			primary: "b", fallbacks: "a", best: "b",
			why: "best mean score (0.90 at $0.0010/case) and the cheapest of the 2 providers within 0",
		},
		{
			name:  "exactly at the tolerance counts as within",
			cands: []candidate{cand("a", 0.95, 0.01, 0, 50), cand("b", 0.90, 0.001, 0, 50)},
			tol:   0.05, maxFallbacks: 2,
			primary: "b", fallbacks: "a", best: "a",
			why: "cheapest within 0.05 of the best (a 0.95): 0.90 at $0.0010/case, 10x cheaper",
		},
		{
			name: "fallbacks by score then error rate; a provider that always failed is never one",
			cands: []candidate{cand("a", 0.9, 0.01, 0, 50), cand("b", 0.7, 0.001, 0.2, 50),
				cand("c", 0.7, 0.002, 0.1, 50), cand("dead", 0, 0, 1, 50)},
			tol: 0.05, maxFallbacks: 5,
			primary: "a", fallbacks: "c,b", best: "a",
			why: "best mean score (0.90 at $0.010/case); no other provider within 0.05 of it",
		},
		{
			name: "the chain ends on the most reliable provider when it would be cut",
			cands: []candidate{cand("a", 0.9, 0.001, 0.2, 50), cand("b", 0.85, 0.01, 0.3, 50),
				cand("c", 0.8, 0.01, 0.25, 50), cand("steady", 0.6, 0.01, 0, 50)},
			tol: 0.05, maxFallbacks: 2,
			primary: "a", fallbacks: "b,steady", best: "a",
			why: "best mean score (0.90 at $0.0010/case) and the cheapest of the 2 providers within 0.05",
		},
		{
			name: "no replacement when the primary is the most reliable",
			cands: []candidate{cand("a", 0.9, 0.001, 0, 50), cand("b", 0.85, 0.01, 0.3, 50),
				cand("c", 0.8, 0.01, 0.25, 50), cand("d", 0.6, 0.01, 0.1, 50)},
			tol: 0.01, maxFallbacks: 1,
			primary: "a", fallbacks: "b", best: "a",
			why: "best mean score (0.90 at $0.0010/case); no other provider within 0.01 of it",
		},
		{
			name:  "max_fallbacks 0: no chain",
			cands: []candidate{cand("a", 0.9, 0.001, 0, 50), cand("b", 0.85, 0.01, 0, 50)},
			tol:   0.05, maxFallbacks: 0,
			primary: "a", fallbacks: "", best: "a",
			why: "best mean score (0.90 at $0.0010/case) and the cheapest of the 2 providers within 0.05",
		},
		{
			name:  "a free provider within the tolerance",
			cands: []candidate{cand("paid", 0.9, 0.001, 0, 50), cand("local", 0.88, 0, 0, 50)},
			tol:   0.05, maxFallbacks: 1,
			primary: "local", fallbacks: "paid", best: "paid",
			why: "cheapest within 0.05 of the best (paid 0.90): 0.88 at $0/case, free",
		},
		{
			name:  "every provider failed every request",
			cands: []candidate{cand("a", 0, 0, 1, 5), cand("b", 0, 0, 1, 5)},
			tol:   0.05, maxFallbacks: 2,
			primary: "", fallbacks: "", best: "",
			why: "no provider answered any case with this tag",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := chooseRule(tt.cands, tt.tol, tt.maxFallbacks)
			var primary, best string
			if r.Primary != nil {
				primary = r.Primary.Provider
			}
			if r.Best != nil {
				best = r.Best.Provider
			}
			var fb []string
			for _, f := range r.Fallbacks {
				fb = append(fb, f.Provider)
			}
			if primary != tt.primary || strings.Join(fb, ",") != tt.fallbacks || best != tt.best {
				t.Errorf("primary %q fallbacks %q best %q, want %q %q %q", primary, strings.Join(fb, ","), best,
					tt.primary, tt.fallbacks, tt.best)
			}
			if r.Why != tt.why {
				t.Errorf("why\ngot  %q\nwant %q", r.Why, tt.why)
			}
		})
	}
}

func TestRuleWarnings(t *testing.T) {
	t.Parallel()
	thin := cand("a", 0.9, 0.001, 0, 4)
	thin.StdErr = 0.1
	r := chooseRule([]candidate{thin}, 0.05, 2)
	if len(r.Warnings) != 2 || !strings.Contains(r.Warnings[0], "n = 4 < 10") || !strings.Contains(r.Warnings[1], "wider than the tolerance") {
		t.Errorf("warnings %q", r.Warnings)
	}
	if r := chooseRule([]candidate{cand("a", 0.9, 0.001, 0, 50)}, 0.05, 2); len(r.Warnings) != 0 {
		t.Errorf("unexpected warnings %q", r.Warnings)
	}
}

func TestRulesYAML(t *testing.T) {
	t.Parallel()
	s := NewSummary("run-test")
	for _, r := range summaryRows() {
		s.Add(r)
	}
	var buf bytes.Buffer
	if err := WriteRules(&buf, s, testProviders, testConfig().Routing, t0); err != nil {
		t.Fatal(err)
	}
	golden(t, "rules.golden.yaml", buf.Bytes())

	var back Rules
	if err := yaml.Unmarshal(buf.Bytes(), &back); err != nil {
		t.Fatal(err)
	}
	if back.SchemaVersion != RulesSchemaVersion || back.RunID != "run-test" || back.GeneratedAt != "2025-06-01T12:00:00Z" {
		t.Errorf("header %+v", back)
	}
	ex := back.Tags["extract"]
	if ex.Primary == nil || ex.Primary.Provider != "sim-mini" || ex.Primary.Model != "mini-1" || ex.Best.Provider != "sim-frontier" {
		t.Errorf("extract rule %+v", ex)
	}
	if keys := strings.Count(buf.String(), "\n  classify:") + strings.Count(buf.String(), "\n  extract:") + strings.Count(buf.String(), "\n  short:"); keys != 3 {
		t.Errorf("want the tags classify, extract and short:\n%s", buf.String())
	}
	if i, j := strings.Index(buf.String(), "  classify:"), strings.Index(buf.String(), "  short:"); i > j {
		t.Error("tags are not sorted")
	}
}

func TestRulesProvidersFilter(t *testing.T) {
	t.Parallel()
	s := NewSummary("r")
	for _, r := range summaryRows() {
		s.Add(r)
	}
	// Only the configured providers are candidates; the model is the
	// configured string even when rows say otherwise.
	renamed := *frontier
	renamed.Model = "frontier-1@2025-06-01"
	r := BuildRules(s, []*suites.Provider{&renamed}, suites.Routing{Tolerance: 0.05, MaxFallbacks: 2}, t0)
	ex := r.Tags["extract"]
	if ex.Primary == nil || ex.Primary.Provider != "sim-frontier" || ex.Primary.Model != "frontier-1@2025-06-01" || len(ex.Fallbacks) != 0 {
		t.Errorf("extract rule %+v", ex)
	}
	if ex.Primary.Price == nil || ex.Primary.Price.Input != 2.5 || ex.Primary.Price.Source != "OpenAI pricing" {
		t.Errorf("price %+v", ex.Primary.Price)
	}
}
