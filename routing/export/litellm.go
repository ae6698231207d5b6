package export

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/goccy/go-yaml"
	"github.com/parity-eval/parity/routing"
)

// LiteLLMConfig is the part of a LiteLLM proxy config (config.yaml) the
// rules write: model groups and router settings, as LiteLLM's docs
// (proxy/configs, proxy/reliability, proxy/load_balancing, proxy/health)
// describe them.
type LiteLLMConfig struct {
	ModelList      []LiteLLMModel        `yaml:"model_list"`
	RouterSettings LiteLLMRouterSettings `yaml:"router_settings"`
}

// LiteLLMModel is one deployment of a model group.
type LiteLLMModel struct {
	// ModelName is the group: what clients send as the model.
	ModelName     string           `yaml:"model_name"`
	LiteLLMParams LiteLLMParams    `yaml:"litellm_params"`
	ModelInfo     LiteLLMModelInfo `yaml:"model_info"`
}

// LiteLLMParams are a deployment's litellm.completion parameters.
type LiteLLMParams struct {
	// Model is "<provider prefix>/<model>": "openai/" with APIBase for an
	// OpenAI-compatible endpoint, the native prefix for a known host.
	Model   string `yaml:"model"`
	APIBase string `yaml:"api_base,omitempty"`
	// APIKey is set on every deployment, and is never a key:
	// "os.environ/<VAR>", which LiteLLM reads from its own environment, or
	// LiteLLMNoKey for an endpoint that takes none.
	APIKey string `yaml:"api_key"`
	// Timeout is the provider's request timeout in seconds. LiteLLM's
	// router applies it to streamed calls too when no stream_timeout is
	// set, as parity's timeout covers the stream.
	Timeout float64 `yaml:"timeout,omitempty"`
	// ExtraHeaders are the provider's configured headers, less those that
	// may carry a credential (CredentialHeader).
	ExtraHeaders map[string]string `yaml:"extra_headers,omitempty"`
	// Weight, set on every deployment of a split group, makes
	// simple-shuffle pick deployments in proportion.
	Weight float64 `yaml:"weight,omitempty"`
}

// LiteLLMModelInfo is a deployment's model_info.
type LiteLLMModelInfo struct {
	// Mode is the kind of endpoint the deployment serves, which LiteLLM's
	// health checks call: LiteLLMModeChat or LiteLLMModeImage.
	Mode string `yaml:"mode"`
}

// LiteLLMRouterSettings are the proxy's router settings.
type LiteLLMRouterSettings struct {
	RoutingStrategy string `yaml:"routing_strategy"`
	NumRetries      int    `yaml:"num_retries"`
	// Fallbacks map a group to the groups tried in order when it fails.
	Fallbacks []map[string][]string `yaml:"fallbacks"`
}

// WriteLiteLLM writes the rules as a LiteLLM proxy config.
func WriteLiteLLM(w io.Writer, r *routing.Rules, o Options) error {
	cfg, err := LiteLLM(r, o)
	if err != nil {
		return fmt.Errorf("litellm: %w", err)
	}
	b, err := yaml.MarshalWithOptions(cfg, yaml.Indent(2), yaml.IndentSequence(true))
	if err != nil {
		return fmt.Errorf("litellm: %w", err)
	}
	_, err = io.WriteString(w, liteLLMHead(r, o)+string(b))
	return err
}

// liteLLMHead is the comment atop the config: how to call it, where keys
// come from, and the headers left out.
func liteLLMHead(r *routing.Rules, o Options) string {
	var b strings.Builder
	fmt.Fprintf(&b, `# LiteLLM proxy config written by parity rules (schema %d) from run %s at %s.
# One model group per rule: send requests with the model set to the task tag
# (tag@tier outside the default tier). Fallback groups are named by provider id.
# Every deployment names its key: os.environ/VAR is read from LiteLLM's own
# environment; %s marks an endpoint that takes no key, so that LiteLLM
# never sends it OPENAI_API_KEY. Evidence and held-out figures: rules.yaml.
`, r.SchemaVersion, r.RunID, r.GeneratedAt, LiteLLMNoKey)
	for _, h := range withheldHeaders(r, o) {
		fmt.Fprintf(&b, "# Not written: header %s of %s may carry a credential; add it by hand.\n", h.name, h.provider)
	}
	return b.String()
}

// LiteLLM builds the proxy config: a model group per rule (one deployment
// per split target, weighted), a group per fallback provider, and the
// fallback chains.
func LiteLLM(r *routing.Rules, o Options) (*LiteLLMConfig, error) {
	if err := checkNames(r); err != nil {
		return nil, err
	}
	cfg := &LiteLLMConfig{RouterSettings: LiteLLMRouterSettings{RoutingStrategy: "simple-shuffle",
		NumRetries: o.NumRetries, Fallbacks: []map[string][]string{}}}
	var fallbackGroups []string
	imageFallback := map[string]bool{}
	for _, k := range routed(r) {
		rule := r.Tags[k]
		image := imageRule(r, &rule)
		if err := cfg.addGroup(r, o, k, trafficTargets(&rule), image); err != nil {
			return nil, err
		}
		var chain []string
		for _, f := range rule.Fallbacks {
			chain = append(chain, f.Provider)
			imageFallback[f.Provider] = imageFallback[f.Provider] || image
			if !slices.Contains(fallbackGroups, f.Provider) {
				fallbackGroups = append(fallbackGroups, f.Provider)
			}
		}
		if len(chain) > 0 {
			cfg.RouterSettings.Fallbacks = append(cfg.RouterSettings.Fallbacks, map[string][]string{k: chain})
		}
	}
	for _, id := range fallbackGroups {
		if err := cfg.addGroup(r, o, id, []routing.SplitTarget{{Provider: id, Weight: 1}}, imageFallback[id]); err != nil {
			return nil, err
		}
	}
	return cfg, nil
}

// addGroup adds a model group of the targets; weights are written only
// when the group has several deployments. image says the group serves
// image generation.
func (c *LiteLLMConfig) addGroup(r *routing.Rules, o Options, name string, targets []routing.SplitTarget, image bool) error {
	for _, t := range targets {
		ref, err := endpoint(r, t.Provider)
		if err != nil {
			return err
		}
		p := liteLLMParams(ref, o.Endpoints[t.Provider])
		if len(targets) > 1 {
			p.Weight = t.Weight
		}
		c.ModelList = append(c.ModelList, LiteLLMModel{ModelName: name, LiteLLMParams: p,
			ModelInfo: LiteLLMModelInfo{Mode: liteLLMMode(image || imageOnly(ref))}})
	}
	return nil
}
