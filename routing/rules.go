package routing

import "github.com/parity-eval/parity/suites"

// SchemaVersion is the version of rules.yaml's layout. Version 2
// keys rules by tag and tier, ranks by the lower bound of the score's
// interval, and adds the providers' endpoints, splits, canaries, the
// held-out proof and cost projections.
const SchemaVersion = 2

// Rules are the suggested routing rules of a run: per tag and tier, a
// primary provider and a fallback chain, each with the evidence it was
// chosen on; how they fare on cases they were not chosen on; and what they
// would cost a month. rules.yaml is Rules as YAML (see the package doc for
// the schema).
type Rules struct {
	SchemaVersion int `yaml:"schema_version" json:"schema_version"`
	// GeneratedAt is when the rules were written, RFC 3339 in UTC.
	GeneratedAt string `yaml:"generated_at" json:"generated_at"`
	RunID       string `yaml:"run_id" json:"run_id"`
	// Tolerance and MaxFallbacks are the routing settings used; Confidence
	// the level of every interval.
	Tolerance    float64 `yaml:"tolerance" json:"tolerance"`
	MaxFallbacks int     `yaml:"max_fallbacks" json:"max_fallbacks"`
	Confidence   float64 `yaml:"confidence" json:"confidence"`
	// Baseline is the provider the team uses today, when known.
	Baseline string `yaml:"baseline,omitempty" json:"baseline,omitempty"`
	// Providers describe every provider a rule names: the exact model the
	// evidence was measured with, and where to reach it.
	Providers map[string]ProviderRef `yaml:"providers" json:"providers"`
	// Tags maps each rule's name (the tag for the default tier, tag@tier
	// for another) to the rule; YAML lists them sorted.
	Tags map[string]TagRule `yaml:"tags" json:"tags"`
	// Holdout measures the rule-choosing method on cases it did not see.
	Holdout *Holdout `yaml:"holdout,omitempty" json:"holdout,omitempty"`
	// Projections are monthly costs at set volumes.
	Projections *Projections `yaml:"projections,omitempty" json:"projections,omitempty"`
	// Gate summarises the gate result canaries were added from.
	Gate *GateRef `yaml:"gate,omitempty" json:"gate,omitempty"`
	// Warnings concern the rule set as a whole.
	Warnings []string `yaml:"warnings,omitempty" json:"warnings,omitempty"`
}

// ProviderRef is how a router reaches a provider. It never holds a key:
// only the name of the environment variable that does.
type ProviderRef struct {
	// Model is the model string the results were measured with: pin it.
	Model        string              `yaml:"model" json:"model"`
	BaseURL      string              `yaml:"base_url,omitempty" json:"base_url,omitempty"`
	APIKeyEnv    string              `yaml:"api_key_env,omitempty" json:"api_key_env,omitempty"`
	Capabilities []suites.Capability `yaml:"capabilities,omitempty" json:"capabilities,omitempty"`
	Price        *Price              `yaml:"price_usd_per_mtok,omitempty" json:"price_usd_per_mtok,omitempty"`
}

// TagRule is the routing rule of one tag in one tier.
type TagRule struct {
	Tag  string `yaml:"tag" json:"tag"`
	Tier string `yaml:"tier" json:"tier"`
	// Needs are the capabilities the tag's suites need; no provider
	// lacking one appears in the rule.
	Needs []suites.Capability `yaml:"needs,omitempty" json:"needs,omitempty"`
	// Cases counts the distinct cases (suite, case id) of the rule.
	Cases int `yaml:"cases" json:"cases"`
	// Primary is the cheapest provider within the tolerance of the best
	// and non-inferior to it on paired cases; nil when none answered.
	Primary *Choice `yaml:"primary,omitempty" json:"primary,omitempty"`
	// Fallbacks are tried in order when the primary fails: by quality then
	// reliability, ending on the most reliable provider.
	Fallbacks []Choice `yaml:"fallbacks" json:"fallbacks"`
	// Split, when set, spreads the primary's traffic over weighted
	// targets (a second provider within the tolerance, a canary).
	Split *Split `yaml:"split,omitempty" json:"split,omitempty"`
	// Canary says whether the gated candidate gets a share, and why.
	Canary *Canary `yaml:"canary,omitempty" json:"canary,omitempty"`
	// Best is the provider with the highest lower bound.
	Best *Best `yaml:"best,omitempty" json:"best,omitempty"`
	// NonInferiority compares the primary with the best on paired cases
	// when they differ.
	NonInferiority *PairedTest `yaml:"non_inferiority,omitempty" json:"non_inferiority,omitempty"`
	// Excluded are the providers left out of the rule, with the reason.
	Excluded []Exclusion `yaml:"excluded,omitempty" json:"excluded,omitempty"`
	// Why explains the choice of the primary in one line.
	Why string `yaml:"why" json:"why"`
	// Warnings say when the evidence is thin.
	Warnings []string `yaml:"warnings,omitempty" json:"warnings,omitempty"`
}

// Key returns the rule's name: the tag, or tag@tier outside the default
// tier.
func (r *TagRule) Key() string { return Key{r.Tag, r.Tier}.String() }

// Choice is a provider in a rule with the evidence it was chosen on.
type Choice struct {
	Provider string `yaml:"provider" json:"provider"`
	// Model is the provider's model exactly as measured.
	Model string `yaml:"model" json:"model"`
	// MeanScore is the mean row score (failed requests score 0), StdErr
	// its standard error clustered by case, ScoreLow the lower bound of its
	// 95% interval (Student's t, cases - 1 degrees of freedom).
	MeanScore float64 `yaml:"mean_score" json:"mean_score"`
	StdErr    float64 `yaml:"std_err" json:"std_err"`
	ScoreLow  float64 `yaml:"score_low" json:"score_low"`
	// CostPerCaseUSD is the mean provider cost of a row.
	CostPerCaseUSD float64 `yaml:"cost_per_case_usd" json:"cost_per_case_usd"`
	// P95LatencyMS is over the provider's successful requests.
	P95LatencyMS float64 `yaml:"p95_latency_ms" json:"p95_latency_ms"`
	ErrorRate    float64 `yaml:"error_rate" json:"error_rate"`
	// N counts rows (cases × repeats), Cases distinct cases.
	N     int64 `yaml:"n" json:"n"`
	Cases int   `yaml:"cases" json:"cases"`
	// InputTokens and OutputTokens are the mean tokens of a successful
	// request: what the cost projections use.
	InputTokens  float64 `yaml:"input_tokens_per_case" json:"input_tokens_per_case"`
	OutputTokens float64 `yaml:"output_tokens_per_case" json:"output_tokens_per_case"`
	// Price is the provider's configured price, when it has one.
	Price *Price `yaml:"price_usd_per_mtok,omitempty" json:"price_usd_per_mtok,omitempty"`
}

// Price is a provider's configured price: USD per million input and
// output tokens, and USD per generated image for an image model (its
// requests cost Image each plus their tokens).
type Price struct {
	Input   float64 `yaml:"input" json:"input"`
	Output  float64 `yaml:"output" json:"output"`
	Image   float64 `yaml:"image,omitempty" json:"image,omitempty"`
	Source  string  `yaml:"source,omitempty" json:"source,omitempty"`
	Checked string  `yaml:"checked,omitempty" json:"checked,omitempty"`
}

// Best names the provider with the highest lower bound on a rule.
type Best struct {
	Provider  string  `yaml:"provider" json:"provider"`
	MeanScore float64 `yaml:"mean_score" json:"mean_score"`
	ScoreLow  float64 `yaml:"score_low" json:"score_low"`
}

// PairedTest is the non-inferiority test of the primary against the best:
// the mean and interval of (primary - best) over the rows both answered,
// paired by suite, case and repeat, clustered by case.
type PairedTest struct {
	Against  string  `yaml:"against" json:"against"`
	Pairs    int     `yaml:"pairs" json:"pairs"`
	Cases    int     `yaml:"cases" json:"cases"`
	MeanDiff float64 `yaml:"mean_diff" json:"mean_diff"`
	StdErr   float64 `yaml:"std_err" json:"std_err"`
	// DiffLow is the lower bound of the 95% interval; the primary is
	// non-inferior when it is at least -Margin.
	DiffLow float64 `yaml:"diff_low" json:"diff_low"`
	Margin  float64 `yaml:"margin" json:"margin"`
	// Correlation of the paired scores; omitted when either is constant.
	Correlation *float64 `yaml:"correlation,omitempty" json:"correlation,omitempty"`
}

// Exclusion is a provider left out of a rule.
type Exclusion struct {
	Provider string `yaml:"provider" json:"provider"`
	Reason   string `yaml:"reason" json:"reason"`
}

// Split is a weighted spread of a rule's primary traffic.
type Split struct {
	// Targets' weights sum to 1; the first is the primary.
	Targets []SplitTarget `yaml:"targets" json:"targets"`
	// Expected is the mix's quality, cost and error rate, the weighted
	// means of its targets' measured ones.
	Expected Mix `yaml:"expected" json:"expected"`
}

// SplitTarget is one provider of a split.
type SplitTarget struct {
	Provider string  `yaml:"provider" json:"provider"`
	Model    string  `yaml:"model" json:"model"`
	Weight   float64 `yaml:"weight" json:"weight"`
	// Role is "primary", "reliable" (the most reliable other provider
	// within the tolerance) or "canary".
	Role string `yaml:"role" json:"role"`
}

// Mix is the expected outcome of a weighted split.
type Mix struct {
	Outcome   `yaml:",inline"`
	ErrorRate float64 `yaml:"error_rate" json:"error_rate"`
}

// Canary is what a gate result proposes for one rule.
type Canary struct {
	Candidate string `yaml:"candidate" json:"candidate"`
	// Verdict is the gate's on this tag: pass, fail or absent.
	Verdict string `yaml:"verdict" json:"verdict"`
	// Weight is the candidate's share of the rule's traffic; 0 when none.
	Weight  float64  `yaml:"weight" json:"weight"`
	Why     string   `yaml:"why" json:"why"`
	Reasons []string `yaml:"reasons,omitempty" json:"reasons,omitempty"`
}

// GateRef summarises the gate result the canaries come from.
type GateRef struct {
	Candidate string  `yaml:"candidate" json:"candidate"`
	Baseline  string  `yaml:"baseline" json:"baseline"`
	Verdict   string  `yaml:"verdict" json:"verdict"`
	Margin    float64 `yaml:"margin" json:"margin"`
	Weight    float64 `yaml:"canary_weight" json:"canary_weight"`
}
