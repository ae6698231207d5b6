package gate

import (
	"github.com/parity-eval/parity/stats"
)

// SchemaVersion is the schema_version of the gate's JSON.
const SchemaVersion = 1

// Verdict is the outcome of a gate, a suite, a tag or one check, as its
// JSON, text, Markdown and JUnit print it.
type Verdict string

// Verdicts. Only a check is ever Off; a suite, a tag and the gate are Pass
// or Fail.
const (
	// Pass: the check held; a suite, a tag or the gate passes when every
	// check or suite in it that is not off passed.
	Pass Verdict = "pass"
	// Fail: the check did not hold, or one in the suite, tag or gate failed.
	Fail Verdict = "fail"
	// Off: the check is disabled.
	Off Verdict = "off"
)

// Names of the checks every suite gets (Check.Name), in the order
// they are reported.
const (
	// CheckCoverage: enough paired cases, and none missing on either side.
	CheckCoverage = "coverage"
	// CheckScore: the non-inferiority test on the mean score.
	CheckScore = "score"
	// CheckCost: the rise in cost per case.
	CheckCost = "cost"
	// CheckP95: the rise in p95 latency.
	CheckP95 = "p95_latency"
	// CheckErrors: the rise in error rate.
	CheckErrors = "error_rate"
)

// Result is a gate's verdict and its evidence. It encodes as the JSON
// that `parity rules --gate` reads (schema_version 1).
type Result struct {
	SchemaVersion int    `json:"schema_version"`
	Baseline      string `json:"baseline"`
	Candidate     string `json:"candidate"`
	// Verdict is Pass when every suite passed.
	Verdict  Verdict `json:"verdict"`
	Margin   float64 `json:"margin"`
	Alpha    float64 `json:"alpha"`
	Power    float64 `json:"power"`
	MinCases int     `json:"min_cases"`
	// Thresholds are the operational limits; null when off.
	Thresholds Thresholds `json:"thresholds"`
	// Holm describes the multiple-comparison adjustment of the suites'
	// score tests.
	Holm     Holm     `json:"multiple_comparisons"`
	Suites   []Suite  `json:"suites"`
	Tags     []Tag    `json:"tags"`
	Overall  Overall  `json:"overall"`
	Failures []string `json:"failures"`
	Warnings []string `json:"warnings"`
}

// Thresholds are the operational limits in force; null when off.
type Thresholds struct {
	MaxCostIncrease  NullFloat `json:"max_cost_increase"`
	MaxP95Increase   NullFloat `json:"max_p95_increase"`
	MaxErrorIncrease NullFloat `json:"max_error_increase"`
}

// Holm says how the suites' score tests were adjusted: Holm's
// step-down over Family tests, at family-wise one-sided level
// OneSidedAlpha (alpha/2: the level of "the lower bound of the two-sided
// 1-alpha interval").
type Holm struct {
	Method        string  `json:"method"`
	Family        int     `json:"family"`
	OneSidedAlpha float64 `json:"one_sided_alpha"`
}

// Suite is one suite's verdict, its checks and the statistics behind
// them.
type Suite struct {
	Suite string   `json:"suite"`
	Tags  []string `json:"tags"`
	// Verdict is Pass when every check that is not off passed.
	Verdict Verdict `json:"verdict"`
	// Reasons say why it failed, one line per failed check.
	Reasons  []string `json:"reasons"`
	Warnings []string `json:"warnings"`
	Checks   []Check  `json:"checks"`
	Missing  Missing  `json:"missing"`
	// NonInferiority is the score test as decided, after Holm.
	NonInferiority Test `json:"non_inferiority"`
	Group
}

// Tag is the verdict on the suites carrying one tag: it passes only
// when every one of them passed. Its statistics pool their cases.
type Tag struct {
	Tag     string   `json:"tag"`
	Suites  []string `json:"suites"`
	Verdict Verdict  `json:"verdict"`
	Reasons []string `json:"reasons"`
	Group
}

// Overall is the verdict on every suite, with the statistics of all
// cases pooled.
type Overall struct {
	Verdict Verdict `json:"verdict"`
	Group
}

// Check is one check of a suite: a JUnit test case.
type Check struct {
	Name    string  `json:"name"`
	Verdict Verdict `json:"verdict"`
	Message string  `json:"message"`
}

// Missing counts the data that could not be paired: cases one side
// has and the other lacks entirely (with up to MissingListed of their
// ids), and rows of paired cases whose repeat index the other side lacks.
type Missing struct {
	OnBaseline        int      `json:"on_baseline"`
	OnCandidate       int      `json:"on_candidate"`
	OnBaselineCases   []string `json:"on_baseline_cases"`
	OnCandidateCases  []string `json:"on_candidate_cases"`
	UnpairedRows      int      `json:"unpaired_rows"`
	UnpairedBaseline  int      `json:"unpaired_baseline_rows"`
	UnpairedCandidate int      `json:"unpaired_candidate_rows"`
}

// MissingListed is how many missing case ids a Missing lists.
const MissingListed = 10

// Test is a suite's non-inferiority test as decided: its one-sided
// p-value of "worse by the margin or more", the one-sided level Holm gave
// it, its rank in Holm's order (1 = smallest p), and the lower bound of
// the interval at that level. It passes when P < Level, which is when
// LowerBound > -margin.
type Test struct {
	P          NullFloat `json:"p"`
	Level      float64   `json:"level"`
	Rank       int       `json:"holm_rank"`
	LowerBound NullFloat `json:"lower_bound"`
	Pass       bool      `json:"pass"`
}

// Group is the evidence on a group of cases (a suite, a tag, all).
// Every number is over the paired rows: both sides on the same rows.
type Group struct {
	PairedCases  int              `json:"paired_cases"`
	PairedRows   int              `json:"paired_rows"`
	Score        Score            `json:"score"`
	PassRate     Change           `json:"pass_rate"`
	CostPerCase  Change           `json:"cost_per_case_usd"`
	P95LatencyMS Change           `json:"p95_latency_ms"`
	ErrorRate    Change           `json:"error_rate"`
	Power        Power            `json:"power"`
	cmp          stats.Comparison // the comparison the numbers come from
	ops          gateOperations   // the operational tallies
}

// Score is the paired comparison of the mean scores (see Comparison).
type Score struct {
	Baseline    NullFloat `json:"baseline"`
	Candidate   NullFloat `json:"candidate"`
	Diff        NullFloat `json:"diff"`
	CILow       NullFloat `json:"ci_low"`
	CIHigh      NullFloat `json:"ci_high"`
	CILevel     float64   `json:"ci_level"`
	StdErr      NullFloat `json:"std_err"`
	DF          NullFloat `json:"df"`
	P           NullFloat `json:"p"`
	Significant bool      `json:"significant"`
	Method      string    `json:"method"`
	Ratio       NullFloat `json:"ratio"`
	RatioLow    NullFloat `json:"ratio_low"`
	RatioHigh   NullFloat `json:"ratio_high"`
	RatioMethod string    `json:"ratio_method"`
	Correlation NullFloat `json:"correlation"`
}

// Change is one metric on both sides: Delta is candidate - baseline,
// Relative candidate/baseline - 1.
type Change struct {
	Baseline  NullFloat `json:"baseline"`
	Candidate NullFloat `json:"candidate"`
	Delta     NullFloat `json:"delta"`
	Relative  NullFloat `json:"relative"`
}

// Power is what the group's cases can detect: the minimum detectable
// effect at Alpha (two-sided) and Power given the observed standard
// deviation of the per-case differences, and the cases the margin needs.
// With no disagreement at all (SD 0) Basis is "rule of three": MDE is 3/n
// and CasesNeeded 3/margin. Underpowered is set when the group has fewer
// cases than it needs (a suite's warnings say when that leaves its
// verdict unsupported).
type Power struct {
	Alpha        float64   `json:"alpha"`
	Power        float64   `json:"power"`
	SD           NullFloat `json:"sd_diff"`
	MDE          NullFloat `json:"mde"`
	CasesNeeded  int       `json:"cases_needed"`
	Basis        string    `json:"basis"`
	Underpowered bool      `json:"underpowered"`
}

// Power bases.
const (
	PowerBasisVariance    = "observed variance"
	PowerBasisRuleOfThree = "rule of three"
)
