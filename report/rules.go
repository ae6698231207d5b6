package report

import (
	"time"

	"github.com/parity-eval/parity/suites"
)

// RulesSchemaVersion is the version of rules.yaml's layout.
const RulesSchemaVersion = 1

// Rules are the suggested routing rules of a run: per tag, a primary
// provider and a fallback chain, each with the evidence it was chosen on.
type Rules struct {
	SchemaVersion int `yaml:"schema_version"`
	// GeneratedAt is when the rules were written, RFC 3339 in UTC.
	GeneratedAt string `yaml:"generated_at"`
	RunID       string `yaml:"run_id"`
	// Tolerance and MaxFallbacks are the routing settings used.
	Tolerance    float64 `yaml:"tolerance"`
	MaxFallbacks int     `yaml:"max_fallbacks"`
	// Tags maps each tag to its rule; YAML and templates list them sorted.
	Tags map[string]TagRule `yaml:"tags"`
}

// TagRule is the routing rule of one tag.
type TagRule struct {
	// Primary is the cheapest provider whose mean score is within the
	// tolerance of the best; nil when no provider answered.
	Primary *Choice `yaml:"primary,omitempty"`
	// Fallbacks are tried in order when the primary fails: by mean score,
	// ending on the most reliable provider.
	Fallbacks []Choice `yaml:"fallbacks"`
	// Best is the provider with the best mean score.
	Best *Best `yaml:"best,omitempty"`
	// Why explains the choice of the primary in one line.
	Why string `yaml:"why"`
	// Warnings say when the evidence is thin.
	Warnings []string `yaml:"warnings,omitempty"`
}

// Choice is a provider in a rule with the evidence it was chosen on.
type Choice struct {
	Provider string `yaml:"provider"`
	// Model is the provider's model exactly as configured.
	Model          string  `yaml:"model"`
	MeanScore      float64 `yaml:"mean_score"`
	StdErr         float64 `yaml:"std_err"`
	CostPerCaseUSD float64 `yaml:"cost_per_case_usd"`
	ErrorRate      float64 `yaml:"error_rate"`
	N              int64   `yaml:"n"`
	// Price is the provider's configured price, when it has one.
	Price *Price `yaml:"price_usd_per_mtok,omitempty"`
}

// Price is a provider's configured price in USD per million tokens.
type Price struct {
	Input   float64 `yaml:"input"`
	Output  float64 `yaml:"output"`
	Source  string  `yaml:"source,omitempty"`
	Checked string  `yaml:"checked,omitempty"`
}

// Best names the provider with the best mean score on a tag.
type Best struct {
	Provider  string  `yaml:"provider"`
	MeanScore float64 `yaml:"mean_score"`
}

// BuildRules chooses, for every tag in the summary, a primary provider and
// its fallbacks among providers (all the summary's providers when nil),
// with the routing settings as given (the config loader applies defaults;
// a negative tolerance counts as 0).
func BuildRules(sum *Summary, providers []*suites.Provider, routing suites.Routing, generatedAt time.Time) *Rules {
	tol := max(routing.Tolerance, 0)
	r := &Rules{
		SchemaVersion: RulesSchemaVersion,
		GeneratedAt:   generatedAt.UTC().Format(time.RFC3339),
		RunID:         sum.RunID(),
		Tolerance:     tol,
		MaxFallbacks:  max(routing.MaxFallbacks, 0),
		Tags:          map[string]TagRule{},
	}
	for tag, cands := range candidatesByTag(sum, providers) {
		r.Tags[tag] = chooseRule(cands, tol, r.MaxFallbacks)
	}
	return r
}

// candidatesByTag groups the summary's tag statistics by tag, keeping the
// providers of the list (all when it is empty).
func candidatesByTag(sum *Summary, providers []*suites.Provider) map[string][]candidate {
	byID := map[string]*suites.Provider{}
	for _, p := range providers {
		byID[p.ID] = p
	}
	out := map[string][]candidate{}
	for _, ts := range sum.Tags() {
		p, ok := byID[ts.Provider]
		if len(providers) > 0 && !ok {
			continue
		}
		out[ts.Tag] = append(out[ts.Tag], newCandidate(ts, p))
	}
	return out
}
