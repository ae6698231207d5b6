package gate

import (
	"github.com/parity-eval/parity/stats"
)

// SchemaVersion is the schema_version of the gate's JSON.
// Version 2 added the inconclusive verdict, the mode, the harm test and
// the checks' bounds.
const SchemaVersion = 2

// Verdict is the outcome of a gate, a suite, a tag or one check, as its
// JSON, text, Markdown and JUnit print it.
type Verdict string

// Verdicts. A suite, a tag and the gate are Pass, Fail or Inconclusive:
// Fail when any check (or suite) in it failed, else Inconclusive when any
// was inconclusive, else Pass. Only a check is ever Off or Skip, and
// those count for nothing.
const (
	// Pass: shown to hold (the score: non-inferiority shown).
	Pass Verdict = "pass"
	// Fail: shown not to hold (the score: harm shown; an operational
	// metric: a rise beyond its threshold shown), or cases missing.
	Fail Verdict = "fail"
	// Inconclusive: neither shown; the evidence is too thin to decide.
	Inconclusive Verdict = "inconclusive"
	// Off: the check is disabled.
	Off Verdict = "off"
	// Skip: the check cannot judge on these rows (latency when one side
	// was answered from the cache), and says why.
	Skip Verdict = "skip"
)

// worse returns the worse of two verdicts of a suite, tag or gate, a
// check's Off and Skip counting as Pass.
func worse(a, b Verdict) Verdict {
	rank := func(v Verdict) int {
		switch v {
		case Fail:
			return 2
		case Inconclusive:
			return 1
		}
		return 0
	}
	if rank(b) > rank(a) {
		return b
	}
	if a == Off || a == Skip {
		return Pass
	}
	return a
}

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
	// Mode is what the gate is for; Blocks says whether, in it, the
	// verdict stops what the gate guards (the exit code follows it).
	Mode   Mode `json:"mode"`
	Blocks bool `json:"blocks"`
	// Verdict is the worst of the suites' verdicts.
	Verdict  Verdict `json:"verdict"`
	Margin   float64 `json:"margin"`
	Alpha    float64 `json:"alpha"`
	Power    float64 `json:"power"`
	MinCases int     `json:"min_cases"`
	// Thresholds are the operational limits; null when off.
	Thresholds Thresholds `json:"thresholds"`
	// Holm describes the multiple-comparison adjustment of the suites'
	// score tests.
	Holm   Holm    `json:"multiple_comparisons"`
	Suites []Suite `json:"suites"`
	Tags   []Tag   `json:"tags"`
	// Sequential is what a sequential gate decided and saved; nil for a
	// fixed-size gate.
	Sequential *SequentialSummary `json:"sequential,omitempty"`
	Overall    Overall            `json:"overall"`
	// Failures say what failed, Undecided what was inconclusive, one line
	// per check.
	Failures  []string `json:"failures"`
	Undecided []string `json:"undecided"`
	Warnings  []string `json:"warnings"`
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
	// Verdict is the worst of its checks' verdicts.
	Verdict Verdict `json:"verdict"`
	// Reasons say why it failed or is inconclusive, one line per such
	// check.
	Reasons  []string `json:"reasons"`
	Warnings []string `json:"warnings"`
	Checks   []Check  `json:"checks"`
	Missing  Missing  `json:"missing"`
	// NonInferiority and Harm are the score tests as decided, after Holm.
	NonInferiority Test     `json:"non_inferiority"`
	Harm           HarmTest `json:"harm"`
	// Sequential is the suite's sequential decision, which decides its
	// score check when the gate was sequential.
	Sequential *SequentialSuite `json:"sequential,omitempty"`
	Group
}

// Tag is the verdict on the suites carrying one tag: the worst of
// theirs. Its statistics pool their cases.
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

// Check is one check of a suite: a JUnit test case. An operational
// check also gives its estimate, the one-sided confidence bounds it was
// judged by, at Level, and its threshold (null where they do not apply).
type Check struct {
	Name      string    `json:"name"`
	Verdict   Verdict   `json:"verdict"`
	Message   string    `json:"message"`
	Estimate  NullFloat `json:"estimate"`
	Lower     NullFloat `json:"lower"`
	Upper     NullFloat `json:"upper"`
	Level     NullFloat `json:"level"`
	Threshold NullFloat `json:"threshold"`
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

// HarmTest is a suite's test of harm as decided: the one-sided p-value
// of "the candidate scores at least as well", the level Holm gave it, its
// rank, and the upper bound of the interval at that level. Harm is shown
// when P < Level, which is when UpperBound < 0.
type HarmTest struct {
	P          NullFloat `json:"p"`
	Level      float64   `json:"level"`
	Rank       int       `json:"holm_rank"`
	UpperBound NullFloat `json:"upper_bound"`
	Shown      bool      `json:"shown"`
}

// Measured counts the rows latency is measured on: successful paired
// rows sent in this run, per side, and those left out because the cache
// answered them.
type Measured struct {
	Baseline        int `json:"baseline_rows"`
	Candidate       int `json:"candidate_rows"`
	CachedBaseline  int `json:"baseline_cached"`
	CachedCandidate int `json:"candidate_cached"`
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
	P95Measured  Measured         `json:"p95_measured"`
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

// Power is what the group's cases can decide, planned for the whole
// gate: Noncentrality is the c = margin·sqrt(n)/sd at which Holm over the
// gate's suites shows every suite of a candidate as good as its baseline
// non-inferior with probability Power (stats.HolmNoncentrality). MDE is
// the smallest margin these cases show at that power, c·sd/sqrt(n), and
// CasesNeeded the cases the margin needs, c²·sd²/margin², sd being the
// observed standard deviation of the per-case differences. With no
// disagreement at all (SD 0) Basis is "rule of three": MDE is 3/n and
// CasesNeeded 3/margin. Underpowered is set when the group has fewer cases
// than it needs.
type Power struct {
	Alpha         float64   `json:"alpha"`
	Power         float64   `json:"power"`
	Noncentrality float64   `json:"noncentrality"`
	SD            NullFloat `json:"sd_diff"`
	MDE           NullFloat `json:"mde"`
	CasesNeeded   int       `json:"cases_needed"`
	Basis         string    `json:"basis"`
	Underpowered  bool      `json:"underpowered"`
}

// Power bases.
const (
	PowerBasisVariance    = "observed variance"
	PowerBasisRuleOfThree = "rule of three"
)
