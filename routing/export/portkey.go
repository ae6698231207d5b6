package export

import (
	"cmp"
	"encoding/json"
	"fmt"
	"github.com/parity-eval/parity/routing"
	"io"
	"slices"
)

// PortkeyConfig is a Portkey gateway config as its docs describe it
// (ai-gateway/conditional-routing, fallbacks, load-balancing): a
// conditional strategy over request metadata whose targets are named
// fallback chains.
type PortkeyConfig struct {
	Strategy PortkeyStrategy `json:"strategy"`
	// Retry applies to every target.
	Retry   *PortkeyRetry   `json:"retry,omitempty"`
	Targets []PortkeyTarget `json:"targets"`
}

// PortkeyStrategy is a target's strategy: conditional, fallback or
// loadbalance.
type PortkeyStrategy struct {
	Mode          string             `json:"mode"`
	Conditions    []PortkeyCondition `json:"conditions,omitempty"`
	Default       string             `json:"default,omitempty"`
	OnStatusCodes []int              `json:"on_status_codes,omitempty"`
}

// PortkeyCondition routes requests whose metadata match Query to the
// target named Then; conditions are checked in order.
type PortkeyCondition struct {
	Query map[string]any `json:"query"`
	Then  string         `json:"then"`
}

// PortkeyTarget is a provider (a Model Catalog slug, "@id", with the
// model to send) or a nested strategy over targets.
type PortkeyTarget struct {
	Name           string            `json:"name,omitempty"`
	Strategy       *PortkeyStrategy  `json:"strategy,omitempty"`
	Targets        []PortkeyTarget   `json:"targets,omitempty"`
	Provider       string            `json:"provider,omitempty"`
	OverrideParams map[string]string `json:"override_params,omitempty"`
	Weight         *float64          `json:"weight,omitempty"`
}

// PortkeyRetry retries a request on the status codes.
type PortkeyRetry struct {
	Attempts      int   `json:"attempts"`
	OnStatusCodes []int `json:"on_status_codes"`
}

// portkeyRetryable are the statuses worth a retry or a fallback.
var portkeyRetryable = []int{429, 500, 502, 503, 504}

// portkeyDefault names the target requests without a matching tag go to.
const portkeyDefault = "default"

// WritePortkey writes the rules as a Portkey gateway config.
func WritePortkey(w io.Writer, r *routing.Rules, o Options) error {
	cfg, err := Portkey(r, o)
	if err != nil {
		return fmt.Errorf("portkey: %w", err)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(cfg)
}

// Portkey builds the gateway config: a condition per rule on the request's
// metadata (tag, and tier outside the default tier; other tiers first),
// each leading to a fallback chain whose first target is the primary (or
// a loadbalance over the split), and a default target.
func Portkey(r *routing.Rules, o Options) (*PortkeyConfig, error) {
	if err := checkNames(r); err != nil {
		return nil, err
	}
	keys := routed(r)
	slices.SortStableFunc(keys, func(a, b string) int {
		return cmp.Compare(defaultTierLast(r.Tags[a].Tier), defaultTierLast(r.Tags[b].Tier))
	})
	cfg := &PortkeyConfig{Strategy: PortkeyStrategy{Mode: "conditional", Conditions: []PortkeyCondition{}}}
	if o.NumRetries > 0 {
		cfg.Retry = &PortkeyRetry{Attempts: o.NumRetries, OnStatusCodes: portkeyRetryable}
	}
	for _, k := range keys {
		rule := r.Tags[k]
		t, err := portkeyRoute(r, k, &rule)
		if err != nil {
			return nil, err
		}
		cfg.Strategy.Conditions = append(cfg.Strategy.Conditions, PortkeyCondition{portkeyQuery(&rule, o), k})
		cfg.Targets = append(cfg.Targets, t)
	}
	def, err := defaultTarget(r)
	if err != nil {
		return nil, err
	}
	cfg.Strategy.Default = def.Name
	if _, ok := r.Tags[portkeyDefault]; !ok && def.Name != "" {
		cfg.Targets = append(cfg.Targets, def)
	}
	return cfg, nil
}

// defaultTierLast ranks the default tier after the others, whose
// conditions are more specific.
func defaultTierLast(tier string) int {
	if routing.TierRank(tier) == "" {
		return 1
	}
	return 0
}

// portkeyQuery matches a rule's requests: its tag, and its tier outside
// the default tier.
func portkeyQuery(rule *routing.TagRule, o Options) map[string]any {
	tag := map[string]any{"metadata." + o.MetadataKey: map[string]string{"$eq": rule.Tag}}
	if routing.TierRank(rule.Tier) == "" {
		return tag
	}
	tier := map[string]any{"metadata." + o.TierKey: map[string]string{"$eq": rule.Tier}}
	return map[string]any{"$and": []map[string]any{tag, tier}}
}

// portkeyRoute is a rule's target: a fallback chain over the primary (or
// its split) and the fallbacks.
func portkeyRoute(r *routing.Rules, name string, rule *routing.TagRule) (PortkeyTarget, error) {
	t := PortkeyTarget{Name: name, Strategy: &PortkeyStrategy{Mode: "fallback", OnStatusCodes: portkeyRetryable}}
	first, err := portkeyTraffic(r, trafficTargets(rule))
	if err != nil {
		return t, err
	}
	t.Targets = append(t.Targets, first)
	for _, f := range rule.Fallbacks {
		leaf, err := portkeyLeaf(r, f.Provider)
		if err != nil {
			return t, err
		}
		t.Targets = append(t.Targets, leaf)
	}
	return t, nil
}

// portkeyTraffic is the primary's leaf, or a loadbalance over a split.
func portkeyTraffic(r *routing.Rules, targets []routing.SplitTarget) (PortkeyTarget, error) {
	if len(targets) == 1 {
		return portkeyLeaf(r, targets[0].Provider)
	}
	lb := PortkeyTarget{Strategy: &PortkeyStrategy{Mode: "loadbalance"}}
	for _, st := range targets {
		leaf, err := portkeyLeaf(r, st.Provider)
		if err != nil {
			return lb, err
		}
		w := st.Weight
		leaf.Weight = &w
		lb.Targets = append(lb.Targets, leaf)
	}
	return lb, nil
}

// portkeyLeaf is one provider: its Model Catalog slug and pinned model.
func portkeyLeaf(r *routing.Rules, id string) (PortkeyTarget, error) {
	ref, ok := r.Providers[id]
	if !ok {
		return PortkeyTarget{}, fmt.Errorf("provider %s is not described in the rules", id)
	}
	return PortkeyTarget{Provider: "@" + id, OverrideParams: map[string]string{"model": ref.Model}}, nil
}

// defaultTarget is where requests without a matching rule go: a rule
// named "default" when there is one, else the baseline, else the primary
// of the rule with the most cases.
func defaultTarget(r *routing.Rules) (PortkeyTarget, error) {
	if _, ok := r.Tags[portkeyDefault]; ok {
		return PortkeyTarget{Name: portkeyDefault}, nil
	}
	id := r.Baseline
	if _, ok := r.Providers[id]; !ok {
		id = busiestPrimary(r)
	}
	if id == "" {
		return PortkeyTarget{}, fmt.Errorf("no rule has a primary: nothing to route to")
	}
	leaf, err := portkeyLeaf(r, id)
	if err != nil {
		return leaf, err
	}
	return PortkeyTarget{Name: portkeyDefault, Strategy: &PortkeyStrategy{Mode: "fallback", OnStatusCodes: portkeyRetryable},
		Targets: []PortkeyTarget{leaf}}, nil
}

// busiestPrimary is the primary of the rule with the most cases.
func busiestPrimary(r *routing.Rules) string {
	best, cases := "", -1
	for _, k := range routed(r) {
		if c := r.Tags[k].Cases; c > cases {
			best, cases = r.Tags[k].Primary.Provider, c
		}
	}
	return best
}
