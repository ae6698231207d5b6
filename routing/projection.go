package routing

import (
	"maps"
	"slices"

	"github.com/parity-eval/parity/internal/format"
	"github.com/parity-eval/parity/suites"
)

// projectionBasis says how Projections are computed; rules.yaml and the
// report print it.
const projectionBasis = "mean cost per request as measured (tokens, and images at their price per image), traffic spread like the run's cases"

// Volumes are the monthly volumes costs are projected at; DefaultVolumes
// holds the defaults.
type Volumes struct {
	// Requests per month, and tokens (input + output) per month.
	Requests []int64
	Tokens   []int64
}

// DefaultVolumes returns 5M, 50M, 500M and 5B requests and tokens a month.
func DefaultVolumes() Volumes {
	v := []int64{5e6, 5e7, 5e8, 5e9}
	return Volumes{Requests: v, Tokens: slices.Clone(v)}
}

// Projections are monthly costs at set volumes, for the rule set and for
// each provider alone, from what a request of each rule cost in the run:
//
//	cost of a request on rule r = what the provider's successful requests on r were charged, on average
//
// which is their tokens at the configured price, plus the price of each
// image on a rule that generates images (an image model's requests cost
// their price per image, not nothing). When the rows carry no cost, it is
// estimated from the mean tokens of the successful requests:
//
//	input tokens × input price + output tokens × output price (+ price per image on an image rule)
//
// Traffic is assumed to spread over the rules like the run's cases (Mix);
// a provider alone is priced on the share of that traffic it can serve
// (Coverage), the rules on their targets' weights. A volume of tokens is
// priced as the requests that carry that many tokens, image requests
// included.
type Projections struct {
	Basis string `yaml:"basis" json:"basis"`
	// Mix is each rule's share of the requests.
	Mix       map[string]float64 `yaml:"mix" json:"mix"`
	Rules     Projection         `yaml:"rules" json:"rules"`
	Providers []Projection       `yaml:"providers" json:"providers"`
}

// Projection is the monthly cost of the rules, or of one provider.
type Projection struct {
	Provider string `yaml:"provider,omitempty" json:"provider,omitempty"`
	// Coverage is the share of the traffic served; Missing the rules not.
	Coverage float64  `yaml:"coverage" json:"coverage"`
	Missing  []string `yaml:"missing,omitempty" json:"missing,omitempty"`
	// CostPerRequestUSD and TokensPerRequest are over the served traffic.
	CostPerRequestUSD float64      `yaml:"cost_per_request_usd" json:"cost_per_request_usd"`
	TokensPerRequest  float64      `yaml:"tokens_per_request" json:"tokens_per_request"`
	ByRequests        []VolumeCost `yaml:"by_requests" json:"by_requests"`
	ByTokens          []VolumeCost `yaml:"by_tokens" json:"by_tokens"`
}

// VolumeCost is the monthly cost at one volume.
type VolumeCost struct {
	PerMonth int64   `yaml:"per_month" json:"per_month"`
	USD      float64 `yaml:"usd" json:"usd"`
}

// unitCost is the cost and tokens of one request.
type unitCost struct {
	cost, tokens float64
}

// projectCosts computes the projections of the rules; nil without cases.
func projectCosts(r *Rules, views []routeView, vol Volumes) *Projections {
	mix := trafficMix(views)
	if len(mix) == 0 {
		return nil
	}
	units := map[string]map[string]unitCost{}
	var ids []string
	for _, v := range views {
		units[v.route.key.String()] = routeUnits(v)
		for id := range units[v.route.key.String()] {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	p := &Projections{Basis: projectionBasis, Mix: roundMap(mix)}
	p.Rules = newProjection("", mix, vol, func(route string) (unitCost, bool) { return ruleUnit(r.Tags[route], units[route]) })
	for _, id := range slices.Compact(ids) {
		p.Providers = append(p.Providers, newProjection(id, mix, vol, func(route string) (unitCost, bool) {
			u, ok := units[route][id]
			return u, ok
		}))
	}
	return p
}

// trafficMix is each rule's share of the run's cases.
func trafficMix(views []routeView) map[string]float64 {
	total := 0
	for _, v := range views {
		total += len(v.cases)
	}
	mix := map[string]float64{}
	for _, v := range views {
		if total > 0 && len(v.cases) > 0 {
			mix[v.route.key.String()] = float64(len(v.cases)) / float64(total)
		}
	}
	return mix
}

// routeUnits is the cost of a request on a rule for each provider that
// served it (see routeCandidate.costPerRequest).
func routeUnits(v routeView) map[string]unitCost {
	out := map[string]unitCost{}
	images := v.route.needs[suites.CapImages]
	for _, c := range usableOnly(v.candidates()) {
		out[c.provider] = unitCost{tokens: c.inTokens + c.outTokens, cost: c.costPerRequest(images)}
	}
	return out
}

// ruleUnit is the cost of a request on a rule: its split's weighted mean,
// or its primary's.
func ruleUnit(rule TagRule, units map[string]unitCost) (unitCost, bool) {
	if rule.Primary == nil {
		return unitCost{}, false
	}
	if rule.Split == nil {
		u, ok := units[rule.Primary.Provider]
		return u, ok
	}
	var sum unitCost
	for _, t := range rule.Split.Targets {
		u, ok := units[t.Provider]
		if !ok {
			return unitCost{}, false
		}
		sum.cost += t.Weight * u.cost
		sum.tokens += t.Weight * u.tokens
	}
	return sum, true
}

// newProjection prices the traffic of mix with unit, over the rules unit
// can serve.
func newProjection(id string, mix map[string]float64, vol Volumes, unit func(route string) (unitCost, bool)) Projection {
	p := Projection{Provider: id, ByRequests: []VolumeCost{}, ByTokens: []VolumeCost{}}
	var per unitCost
	for _, route := range slices.Sorted(maps.Keys(mix)) {
		u, ok := unit(route)
		if !ok {
			p.Missing = append(p.Missing, route)
			continue
		}
		p.Coverage += mix[route]
		per.cost += mix[route] * u.cost
		per.tokens += mix[route] * u.tokens
	}
	if p.Coverage == 0 {
		return p
	}
	per.cost, per.tokens = per.cost/p.Coverage, per.tokens/p.Coverage
	p.Coverage, p.CostPerRequestUSD, p.TokensPerRequest = format.RoundTo(p.Coverage, 4), format.RoundSig(per.cost, 4), format.RoundTo(per.tokens, 1)
	for _, n := range vol.Requests {
		p.ByRequests = append(p.ByRequests, VolumeCost{n, format.RoundTo(float64(n)*per.cost, 2)})
	}
	for _, n := range vol.Tokens {
		if per.tokens > 0 {
			p.ByTokens = append(p.ByTokens, VolumeCost{n, format.RoundTo(float64(n)/per.tokens*per.cost, 2)})
		}
	}
	return p
}

// roundMap rounds a map's values to four decimals.
func roundMap(m map[string]float64) map[string]float64 {
	out := make(map[string]float64, len(m))
	for k, v := range m {
		out[k] = format.RoundTo(v, 4)
	}
	return out
}
