package export

import (
	"cmp"
	"encoding/json"
	"fmt"
	"github.com/parity-eval/parity/routing"
	"io"
	"slices"
)

// PortkeyConfig is a config the open-source Portkey gateway
// (@portkey-ai/gateway) loads as it is, checked against its schema
// (src/middlewares/requestValidator/schema/config.ts): a conditional
// strategy over request metadata whose targets are named fallback chains
// of OpenAI-compatible endpoints. It travels with each request, compacted,
// in the x-portkey-config header, after PortkeyHeader has filled in its
// key references. It repeats a provider's timeout (request_timeout) but
// not its headers: the gateway's config holds no header values, only
// forward_headers, the names of request headers to pass on.
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

// PortkeyTarget is an endpoint or a nested strategy over targets.
type PortkeyTarget struct {
	Name     string           `json:"name,omitempty"`
	Strategy *PortkeyStrategy `json:"strategy,omitempty"`
	Targets  []PortkeyTarget  `json:"targets,omitempty"`
	// Provider is PortkeyProvider for an endpoint; CustomHost is the
	// endpoint's base URL, to which the gateway appends the path
	// (/chat/completions).
	Provider   string `json:"provider,omitempty"`
	CustomHost string `json:"custom_host,omitempty"`
	// APIKey is never a key: a reference, PortkeyKeyPrefix and the name
	// of the variable holding it, or PortkeyNoKey.
	APIKey string `json:"api_key,omitempty"`
	// OverrideParams pins the model the results were measured with.
	OverrideParams map[string]string `json:"override_params,omitempty"`
	// RequestTimeout is the provider's configured timeout in
	// milliseconds (Options.Endpoints); the gateway answers 408 past it.
	RequestTimeout int64    `json:"request_timeout,omitempty"`
	Weight         *float64 `json:"weight,omitempty"`
}

// PortkeyProvider is every endpoint's provider: the endpoints parity
// measures speak the OpenAI API, and the gateway's openai provider sends
// it to custom_host with the key as a Bearer token.
const PortkeyProvider = "openai"

// Key references. The gateway requires an api_key beside a provider and
// resolves no reference itself: the caller replaces each "env:VAR" with
// the value of VAR when it sends the config (PortkeyHeader), so the key
// never lands in a file.
const (
	// PortkeyKeyPrefix starts a key reference: "env:OPENAI_API_KEY".
	PortkeyKeyPrefix = "env:"
	// PortkeyNoKey is the api_key of an endpoint that takes no key
	// (no api_key_env in the config); it is sent as it is.
	PortkeyNoKey = "none"
)

// PortkeyRetry retries a request on the status codes.
type PortkeyRetry struct {
	Attempts      int   `json:"attempts"`
	OnStatusCodes []int `json:"on_status_codes"`
}

// portkeyRetryOn are the statuses worth a retry of the same target; the
// gateway also retries a request that got no answer (a refused
// connection), then answers it 500.
var portkeyRetryOn = []int{429, 500, 502, 503, 504}

// portkeyFallbackOn are the statuses worth a fallback to the next target:
// those, and the gateway's 408 for a target past its request_timeout.
var portkeyFallbackOn = []int{408, 429, 500, 502, 503, 504}

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
// a loadbalance over the split), and a default target. Every endpoint is
// an openai target at the provider's base URL with its key referenced, so
// the rules need the run's config (an EndpointError otherwise).
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
		cfg.Retry = &PortkeyRetry{Attempts: o.NumRetries, OnStatusCodes: portkeyRetryOn}
	}
	b := portkeyTargets{r, o}
	for _, k := range keys {
		rule := r.Tags[k]
		t, err := b.route(k, &rule)
		if err != nil {
			return nil, err
		}
		cfg.Strategy.Conditions = append(cfg.Strategy.Conditions, PortkeyCondition{portkeyQuery(&rule, o), k})
		cfg.Targets = append(cfg.Targets, t)
	}
	def, err := b.defaultTarget()
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
