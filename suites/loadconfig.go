package suites

import (
	"fmt"
	"math"
	"net/url"
	"os"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode"
)

// Env looks up an environment variable; os.LookupEnv in production, a map
// in tests.
type Env func(name string) (string, bool)

type rawConfig struct {
	Baseline    string        `yaml:"baseline"`
	Concurrency int           `yaml:"concurrency"`
	Providers   []rawProvider `yaml:"providers"`
	Embedder    *rawEndpoint  `yaml:"embedder"`
	Judge       *rawEndpoint  `yaml:"judge"`
	Routing     struct {
		Tolerance    *float64 `yaml:"tolerance"`
		MaxFallbacks *int     `yaml:"max_fallbacks"`
	} `yaml:"routing"`
}

type rawEndpoint struct {
	Provider        string            `yaml:"provider"`
	BaseURL         string            `yaml:"base_url"`
	Model           string            `yaml:"model"`
	APIKeyEnv       string            `yaml:"api_key_env"`
	Price           rawPrice          `yaml:"price"`
	Headers         map[string]string `yaml:"headers"`
	MetadataHeaders map[string]string `yaml:"metadata_headers"`
	Timeout         string            `yaml:"timeout"`
	Stream          *bool             `yaml:"stream"`
}

type rawPrice struct {
	Input   float64 `yaml:"input"`
	Output  float64 `yaml:"output"`
	Image   float64 `yaml:"image"`
	Source  string  `yaml:"source"`
	Checked string  `yaml:"checked"`
}

type rawProvider struct {
	ID           string       `yaml:"id"`
	Endpoint     rawEndpoint  `yaml:",inline"`
	Limits       Limits       `yaml:"limits"`
	Capabilities []Capability `yaml:"capabilities"`
}

var idPattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]*$`)

// ConfigOption changes how LoadConfig reads a config.
type ConfigOption func(*configLoader)

// WithoutKeys reads a config for what it says, not to send requests: the
// API keys it names need not be set, and are not read (every
// Endpoint.APIKey stays empty; APIKeyEnv still names the variable).
// Other environment variables, those of base URLs, are read as ever.
func WithoutKeys() ConfigOption { return func(l *configLoader) { l.keyless = true } }

// LoadConfig reads and validates a parity.yaml. API keys are read from the
// variables the config names, through env; a missing key is an error,
// unless WithoutKeys says none is needed.
func LoadConfig(path string, env Env, opts ...ConfigOption) (*Config, error) {
	if env == nil {
		env = os.LookupEnv
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	return parseConfig(path, data, env, opts...)
}

// parseConfig is LoadConfig of a file's bytes.
func parseConfig(path string, data []byte, env Env, opts ...ConfigOption) (*Config, error) {
	var raw rawConfig
	f, err := decodeYAML(path, data, &raw)
	if err != nil {
		return nil, err
	}
	l := configLoader{f: f, env: env}
	for _, o := range opts {
		o(&l)
	}
	return l.config(&raw)
}

type configLoader struct {
	f   *yamlFile
	env Env
	// keyless skips reading API keys (WithoutKeys).
	keyless bool
	// warnings become Config.Warnings.
	warnings []error
}

func (l *configLoader) config(raw *rawConfig) (*Config, error) {
	c := &Config{Path: l.f.path, Baseline: raw.Baseline, Concurrency: raw.Concurrency}
	if c.Concurrency == 0 {
		c.Concurrency = 16
	}
	if c.Concurrency < 0 {
		return nil, l.f.errorf([]any{"concurrency"}, "concurrency must be at least 1")
	}
	if len(raw.Providers) == 0 {
		return nil, l.f.errorf([]any{"providers"}, "no providers: add at least one under `providers:`")
	}
	for i := range raw.Providers {
		p, err := l.provider(i, &raw.Providers[i])
		if err != nil {
			return nil, err
		}
		if c.Provider(p.ID) != nil {
			return nil, l.f.errorf([]any{"providers", i, "id"}, "provider id %q is used twice", p.ID)
		}
		c.Providers = append(c.Providers, p)
	}
	if c.Baseline != "" && c.Provider(c.Baseline) == nil {
		return nil, l.f.errorf([]any{"baseline"}, "baseline %q is not a provider id (have %s)", c.Baseline, l.ids(c))
	}
	var err error
	if c.Embedder, err = l.role(c, "embedder", raw.Embedder); err != nil {
		return nil, err
	}
	if c.Judge, err = l.role(c, "judge", raw.Judge); err != nil {
		return nil, err
	}
	c.Routing = Routing{Tolerance: 0.05, MaxFallbacks: 2}
	if t := raw.Routing.Tolerance; t != nil {
		if *t < 0 || *t > 1 {
			return nil, l.f.errorf([]any{"routing", "tolerance"}, "tolerance is a score difference in [0,1], got %v", *t)
		}
		c.Routing.Tolerance = *t
	}
	if m := raw.Routing.MaxFallbacks; m != nil {
		if *m < 0 {
			return nil, l.f.errorf([]any{"routing", "max_fallbacks"}, "max_fallbacks cannot be negative")
		}
		c.Routing.MaxFallbacks = *m
	}
	c.Warnings = l.warnings
	return c, nil
}

// checkPrice refuses a price that is negative, infinite or not a number:
// `.nan` passed the old `< 0` check and costed every row NaN, found only
// after every request was paid for.
func (l *configLoader) checkPrice(at []any, p rawPrice) error {
	for _, f := range []struct {
		key string
		v   float64
	}{{"input", p.Input}, {"output", p.Output}, {"image", p.Image}} {
		if f.v < 0 || math.IsNaN(f.v) || math.IsInf(f.v, 0) {
			return l.f.errorf(append(slices.Clone(at), "price", f.key), "price.%s is %v: want a finite USD amount, 0 or more (per million tokens; per image for image)", f.key, f.v)
		}
	}
	return nil
}

// checkHeaders refuses header names that are not HTTP tokens and values
// holding control characters: a CR or LF passed validate, then every
// request failed after three attempts.
func (l *configLoader) checkHeaders(at []any, raw *rawEndpoint) error {
	for name, value := range raw.Headers {
		if !validHeaderName(name) {
			return l.f.errorf(append(slices.Clone(at), "headers", name), "header name %q: use letters, digits and !#$%%&'*+-.^_`|~ only", name)
		}
		if i := strings.IndexFunc(value, func(r rune) bool { return r != '\t' && unicode.IsControl(r) }); i >= 0 {
			return l.f.errorf(append(slices.Clone(at), "headers", name), "header %s holds a control character (%U at byte %d): a header value is one line of text", name, []rune(value[i:])[0], i)
		}
	}
	for key, name := range raw.MetadataHeaders {
		if !validHeaderName(name) {
			return l.f.errorf(append(slices.Clone(at), "metadata_headers", key), "metadata_headers.%s: header name %q: use letters, digits and !#$%%&'*+-.^_`|~ only", key, name)
		}
	}
	return nil
}

// validHeaderName reports whether s is an HTTP token (RFC 9110).
func validHeaderName(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if !(r < 0x7f && (r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || strings.ContainsRune("!#$%&'*+-.^_`|~", r))) {
			return false
		}
	}
	return true
}

func (l *configLoader) ids(c *Config) string {
	ids := make([]string, len(c.Providers))
	for i, p := range c.Providers {
		ids[i] = p.ID
	}
	return strings.Join(ids, ", ")
}

func (l *configLoader) provider(i int, raw *rawProvider) (*Provider, error) {
	at := []any{"providers", i}
	if raw.ID == "" {
		return nil, l.f.errorf(at, "provider %d has no id", i+1)
	}
	if !idPattern.MatchString(raw.ID) {
		return nil, l.f.errorf(append(at, "id"), "provider id %q: use letters, digits, '.', '_' and '-'", raw.ID)
	}
	if raw.Endpoint.Provider != "" {
		return nil, l.f.errorf(append(at, "provider"), "`provider:` belongs to embedder and judge; a provider sets base_url itself")
	}
	e, err := l.endpoint(at, &raw.Endpoint)
	if err != nil {
		return nil, err
	}
	p := &Provider{Endpoint: *e, ID: raw.ID, Limits: raw.Limits, Capabilities: raw.Capabilities, Line: l.f.line(at...)}
	if child(l.f.node(at...), "price") == nil {
		p.Unpriced = true
		l.warnings = append(l.warnings, l.f.errorf(at, "provider %s has no price: its cost counts as $0, so it looks free to budgets and rules; add price: {input, output} (USD per million tokens), or price: {input: 0, output: 0} for a free model", raw.ID))
	}
	if p.Limits.Concurrency == 0 {
		p.Limits.Concurrency = 4
	}
	if p.Limits.Concurrency < 0 || p.Limits.RPM < 0 || p.Limits.TPM < 0 || p.Limits.ShardRPM < 0 || p.Limits.ShardTPM < 0 {
		return nil, l.f.errorf(append(at, "limits"), "limits cannot be negative")
	}
	if err := l.shardLimits(at, p.Limits); err != nil {
		return nil, err
	}
	if p.Limits.MaxResponseBytes < 0 {
		return nil, l.f.errorf(append(at, "limits", "max_response_bytes"), "limits.max_response_bytes cannot be negative (0 or absent means the default, %d)", int64(DefaultMaxResponseBytes))
	}
	if p.Limits.MaxResponseBytes == 0 {
		p.Limits.MaxResponseBytes = DefaultMaxResponseBytes
	}
	for j, c := range p.Capabilities {
		if !slices.Contains(Capabilities, c) {
			return nil, l.f.errorf(append(at, "capabilities", j), "unknown capability %q (want one of %s)", c, JoinCapabilities(Capabilities, ", "))
		}
	}
	return p, nil
}

// shardLimits refuses a shard's limit above the provider's: one shard
// would then pass it alone.
func (l *configLoader) shardLimits(at []any, lim Limits) error {
	for _, c := range []struct {
		name, of     string
		shard, whole int
	}{{"shard_rpm", "rpm", lim.ShardRPM, lim.RPM}, {"shard_tpm", "tpm", lim.ShardTPM, lim.TPM}} {
		if c.shard > 0 && c.whole > 0 && c.shard > c.whole {
			return l.f.errorf(append(at, "limits", c.name), "limits.%s %d is above limits.%s %d: one shard would pass the provider's limit alone (leave %s out to give each of n shards %s/n)",
				c.name, c.shard, c.of, c.whole, c.name, c.of)
		}
	}
	return nil
}

// role loads the embedder or the judge: its own endpoint, or a provider's
// with an optional model override.
func (l *configLoader) role(c *Config, name string, raw *rawEndpoint) (*Endpoint, error) {
	if raw == nil {
		return nil, nil
	}
	at := []any{name}
	if raw.Provider != "" {
		p := c.Provider(raw.Provider)
		if p == nil {
			return nil, l.f.errorf(append(at, "provider"), "%s: unknown provider %q (have %s)", name, raw.Provider, l.ids(c))
		}
		e := p.Endpoint
		if raw.Model != "" {
			e.Model = raw.Model
		}
		if raw.Price != (rawPrice{}) {
			if err := l.checkPrice(at, raw.Price); err != nil {
				return nil, err
			}
			e.Price = price(raw.Price)
		}
		return &e, nil
	}
	return l.endpoint(at, raw)
}

func (l *configLoader) endpoint(at []any, raw *rawEndpoint) (*Endpoint, error) {
	e := &Endpoint{
		Model:           raw.Model,
		APIKeyEnv:       raw.APIKeyEnv,
		Price:           price(raw.Price),
		Headers:         raw.Headers,
		MetadataHeaders: raw.MetadataHeaders,
		NoStream:        raw.Stream != nil && !*raw.Stream,
	}
	base, err := expand(raw.BaseURL, l.env)
	if err != nil {
		return nil, l.f.errorf(append(at, "base_url"), "base_url: %v", err)
	}
	if base == "" {
		return nil, l.f.errorf(at, "no base_url: give the OpenAI-compatible API root, such as https://api.openai.com/v1")
	}
	u, err := url.Parse(base)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, l.f.errorf(append(at, "base_url"), "base_url %q is not an http(s) URL", base)
	}
	e.BaseURL = base
	if e.Model == "" {
		return nil, l.f.errorf(at, "no model: name the model exactly as the provider expects it")
	}
	if err := l.checkPrice(at, raw.Price); err != nil {
		return nil, err
	}
	if err := l.checkHeaders(at, raw); err != nil {
		return nil, err
	}
	e.Timeout = DefaultTimeout
	if raw.Timeout != "" {
		d, err := time.ParseDuration(raw.Timeout)
		if err != nil || d <= 0 {
			return nil, l.f.errorf(append(at, "timeout"), "timeout %q: want a duration such as 60s or 2m", raw.Timeout)
		}
		e.Timeout = d
	}
	if e.APIKeyEnv != "" && !l.keyless {
		key, ok := l.env(e.APIKeyEnv)
		if !ok || strings.TrimSpace(key) == "" {
			return nil, l.f.errorf(append(at, "api_key_env"), "environment variable %s is not set: export it with the provider's API key", e.APIKeyEnv)
		}
		e.APIKey = strings.TrimSpace(key)
		if i := strings.IndexFunc(e.APIKey, unicode.IsControl); i >= 0 {
			// Name the variable, never the key.
			return nil, l.f.errorf(append(at, "api_key_env"), "environment variable %s holds a control character (%U at byte %d) inside the key, such as a newline from a copied file: every request would fail; export the key alone", e.APIKeyEnv, []rune(e.APIKey[i:])[0], i)
		}
	}
	return e, nil
}

// DefaultTimeout bounds one request when the config sets no timeout: a
// provider that hangs must not hold a run for ever.
const DefaultTimeout = 2 * time.Minute

func price(r rawPrice) Price {
	p := Price(r)
	if p.Source == "" && (p.Input != 0 || p.Output != 0 || p.Image != 0) {
		p.Source = "config"
	}
	return p
}

var envRef = regexp.MustCompile(`\$\{([A-Za-z_][A-Za-z0-9_]*)(:-([^}]*))?\}`)

// expand replaces ${VAR} and ${VAR:-default} with the environment's values.
func expand(s string, env Env) (string, error) {
	var missing []string
	out := envRef.ReplaceAllStringFunc(s, func(ref string) string {
		m := envRef.FindStringSubmatch(ref)
		if v, ok := env(m[1]); ok && v != "" {
			return v
		}
		if m[2] != "" {
			return m[3]
		}
		missing = append(missing, m[1])
		return ""
	})
	if len(missing) > 0 {
		return "", fmt.Errorf("environment variable %s is not set and has no default (write ${%s:-default})", missing[0], missing[0])
	}
	return out, nil
}
