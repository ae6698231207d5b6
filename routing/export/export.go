package export

import (
	"fmt"
	"io"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/parity-eval/parity/routing"
)

// The formats `parity rules` writes.
const (
	// FormatNative is rules.yaml (Rules as YAML).
	FormatNative = "native"
	// FormatLiteLLM is a LiteLLM proxy config (YAML).
	FormatLiteLLM = "litellm"
	// FormatPortkey is a Portkey gateway config (JSON).
	FormatPortkey = "portkey"
)

// Formats lists the formats rules export to.
var Formats = []string{FormatNative, FormatLiteLLM, FormatPortkey}

// Options tune the router configs; DefaultOptions holds the
// defaults.
type Options struct {
	// NumRetries is how often a router retries a target before falling
	// back (default 2).
	NumRetries int
	// MetadataKey and TierKey are the request metadata Portkey conditions
	// read the tag and the tier from (default task_type and tier).
	MetadataKey string
	TierKey     string
	// Endpoints are, by provider id, what the run's config says of a
	// provider beyond the rules' references: its headers and its timeout.
	// The rules do not carry them (rules.yaml is no place for header
	// values); without an entry a provider's deployment has neither.
	Endpoints map[string]Endpoint
}

// Endpoint is the part of a provider's configured endpoint
// (suites.Endpoint) a router config repeats. It never holds a key.
type Endpoint struct {
	// Headers are sent with every request (parity.yaml's headers). A
	// header that may carry a credential is never exported (see
	// CredentialHeader).
	Headers map[string]string
	// Timeout bounds one request, streaming included; 0 leaves the
	// router's default.
	Timeout time.Duration
}

// DefaultOptions returns the default options.
func DefaultOptions() Options {
	return Options{NumRetries: 2, MetadataKey: "task_type", TierKey: "tier"}
}

// Write writes the rules in one of Formats.
func Write(w io.Writer, r *routing.Rules, format string, o Options) error {
	switch format {
	case FormatNative:
		return r.WriteYAML(w)
	case FormatLiteLLM:
		return WriteLiteLLM(w, r, o)
	case FormatPortkey:
		return WritePortkey(w, r, o)
	}
	return fmt.Errorf("unknown format %q (want %s)", format, strings.Join(Formats, ", "))
}

// routed returns the names of the rules that have a primary, sorted.
func routed(r *routing.Rules) []string {
	var keys []string
	for k, rule := range r.Tags {
		if rule.Primary != nil {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	return keys
}

// trafficTargets is the rule's weighted traffic: its split, or its
// primary with weight 1.
func trafficTargets(t *routing.TagRule) []routing.SplitTarget {
	if t.Split != nil {
		return t.Split.Targets
	}
	return []routing.SplitTarget{{Provider: t.Primary.Provider, Model: t.Primary.Model, Weight: 1, Role: "primary"}}
}

// endpoint returns the provider's reference; exports need its base URL,
// which only the config knows.
func endpoint(r *routing.Rules, id string) (routing.ProviderRef, error) {
	ref, ok := r.Providers[id]
	if !ok || ref.BaseURL == "" {
		return ref, &EndpointError{Provider: id}
	}
	return ref, nil
}

// EndpointError is Write's error when a provider the rules route to has
// no base URL in them: only the run's config knows it, and the rules were
// made without it.
type EndpointError struct {
	// Provider is the provider's id.
	Provider string
}

// Error says which provider has no endpoint.
func (e *EndpointError) Error() string {
	return fmt.Sprintf("provider %s has no base_url in the rules: they were made without the run's config", e.Provider)
}

// checkNames refuses rule names that clash with provider ids, which name
// the fallback groups and targets.
func checkNames(r *routing.Rules) error {
	for _, k := range routed(r) {
		if _, ok := r.Providers[k]; ok {
			return fmt.Errorf("rule %q has the name of a provider: rename the tag or the provider", k)
		}
	}
	return nil
}

// host returns the host of a base URL, "" when it has none.
func host(baseURL string) string {
	u, err := url.Parse(baseURL)
	if err != nil {
		return ""
	}
	return u.Hostname()
}
