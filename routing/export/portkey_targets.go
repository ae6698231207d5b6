package export

import (
	"fmt"
	"strings"

	"github.com/parity-eval/parity/routing"
)

// portkeyTargets builds the targets of the rules r with the options o.
type portkeyTargets struct {
	r *routing.Rules
	o Options
}

// route is a rule's target: a fallback chain over the primary (or its
// split) and the fallbacks.
func (b portkeyTargets) route(name string, rule *routing.TagRule) (PortkeyTarget, error) {
	t := PortkeyTarget{Name: name, Strategy: portkeyFallback()}
	first, err := b.traffic(trafficTargets(rule))
	if err != nil {
		return t, err
	}
	t.Targets = append(t.Targets, first)
	for _, f := range rule.Fallbacks {
		leaf, err := b.leaf(f.Provider)
		if err != nil {
			return t, err
		}
		t.Targets = append(t.Targets, leaf)
	}
	return t, nil
}

// portkeyFallback is a fallback strategy: the next target is tried when
// one answers a status worth a fallback.
func portkeyFallback() *PortkeyStrategy {
	return &PortkeyStrategy{Mode: "fallback", OnStatusCodes: portkeyFallbackOn}
}

// traffic is the primary's leaf, or a loadbalance over a split.
func (b portkeyTargets) traffic(targets []routing.SplitTarget) (PortkeyTarget, error) {
	if len(targets) == 1 {
		return b.leaf(targets[0].Provider)
	}
	lb := PortkeyTarget{Strategy: &PortkeyStrategy{Mode: "loadbalance"}}
	for _, st := range targets {
		leaf, err := b.leaf(st.Provider)
		if err != nil {
			return lb, err
		}
		w := st.Weight
		leaf.Weight = &w
		lb.Targets = append(lb.Targets, leaf)
	}
	return lb, nil
}

// leaf is one provider: its endpoint, its key reference, its pinned model
// and its timeout.
func (b portkeyTargets) leaf(id string) (PortkeyTarget, error) {
	ref, err := endpoint(b.r, id)
	if err != nil {
		return PortkeyTarget{}, err
	}
	key := PortkeyNoKey
	if ref.APIKeyEnv != "" {
		key = PortkeyKeyPrefix + ref.APIKeyEnv
	}
	return PortkeyTarget{
		Provider: PortkeyProvider, CustomHost: strings.TrimRight(ref.BaseURL, "/"), APIKey: key,
		OverrideParams: map[string]string{"model": ref.Model},
		RequestTimeout: b.o.Endpoints[id].Timeout.Milliseconds(),
	}, nil
}

// defaultTarget is where requests without a matching rule go: a rule
// named "default" when there is one, else the baseline, else the primary
// of the rule with the most cases.
func (b portkeyTargets) defaultTarget() (PortkeyTarget, error) {
	if _, ok := b.r.Tags[portkeyDefault]; ok {
		return PortkeyTarget{Name: portkeyDefault}, nil
	}
	id := b.r.Baseline
	if _, ok := b.r.Providers[id]; !ok {
		id = busiestPrimary(b.r)
	}
	if id == "" {
		return PortkeyTarget{}, fmt.Errorf("no rule has a primary: nothing to route to")
	}
	leaf, err := b.leaf(id)
	if err != nil {
		return leaf, err
	}
	return PortkeyTarget{Name: portkeyDefault, Strategy: portkeyFallback(), Targets: []PortkeyTarget{leaf}}, nil
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
