package routing

import (
	"fmt"
	"github.com/parity-eval/parity/internal/format"
	"github.com/parity-eval/parity/stats"
	"slices"
)

// HoldoutSettings configure the held-out proof; DefaultHoldoutSettings
// holds the defaults.
type HoldoutSettings struct {
	// Seed makes the assignment of cases to splits reproducible (default 1).
	Seed uint64
	// MinSplitCases is the number of cases from which a rule is proven on
	// one split (default 20); a rule with fewer is cross-validated over
	// Folds folds (default 5; leave-one-out below 5 cases).
	MinSplitCases int
	Folds         int
	// TestShare is the share of a rule's cases held out by one split
	// (default 0.5).
	TestShare float64
	// Tolerances are the points of the cost-quality curve; the rules' own
	// tolerance is always added (default 0, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1).
	Tolerances []float64
	// Resamples is the number of resamples of the held-out cases' bootstrap
	// (default stats' 2000; 0: no interval), MinBootstrapCases the fewest
	// held-out cases it is drawn from (default stats' 20): see
	// HoldoutInterval.
	Resamples         int
	MinBootstrapCases int
	// HalfDraws is how many seeded halves of each fold's training cases the
	// rules are chosen again from (default 5; 0: no split cost): see
	// SplitCost.
	HalfDraws int
}

// DefaultHoldoutSettings returns the default settings.
func DefaultHoldoutSettings() HoldoutSettings {
	st := stats.DefaultSettings()
	return HoldoutSettings{Seed: 1, MinSplitCases: 20, Folds: 5, TestShare: 0.5,
		Tolerances: []float64{0, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1},
		Resamples:  st.Resamples, MinBootstrapCases: st.MinBootstrapCases, HalfDraws: 5}
}

// Holdout is the proof of the rules on cases they were not chosen on: for
// every rule, the cases are split (seeded, within the rule's tag and
// tier), rules are chosen on one part with the same method and scored on
// the other. The figures pool every held-out case of every rule (a case
// whose suite has two tags counts under each). See pgr.go for
// the definitions.
type Holdout struct {
	Method string `yaml:"method" json:"method"`
	Seed   uint64 `yaml:"seed" json:"seed"`
	// Cases counts the held-out cases scored.
	Cases     int     `yaml:"cases" json:"cases"`
	Tolerance float64 `yaml:"tolerance" json:"tolerance"`
	// Rules is every case on its rule's primary at Tolerance (fallbacks,
	// splits and canaries are not simulated); Best on its rule's best
	// provider; Cheapest on its rule's cheapest; Baseline on the baseline.
	Rules    Outcome  `yaml:"rules" json:"rules"`
	Best     Outcome  `yaml:"best" json:"best"`
	Cheapest Outcome  `yaml:"cheapest" json:"cheapest"`
	Baseline *Outcome `yaml:"baseline,omitempty" json:"baseline,omitempty"`
	// Quality kept and cost saved, in percent, against the best and the
	// baseline.
	QualityKeptVsBestPct     *float64 `yaml:"quality_kept_vs_best_pct,omitempty" json:"quality_kept_vs_best_pct,omitempty"`
	CostSavedVsBestPct       *float64 `yaml:"cost_saved_vs_best_pct,omitempty" json:"cost_saved_vs_best_pct,omitempty"`
	QualityKeptVsBaselinePct *float64 `yaml:"quality_kept_vs_baseline_pct,omitempty" json:"quality_kept_vs_baseline_pct,omitempty"`
	CostSavedVsBaselinePct   *float64 `yaml:"cost_saved_vs_baseline_pct,omitempty" json:"cost_saved_vs_baseline_pct,omitempty"`
	// Interval bounds those four figures over the held-out cases.
	Interval *HoldoutInterval `yaml:"interval,omitempty" json:"interval,omitempty"`
	// PGR and APGR are RouteLLM's; CostToMatchBest is FrugalGPT's.
	PGR             *float64     `yaml:"pgr,omitempty" json:"pgr,omitempty"`
	APGR            *float64     `yaml:"apgr,omitempty" json:"apgr,omitempty"`
	CostToMatchBest *CostToMatch `yaml:"cost_to_match_best,omitempty" json:"cost_to_match_best,omitempty"`
	// SplitCost is the proof again with rules chosen from half the
	// training cases: what choosing from fewer cases costs.
	SplitCost *SplitCost `yaml:"split_cost,omitempty" json:"split_cost,omitempty"`
	// Curve is the rules at each tolerance, on the held-out cases.
	Curve    []CurvePoint   `yaml:"curve" json:"curve"`
	Routes   []RouteHoldout `yaml:"routes" json:"routes"`
	Warnings []string       `yaml:"warnings,omitempty" json:"warnings,omitempty"`
}

// Outcome is a mean quality and cost per case: held out, at a tolerance,
// or expected of a split. The types that carry one embed it, so its two
// fields print in their place, flattened.
type Outcome struct {
	MeanScore      float64 `yaml:"mean_score" json:"mean_score"`
	CostPerCaseUSD float64 `yaml:"cost_per_case_usd" json:"cost_per_case_usd"`
}

// roundedOutcome is the outcome of mean score q and cost c, rounded for
// reading: the score to four decimals, the cost to four significant
// figures.
func roundedOutcome(q, c float64) Outcome {
	return Outcome{format.RoundTo(q, 4), format.RoundSig(c, 4)}
}

// CurvePoint is the rules chosen at one tolerance, scored held out.
type CurvePoint struct {
	Tolerance float64 `yaml:"tolerance" json:"tolerance"`
	Outcome   `yaml:",inline"`
	// CostShare is the share of the cost gap between the cheapest and the
	// best spent (APGR's x axis); BestShare the share of cases sent to
	// their rule's best provider.
	CostShare float64  `yaml:"cost_share" json:"cost_share"`
	BestShare float64  `yaml:"best_share" json:"best_share"`
	PGR       *float64 `yaml:"pgr,omitempty" json:"pgr,omitempty"`
}

// CostToMatch is the cheapest curve point at least as good as the best.
type CostToMatch struct {
	Tolerance          float64 `yaml:"tolerance" json:"tolerance"`
	Outcome            `yaml:",inline"`
	CostSavedVsBestPct float64 `yaml:"cost_saved_vs_best_pct" json:"cost_saved_vs_best_pct"`
}

// RouteHoldout is one rule's share of the proof.
type RouteHoldout struct {
	Route  string `yaml:"route" json:"route"`
	Method string `yaml:"method" json:"method"`
	Cases  int    `yaml:"cases" json:"cases"`
	// Rules and Best are the rule's held-out outcomes at the tolerance.
	Rules Outcome `yaml:"rules" json:"rules"`
	Best  Outcome `yaml:"best" json:"best"`
	// Stability is the share of folds whose primary is the one the rule
	// chose on every case.
	Stability float64 `yaml:"stability" json:"stability"`
}

// newHoldout runs the proof over every rule; nil when no case could be
// held out.
func newHoldout(views []routeView, rules map[string]TagRule, s Settings) *Holdout {
	p := newHoldoutProof(s)
	for _, v := range views {
		p.route(v, rules[v.route.key.String()])
	}
	h := p.result()
	if h != nil {
		var lo, hi heldFigures
		h.Interval, lo, hi = p.held.interval(s.Baseline != "", s.Holdout)
		h.SplitCost = p.splitCost(lo, hi)
	}
	return h
}

// curveGrid returns the settings' tolerances with the rules' own, sorted
// and without duplicates.
func curveGrid(s Settings) []float64 {
	grid := append(slices.Clone(s.Holdout.Tolerances), s.Tolerance)
	slices.Sort(grid)
	return slices.Compact(grid)
}

// describeHoldout says how the proof split the cases.
func describeHoldout(hs HoldoutSettings) string {
	return fmt.Sprintf("per tag and tier, seeded: one split holding out %s of the cases where a rule has %d or more, "+
		"else %d-fold cross-validation (leave-one-out under %d cases); rules chosen on the rest with the same method",
		format.Pct(hs.TestShare), hs.MinSplitCases, hs.Folds, hs.Folds)
}
