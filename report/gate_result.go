package report

// GateSchemaVersion is the schema_version of the gate's JSON.
const GateSchemaVersion = 1

// Verdicts of a gate, a suite, a tag or one check.
const (
	GatePass = "pass"
	GateFail = "fail"
	// GateOff: the check is disabled.
	GateOff = "off"
)

// Names of the checks every suite gets (GateCheck.Name), in the order
// they are reported.
const (
	// GateCheckCoverage: enough paired cases, and none missing on either side.
	GateCheckCoverage = "coverage"
	// GateCheckScore: the non-inferiority test on the mean score.
	GateCheckScore = "score"
	// GateCheckCost: the rise in cost per case.
	GateCheckCost = "cost"
	// GateCheckP95: the rise in p95 latency.
	GateCheckP95 = "p95_latency"
	// GateCheckErrors: the rise in error rate.
	GateCheckErrors = "error_rate"
)

// GateResult is a gate's verdict and its evidence. It encodes as the JSON
// that `parity rules --gate` reads (schema_version 1).
type GateResult struct {
	SchemaVersion int    `json:"schema_version"`
	Baseline      string `json:"baseline"`
	Candidate     string `json:"candidate"`
	// Verdict is GatePass when every suite passed.
	Verdict  string  `json:"verdict"`
	Margin   float64 `json:"margin"`
	Alpha    float64 `json:"alpha"`
	Power    float64 `json:"power"`
	MinCases int     `json:"min_cases"`
	// Thresholds are the operational limits; null when off.
	Thresholds GateThresholds `json:"thresholds"`
	// Holm describes the multiple-comparison adjustment of the suites'
	// score tests.
	Holm     GateHolm    `json:"multiple_comparisons"`
	Suites   []GateSuite `json:"suites"`
	Tags     []GateTag   `json:"tags"`
	Overall  GateOverall `json:"overall"`
	Failures []string    `json:"failures"`
	Warnings []string    `json:"warnings"`
}

// GateThresholds are the operational limits in force; null when off.
type GateThresholds struct {
	MaxCostIncrease  NullFloat `json:"max_cost_increase"`
	MaxP95Increase   NullFloat `json:"max_p95_increase"`
	MaxErrorIncrease NullFloat `json:"max_error_increase"`
}

// GateHolm says how the suites' score tests were adjusted: Holm's
// step-down over Family tests, at family-wise one-sided level
// OneSidedAlpha (alpha/2: the level of "the lower bound of the two-sided
// 1-alpha interval").
type GateHolm struct {
	Method        string  `json:"method"`
	Family        int     `json:"family"`
	OneSidedAlpha float64 `json:"one_sided_alpha"`
}

// GateSuite is one suite's verdict, its checks and the statistics behind
// them.
type GateSuite struct {
	Suite string   `json:"suite"`
	Tags  []string `json:"tags"`
	// Verdict is GatePass when every check that is not off passed.
	Verdict string `json:"verdict"`
	// Reasons say why it failed, one line per failed check.
	Reasons  []string    `json:"reasons"`
	Warnings []string    `json:"warnings"`
	Checks   []GateCheck `json:"checks"`
	Missing  GateMissing `json:"missing"`
	// NonInferiority is the score test as decided, after Holm.
	NonInferiority GateTest `json:"non_inferiority"`
	GateGroup
}

// GateTag is the verdict on the suites carrying one tag: it passes only
// when every one of them passed. Its statistics pool their cases.
type GateTag struct {
	Tag     string   `json:"tag"`
	Suites  []string `json:"suites"`
	Verdict string   `json:"verdict"`
	Reasons []string `json:"reasons"`
	GateGroup
}

// GateOverall is the verdict on every suite, with the statistics of all
// cases pooled.
type GateOverall struct {
	Verdict string `json:"verdict"`
	GateGroup
}

// GateCheck is one check of a suite: a JUnit test case.
type GateCheck struct {
	Name    string `json:"name"`
	Verdict string `json:"verdict"`
	Message string `json:"message"`
}

// GateMissing counts the data that could not be paired: cases one side
// has and the other lacks entirely (with up to MissingListed of their
// ids), and rows of paired cases whose repeat index the other side lacks.
type GateMissing struct {
	OnBaseline        int      `json:"on_baseline"`
	OnCandidate       int      `json:"on_candidate"`
	OnBaselineCases   []string `json:"on_baseline_cases"`
	OnCandidateCases  []string `json:"on_candidate_cases"`
	UnpairedRows      int      `json:"unpaired_rows"`
	UnpairedBaseline  int      `json:"unpaired_baseline_rows"`
	UnpairedCandidate int      `json:"unpaired_candidate_rows"`
}

// MissingListed is how many missing case ids a GateMissing lists.
const MissingListed = 10

// GateTest is a suite's non-inferiority test as decided: its one-sided
// p-value of "worse by the margin or more", the one-sided level Holm gave
// it, its rank in Holm's order (1 = smallest p), and the lower bound of
// the interval at that level. It passes when P < Level, which is when
// LowerBound > -margin.
type GateTest struct {
	P          NullFloat `json:"p"`
	Level      float64   `json:"level"`
	Rank       int       `json:"holm_rank"`
	LowerBound NullFloat `json:"lower_bound"`
	Pass       bool      `json:"pass"`
}

// GateGroup is the evidence on a group of cases (a suite, a tag, all).
// Every number is over the paired rows: both sides on the same rows.
type GateGroup struct {
	PairedCases  int            `json:"paired_cases"`
	PairedRows   int            `json:"paired_rows"`
	Score        GateScore      `json:"score"`
	PassRate     GateChange     `json:"pass_rate"`
	CostPerCase  GateChange     `json:"cost_per_case_usd"`
	P95LatencyMS GateChange     `json:"p95_latency_ms"`
	ErrorRate    GateChange     `json:"error_rate"`
	Power        GatePower      `json:"power"`
	cmp          Comparison     // the comparison the numbers come from
	ops          gateOperations // the operational tallies
}

// GateScore is the paired comparison of the mean scores (see Comparison).
type GateScore struct {
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

// GateChange is one metric on both sides: Delta is candidate - baseline,
// Relative candidate/baseline - 1.
type GateChange struct {
	Baseline  NullFloat `json:"baseline"`
	Candidate NullFloat `json:"candidate"`
	Delta     NullFloat `json:"delta"`
	Relative  NullFloat `json:"relative"`
}

// GatePower is what the group's cases can detect: the minimum detectable
// effect at Alpha (two-sided) and Power given the observed standard
// deviation of the per-case differences, and the cases the margin needs.
// With no disagreement at all (SD 0) Basis is "rule of three": MDE is 3/n
// and CasesNeeded 3/margin. Underpowered is set when the group has fewer
// cases than it needs (a suite's warnings say when that leaves its
// verdict unsupported).
type GatePower struct {
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
