package routing

import (
	"cmp"
	"fmt"
	"github.com/parity-eval/parity/internal/format"
	"math"
	"slices"
	"time"

	"github.com/parity-eval/parity/suites"
)

// Settings are the settings routing rules are chosen with;
// DefaultSettings holds the defaults.
type Settings struct {
	// Tolerance is how far below the best's lower bound a cheaper
	// provider's may be, and the non-inferiority margin of the paired
	// test (default 0.05).
	Tolerance float64
	// MaxFallbacks bounds the fallback chain (default 2).
	MaxFallbacks int
	// Baseline is the provider the team uses today: the held-out proof
	// compares the rules with it. Empty: no such comparison.
	Baseline string
	// SplitShare is the share a split gives the most reliable other
	// provider within the tolerance (default 0.2); 0 proposes no split.
	SplitShare float64
	// Gate, when set, adds a canary of its candidate on the tags where it
	// passed, with CanaryWeight of the traffic (default 0.05).
	Gate         *CanaryGate
	CanaryWeight float64
	// Holdout configures the held-out proof.
	Holdout HoldoutSettings
	// Volumes are the monthly volumes of the cost projections.
	Volumes Volumes
}

// DefaultSettings returns the default settings.
func DefaultSettings() Settings {
	return Settings{Tolerance: 0.05, MaxFallbacks: 2, SplitShare: 0.2, CanaryWeight: 0.05,
		Holdout: DefaultHoldoutSettings(), Volumes: DefaultVolumes()}
}

// Option adjusts the settings Build chooses with.
type Option func(*Settings)

// WithBaseline names the provider the held-out proof compares with.
func WithBaseline(id string) Option { return func(s *Settings) { s.Baseline = id } }

// Build chooses the rules of the evidence among providers
// (all the evidence's providers when nil), with the routing settings as
// given (the config loader applies defaults; negative values count as 0)
// and the defaults of DefaultSettings for the rest.
func Build(ev *Evidence, providers []*suites.Provider, routing suites.Routing, generatedAt time.Time, opts ...Option) *Rules {
	s := DefaultSettings()
	s.Tolerance, s.MaxFallbacks = max(routing.Tolerance, 0), max(routing.MaxFallbacks, 0)
	for _, o := range opts {
		o(&s)
	}
	return New(ev, providers, s, generatedAt)
}

// New chooses a rule for every tag and tier of the evidence among
// providers (all the evidence's providers when nil: a provider not in a
// non-empty list is left out), proves the method on held-out cases and
// projects monthly costs.
func New(ev *Evidence, providers []*suites.Provider, s Settings, generatedAt time.Time) *Rules {
	r := &Rules{
		SchemaVersion: SchemaVersion,
		GeneratedAt:   generatedAt.UTC().Format(time.RFC3339),
		RunID:         ev.RunID(),
		Tolerance:     s.Tolerance,
		MaxFallbacks:  s.MaxFallbacks,
		Confidence:    Confidence,
		Baseline:      s.Baseline,
		Tags:          map[string]TagRule{},
	}
	meta, warn := providerMetas(ev, providers)
	r.Warnings = warn
	views := make([]routeView, 0, len(ev.routes))
	for _, k := range ev.Routes() {
		v, excluded := newRouteView(ev.routes[k], meta, providers)
		views = append(views, v)
		r.Tags[k.String()] = buildTagRule(v, excluded, s)
	}
	r.Providers = providerRefs(r.Tags, meta, s.Baseline)
	r.Holdout = newHoldout(views, r.Tags, s)
	r.Projections = projectCosts(r, views, s.Volumes)
	r.Gate = s.Gate.ref(s.CanaryWeight)
	return r
}

// providerMetas joins the evidence's providers with their configuration,
// keeping only configured ones when providers is not empty. The model is
// the one measured; a config naming another earns a warning, and so does
// a provider the config gives no price (suites.Provider.Unpriced).
func providerMetas(ev *Evidence, providers []*suites.Provider) (map[int]providerMeta, []string) {
	byID := map[string]*suites.Provider{}
	for _, p := range providers {
		byID[p.ID] = p
	}
	meta := map[int]providerMeta{}
	var warn []string
	for i, id := range ev.providers {
		m := providerMeta{id: id, model: ev.models[i], cfg: byID[id]}
		if p := m.cfg; p != nil {
			if m.model == "" {
				m.model = p.Model
			} else if p.Model != m.model {
				warn = append(warn, fmt.Sprintf("%s: the config names model %q but the results were measured with %q; the rules pin %q",
					id, p.Model, m.model, m.model))
			}
			if p.Unpriced {
				m.unpriced = true
				warn = append(warn, unpricedWarning(id))
			}
			if p.Price != (suites.Price{}) {
				m.price, m.listPrice = priceOf(p.Price), p.Price.Input+p.Price.Output
			}
		}
		meta[i] = m
	}
	return meta, warn
}

// newRouteView returns a rule's evidence over all its cases and the
// providers that may serve it, with the reasons the others may not.
func newRouteView(re *routeEvidence, meta map[int]providerMeta, providers []*suites.Provider) (routeView, []Exclusion) {
	v := routeView{route: re, cases: re.sortedCases(re.index), meta: meta}
	var excluded []Exclusion
	for p, rp := range re.byProvider {
		if why := exclusionReason(re, rp, meta[p], len(providers) > 0); why != "" {
			excluded = append(excluded, Exclusion{meta[p].id, why})
			continue
		}
		v.usable = append(v.usable, p)
	}
	slices.Sort(v.usable)
	slices.SortFunc(excluded, func(a, b Exclusion) int { return cmp.Compare(a.Provider, b.Provider) })
	return v, excluded
}

// exclusionReason says why a provider may not serve a rule, "" when it may.
func exclusionReason(re *routeEvidence, rp *routeProvider, m providerMeta, configured bool) string {
	switch {
	case configured && m.cfg == nil:
		return "not in the config"
	case rp.unsupported && len(re.sortedNeeds()) == 0:
		return "refused the tag's requests as unsupported (a capability it lacks)"
	case rp.unsupported:
		return fmt.Sprintf("lacks a capability the tag needs (%s): its rows are unsupported", suites.JoinCapabilities(re.sortedNeeds(), ", "))
	case m.cfg != nil:
		for _, n := range re.sortedNeeds() {
			if !m.cfg.HasCapability(n) {
				return "lacks capability " + string(n) + " (config)"
			}
		}
	}
	return ""
}

// buildTagRule chooses one rule: primary, fallbacks, split and canary.
func buildTagRule(v routeView, excluded []Exclusion, s Settings) TagRule {
	k := v.route.key
	rule := TagRule{Tag: k.Tag, Tier: k.Tier, Needs: v.route.sortedNeeds(), Cases: len(v.cases),
		Fallbacks: []Choice{}, Excluded: excluded}
	cands := v.candidates()
	for _, c := range cands {
		if !c.served() {
			rule.Excluded = append(rule.Excluded, Exclusion{c.provider, fmt.Sprintf("failed every request (%d rows)", c.rows)})
		}
	}
	d := decideRoute(cands, v.paired, s.Tolerance)
	if !d.ok {
		rule.Why = "no provider answered any case with this tag"
		return rule
	}
	if d.paired != nil {
		d.paired.corr = pairedCorrelation(v.route, v.cases, d.primary.idx, d.best.idx, d.paired.n)
	}
	rule.Primary = ptr(d.primary.choice())
	rule.Best = &Best{Provider: d.best.provider, MeanScore: format.RoundTo(d.best.score.mean, 4), ScoreLow: format.RoundTo(d.best.score.low, 4)}
	rule.NonInferiority = d.pairedTest(s.Tolerance)
	for _, f := range chooseFallbacks(usableOnly(cands), d.primary, s.MaxFallbacks) {
		rule.Fallbacks = append(rule.Fallbacks, f.choice())
	}
	rule.Split = proposeSplit(d, s.SplitShare)
	rule.Why, rule.Warnings = ruleWhy(d, s.Tolerance), ruleWarnings(d, s.Tolerance)
	if s.Gate != nil {
		addCanary(&rule, v, cands, s)
	}
	return rule
}

// pairedTest returns the decision's non-inferiority test, nil when the
// primary is the best.
func (d routeDecision) pairedTest(margin float64) *PairedTest {
	if d.paired == nil {
		return nil
	}
	p := d.paired
	t := &PairedTest{Against: d.best.provider, Pairs: p.n, Cases: p.clusters,
		MeanDiff: format.RoundTo(p.mean, 4), StdErr: format.RoundTo(p.stdErr, 4), DiffLow: format.RoundTo(p.low, 4), Margin: margin}
	if !math.IsNaN(p.corr) {
		t.Correlation = ptr(format.RoundTo(p.corr, 4))
	}
	return t
}

// providerRefs describes every provider the rules name, and the baseline.
func providerRefs(tags map[string]TagRule, meta map[int]providerMeta, baseline string) map[string]ProviderRef {
	named := map[string]bool{baseline: baseline != ""}
	for _, r := range tags {
		for _, id := range r.providers() {
			named[id] = true
		}
	}
	refs := map[string]ProviderRef{}
	for _, m := range meta {
		if !named[m.id] {
			continue
		}
		ref := ProviderRef{Model: m.model, Price: m.price}
		if m.cfg != nil {
			ref.BaseURL, ref.APIKeyEnv, ref.Capabilities = m.cfg.BaseURL, m.cfg.APIKeyEnv, m.cfg.Capabilities
		}
		refs[m.id] = ref
	}
	return refs
}

// providers lists every provider the rule routes to: primary, split
// targets, fallbacks.
func (r *TagRule) providers() []string {
	var ids []string
	if r.Primary != nil {
		ids = append(ids, r.Primary.Provider)
	}
	if r.Split != nil {
		for _, t := range r.Split.Targets {
			ids = append(ids, t.Provider)
		}
	}
	for _, f := range r.Fallbacks {
		ids = append(ids, f.Provider)
	}
	return ids
}
