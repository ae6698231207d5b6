package export

import (
	"fmt"
	"github.com/parity-eval/parity/routing"
	"io"
	"slices"
	"strings"

	"github.com/goccy/go-yaml"
)

// LiteLLMConfig is the part of a LiteLLM proxy config (config.yaml) the
// rules write: model groups and router settings, as LiteLLM's docs
// (proxy/configs, proxy/reliability, proxy/load_balancing) describe them.
type LiteLLMConfig struct {
	ModelList      []LiteLLMModel        `yaml:"model_list"`
	RouterSettings LiteLLMRouterSettings `yaml:"router_settings"`
}

// LiteLLMModel is one deployment of a model group.
type LiteLLMModel struct {
	// ModelName is the group: what clients send as the model.
	ModelName     string        `yaml:"model_name"`
	LiteLLMParams LiteLLMParams `yaml:"litellm_params"`
}

// LiteLLMParams are a deployment's litellm.completion parameters.
type LiteLLMParams struct {
	// Model is "<provider prefix>/<model>": "openai/" with APIBase for an
	// OpenAI-compatible endpoint, the native prefix for a known host.
	Model   string `yaml:"model"`
	APIBase string `yaml:"api_base,omitempty"`
	// APIKey references the environment: "os.environ/<VAR>".
	APIKey string `yaml:"api_key,omitempty"`
	// Weight, set on every deployment of a split group, makes
	// simple-shuffle pick deployments in proportion.
	Weight float64 `yaml:"weight,omitempty"`
}

// LiteLLMRouterSettings are the proxy's router settings.
type LiteLLMRouterSettings struct {
	RoutingStrategy string `yaml:"routing_strategy"`
	NumRetries      int    `yaml:"num_retries"`
	// Fallbacks map a group to the groups tried in order when it fails.
	Fallbacks []map[string][]string `yaml:"fallbacks"`
}

// liteLLMPrefixes are LiteLLM's provider prefixes for the hosts it knows;
// their endpoint is LiteLLM's own, so no api_base is written. Any other
// host is an OpenAI-compatible endpoint: "openai/" with api_base.
var liteLLMPrefixes = map[string]string{
	"api.openai.com":                    "openai",
	"api.anthropic.com":                 "anthropic",
	"api.deepseek.com":                  "deepseek",
	"api.mistral.ai":                    "mistral",
	"generativelanguage.googleapis.com": "gemini",
	"api.groq.com":                      "groq",
	"api.together.xyz":                  "together_ai",
	"api.fireworks.ai":                  "fireworks_ai",
	"openrouter.ai":                     "openrouter",
	"api.x.ai":                          "xai",
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
	head := fmt.Sprintf(`# LiteLLM proxy config written by parity rules (schema %d) from run %s at %s.
# One model group per rule: send requests with the model set to the task tag
# (tag@tier outside the default tier). Fallback groups are named by provider id.
# Keys are read from the environment. Evidence and held-out figures: rules.yaml.
`, r.SchemaVersion, r.RunID, r.GeneratedAt)
	_, err = io.WriteString(w, head+string(b))
	return err
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
	for _, k := range routed(r) {
		rule := r.Tags[k]
		if err := cfg.addGroup(r, k, trafficTargets(&rule)); err != nil {
			return nil, err
		}
		var chain []string
		for _, f := range rule.Fallbacks {
			chain = append(chain, f.Provider)
			if !slices.Contains(fallbackGroups, f.Provider) {
				fallbackGroups = append(fallbackGroups, f.Provider)
			}
		}
		if len(chain) > 0 {
			cfg.RouterSettings.Fallbacks = append(cfg.RouterSettings.Fallbacks, map[string][]string{k: chain})
		}
	}
	for _, id := range fallbackGroups {
		if err := cfg.addGroup(r, id, []routing.SplitTarget{{Provider: id, Weight: 1}}); err != nil {
			return nil, err
		}
	}
	return cfg, nil
}

// addGroup adds a model group of the targets; weights are written only
// when the group has several deployments.
func (c *LiteLLMConfig) addGroup(r *routing.Rules, name string, targets []routing.SplitTarget) error {
	for _, t := range targets {
		ref, err := endpoint(r, t.Provider)
		if err != nil {
			return err
		}
		p := liteLLMParams(ref)
		if len(targets) > 1 {
			p.Weight = t.Weight
		}
		c.ModelList = append(c.ModelList, LiteLLMModel{ModelName: name, LiteLLMParams: p})
	}
	return nil
}

// liteLLMParams are a provider's deployment parameters.
func liteLLMParams(ref routing.ProviderRef) LiteLLMParams {
	var p LiteLLMParams
	if prefix, ok := liteLLMPrefixes[host(ref.BaseURL)]; ok {
		p.Model = prefix + "/" + ref.Model
	} else {
		p.Model, p.APIBase = "openai/"+ref.Model, strings.TrimRight(ref.BaseURL, "/")
	}
	if ref.APIKeyEnv != "" {
		p.APIKey = "os.environ/" + ref.APIKeyEnv
	}
	return p
}
