package export

import (
	"slices"
	"sort"
	"strings"

	"github.com/parity-eval/parity/routing"
	"github.com/parity-eval/parity/suites"
)

// LiteLLMNoKey is the api_key of a deployment whose endpoint takes no key.
// LiteLLM's openai/ provider always sends a key: given none, it takes
// OPENAI_API_KEY from the proxy's environment (litellm/llms/openai) and
// would send the real OpenAI key to a local server's api_base. LiteLLM's
// docs (providers/openai_compatible) say such an endpoint needs "a fake
// API key", and "fake-api-key" is the one LiteLLM's own providers for
// keyless OpenAI-compatible servers fall back to (hosted_vllm, llamafile:
// litellm/llms/*/chat/transformation.py).
const LiteLLMNoKey = "fake-api-key"

// LiteLLM model_info modes (litellm/types/router.py ModelGroupInfo.mode;
// docs proxy/health, "Image Generation Models").
const (
	// LiteLLMModeChat is a chat completions deployment.
	LiteLLMModeChat = "chat"
	// LiteLLMModeImage is an images/generations deployment.
	LiteLLMModeImage = "image_generation"
)

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

// liteLLMParams are a provider's deployment parameters: its model and
// endpoint from the rules, its headers and timeout from the config.
func liteLLMParams(ref routing.ProviderRef, e Endpoint) LiteLLMParams {
	var p LiteLLMParams
	if prefix, ok := liteLLMPrefixes[host(ref.BaseURL)]; ok {
		p.Model = prefix + "/" + ref.Model
	} else {
		p.Model, p.APIBase = "openai/"+ref.Model, strings.TrimRight(ref.BaseURL, "/")
	}
	p.APIKey = LiteLLMNoKey
	if ref.APIKeyEnv != "" {
		p.APIKey = "os.environ/" + ref.APIKeyEnv
	}
	p.Timeout = e.Timeout.Seconds()
	for name, value := range e.Headers {
		if suites.CredentialHeader(name, value) {
			continue
		}
		if p.ExtraHeaders == nil {
			p.ExtraHeaders = map[string]string{}
		}
		p.ExtraHeaders[name] = value
	}
	return p
}

// withheld is a header an export leaves out.
type withheld struct{ provider, name string }

// withheldHeaders lists the credential headers of the providers the rules
// name, by provider then header: the export says they were left out.
func withheldHeaders(r *routing.Rules, o Options) []withheld {
	var out []withheld
	for id, e := range o.Endpoints {
		if _, ok := r.Providers[id]; !ok {
			continue
		}
		for name, value := range e.Headers {
			if suites.CredentialHeader(name, value) {
				out = append(out, withheld{id, name})
			}
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].provider != out[j].provider {
			return out[i].provider < out[j].provider
		}
		return out[i].name < out[j].name
	})
	return out
}

// imageRule reports whether a rule's traffic is image generation: its
// suites need images, or it routes to a provider that serves only images
// (on which parity runs image suites alone).
func imageRule(r *routing.Rules, rule *routing.TagRule) bool {
	if slices.Contains(rule.Needs, "images") {
		return true
	}
	for _, t := range trafficTargets(rule) {
		if imageOnly(r.Providers[t.Provider]) {
			return true
		}
	}
	return false
}

// imageOnly reports whether a provider is an image model: it declares
// images and not chat.
func imageOnly(ref routing.ProviderRef) bool {
	return slices.Contains(ref.Capabilities, "images") && !slices.Contains(ref.Capabilities, "chat")
}

// liteLLMMode is a deployment's model_info.mode.
func liteLLMMode(image bool) string {
	if image {
		return LiteLLMModeImage
	}
	return LiteLLMModeChat
}
