package suites

import (
	"net/url"
	"time"
)

// Config is a loaded and validated parity.yaml.
type Config struct {
	// Path is the file the config was read from.
	Path string
	// Providers are the candidates every suite runs against, in file order.
	Providers []*Provider
	// Baseline is the id of the provider others are compared with; it is
	// what similarity checks with `against: baseline` measure against.
	Baseline string
	// Embedder computes embeddings for similarity checks; nil when no
	// suite needs one.
	Embedder *Endpoint
	// Judge answers rubric checks; nil when no suite needs one.
	Judge *Endpoint
	// Routing holds the settings of the suggested routing rules.
	Routing Routing
	// Concurrency bounds the requests in flight across all providers.
	Concurrency int
	// Warnings are what loaded but deserves saying before a run, each
	// naming file:line: a provider without a price, which would count as
	// free. Callers print them; they never stop a run.
	Warnings []error
}

// Provider is one candidate: an OpenAI-compatible endpoint and a model.
type Provider struct {
	Endpoint
	// ID names the provider in results, reports and rules ("openai-mini").
	ID string
	// Limits bound what parity sends to this provider.
	Limits Limits
	// Capabilities the provider claims: vision, tools, json_schema, streaming...
	Capabilities []Capability
	// Line is where the provider is declared in the config file.
	Line int
	// Unpriced is set by LoadConfig when the provider has no `price:`:
	// its Price is zero because it is unknown, not because the model is
	// free (an explicit `price: {input: 0, output: 0}` is priced, at $0).
	// Its rows cost $0; the report warns of it and the rules never rank
	// it as cheapest (see routing).
	Unpriced bool
}

// Endpoint is where requests go and what they cost.
type Endpoint struct {
	// BaseURL includes the API version path, as go-openai expects
	// ("https://api.openai.com/v1"). ${VAR} and ${VAR:-default} expand from
	// the environment.
	BaseURL string
	// Model is sent as the request's model, exactly as written.
	Model string
	// APIKeyEnv names the environment variable holding the API key. Empty
	// for keyless endpoints (a local server, the simulated providers).
	APIKeyEnv string
	// APIKey is read from APIKeyEnv when the config is loaded. It never
	// leaves memory: it is not written to results, reports or logs.
	APIKey string `json:"-"`
	// Price is what a million tokens cost.
	Price Price
	// Headers are sent with every request (observability metadata such as
	// Helicone-Property-*).
	Headers map[string]string
	// MetadataHeaders maps a suite or case metadata key to a request header
	// name; the metadata value is sent in that header.
	MetadataHeaders map[string]string
	// Timeout bounds one request, streaming included (default
	// DefaultTimeout).
	Timeout time.Duration
	// NoStream is `stream: false`: chat requests go unstreamed, for
	// servers that cannot stream; their time to the first token is
	// unknown (zero).
	NoStream bool
}

// Price is USD per million tokens, and per image for image models.
type Price struct {
	Input  float64
	Output float64
	Image  float64
	// Source says where the price comes from (a pricing page, "config").
	Source string
	// Checked is the date the price was last checked, when known.
	Checked string
}

// Cost returns the USD cost of a request with the given token counts.
func (p Price) Cost(inputTokens, outputTokens int) float64 {
	return (float64(inputTokens)*p.Input + float64(outputTokens)*p.Output) / 1e6
}

// Limits bound what parity sends to one provider.
type Limits struct {
	// Concurrency is the most requests in flight at once (default 4).
	Concurrency int
	// RPM and TPM are requests and tokens per minute; 0 means no limit.
	RPM int
	TPM int
	// ShardRPM and ShardTPM are what each shard of a sharded run (parity
	// run --shard i/n) may send: 0, the default, is RPM/n and TPM/n, so
	// that n shards together stay within RPM and TPM. Set them when each
	// shard has a limit of its own (a key per shard); neither may pass
	// RPM or TPM.
	ShardRPM int `yaml:"shard_rpm"`
	ShardTPM int `yaml:"shard_tpm"`
	// MaxResponseBytes bounds one answer's body, counted as it streams in
	// and after decompression (default DefaultMaxResponseBytes): past it
	// the row is the class too_large and the rest is not read.
	MaxResponseBytes int64 `yaml:"max_response_bytes"`
}

// DefaultMaxResponseBytes bounds an answer when the config sets no
// limits.max_response_bytes: 8 MiB, some two million tokens of text.
const DefaultMaxResponseBytes = 8 << 20

// Routing holds the settings of the suggested routing rules.
type Routing struct {
	// Tolerance is how far below the best mean score a cheaper provider
	// may be and still be chosen as the primary (default 0.05).
	Tolerance float64
	// MaxFallbacks bounds the fallback chain (default 2).
	MaxFallbacks int
}

// Provider returns the provider with the given id, or nil.
func (c *Config) Provider(id string) *Provider {
	for _, p := range c.Providers {
		if p.ID == id {
			return p
		}
	}
	return nil
}

// HasCapability reports whether the provider declares capability c.
func (p *Provider) HasCapability(c Capability) bool {
	for _, x := range p.Capabilities {
		if x == c {
			return true
		}
	}
	return false
}

// PublicURL is u without user info, query or fragment, where a key would
// hide in a URL: what results and fingerprints may record of a base URL.
// A URL that does not parse is "".
func PublicURL(u string) string {
	p, err := url.Parse(u)
	if err != nil {
		return ""
	}
	p.User, p.RawQuery, p.Fragment = nil, "", ""
	return p.String()
}
