package export

import (
	"bytes"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/goccy/go-yaml"
	"github.com/parity-eval/parity/internal/testkit"
	"github.com/parity-eval/parity/routing"
	"github.com/parity-eval/parity/runner"
	"github.com/parity-eval/parity/suites"
)

// liteProxyConfig mirrors LiteLLM's proxy config.yaml, with LiteLLM's
// field names and types, for the sections the export may write. Decoded
// with unknown fields rejected, it fails on any field LiteLLM does not
// define, since LiteLLM itself cannot run here. Mirrored from
// BerriAI/litellm:
//   - litellm/types/router.py: Deployment and DeploymentTypedDict
//     (model_name, litellm_params, model_info); LiteLLMParamsTypedDict
//     and GenericLiteLLMParams (model, custom_llm_provider, api_base,
//     api_key, api_version, organization, timeout, stream_timeout,
//     max_retries, rpm, tpm, order, weight); ModelInfo (id, base_model)
//     and ModelGroupInfo.mode; RouterConfig and UpdateRouterConfig
//     (routing_strategy, num_retries, timeout, allowed_fails,
//     cooldown_time, retry_after, fallbacks, context_window_fallbacks,
//     model_group_alias).
//   - docs/my-website/docs/completion/input.md: extra_headers, a
//     litellm.completion parameter, which a deployment's litellm_params
//     pass on.
//   - docs/my-website/docs/proxy/health.md: model_info.mode, with
//     image_generation for image models.
//   - docs/my-website/docs/proxy/configs.md: the top-level sections.
type liteProxyConfig struct {
	ModelList            []liteDeployment    `yaml:"model_list"`
	RouterSettings       *liteRouterSettings `yaml:"router_settings"`
	LiteLLMSettings      map[string]any      `yaml:"litellm_settings"`
	GeneralSettings      map[string]any      `yaml:"general_settings"`
	EnvironmentVariables map[string]string   `yaml:"environment_variables"`
}

// liteDeployment is litellm/types/router.py Deployment.
type liteDeployment struct {
	ModelName     string         `yaml:"model_name"`
	LiteLLMParams liteParams     `yaml:"litellm_params"`
	ModelInfo     *liteModelInfo `yaml:"model_info"`
}

// liteParams is LiteLLMParamsTypedDict / GenericLiteLLMParams. weight is
// an int in the TypedDict, which nothing checks at runtime: simple-shuffle
// normalises the weights and draws with random.choices, which takes
// floats.
type liteParams struct {
	Model             string            `yaml:"model"`
	CustomLLMProvider string            `yaml:"custom_llm_provider"`
	APIBase           string            `yaml:"api_base"`
	APIKey            string            `yaml:"api_key"`
	APIVersion        string            `yaml:"api_version"`
	Organization      string            `yaml:"organization"`
	Timeout           *float64          `yaml:"timeout"`
	StreamTimeout     *float64          `yaml:"stream_timeout"`
	MaxRetries        *int              `yaml:"max_retries"`
	RPM               *int              `yaml:"rpm"`
	TPM               *int              `yaml:"tpm"`
	Order             *int              `yaml:"order"`
	Weight            *float64          `yaml:"weight"`
	ExtraHeaders      map[string]string `yaml:"extra_headers"`
}

// liteModelInfo is litellm/types/router.py ModelInfo.
type liteModelInfo struct {
	ID        string `yaml:"id"`
	Mode      string `yaml:"mode"`
	BaseModel string `yaml:"base_model"`
}

// liteRouterSettings is RouterConfig / UpdateRouterConfig.
type liteRouterSettings struct {
	RoutingStrategy        string                `yaml:"routing_strategy"`
	NumRetries             *int                  `yaml:"num_retries"`
	Timeout                *float64              `yaml:"timeout"`
	AllowedFails           *int                  `yaml:"allowed_fails"`
	CooldownTime           *float64              `yaml:"cooldown_time"`
	RetryAfter             *float64              `yaml:"retry_after"`
	Fallbacks              []map[string][]string `yaml:"fallbacks"`
	ContextWindowFallbacks []map[string][]string `yaml:"context_window_fallbacks"`
	ModelGroupAlias        map[string]string     `yaml:"model_group_alias"`
}

// liteModes are the model_info modes LiteLLM knows (ModelGroupInfo.mode,
// proxy/health).
var liteModes = []string{"chat", "completion", "embedding", "image_generation", "audio_transcription",
	"audio_speech", "rerank", "moderations", "batch", "realtime"}

// strictLiteLLM decodes an export into the mirrored types, rejecting
// unknown fields.
func strictLiteLLM(t *testing.T, b []byte) liteProxyConfig {
	t.Helper()
	var cfg liteProxyConfig
	if err := yaml.UnmarshalWithOptions(b, &cfg, yaml.DisallowUnknownField()); err != nil {
		t.Fatalf("the export is not a LiteLLM config: %v\n%s", err, b)
	}
	return cfg
}

// liteLLMBytes is the LiteLLM export of r.
func liteLLMBytes(t *testing.T, r *routing.Rules, o Options) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteLiteLLM(&buf, r, o); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// exportOptions are the default options with endpoints for two of
// exportRules' providers: headers (one a credential) and timeouts.
func exportOptions() Options {
	o := DefaultOptions()
	o.Endpoints = map[string]Endpoint{
		"frontier": {Headers: map[string]string{"Helicone-Property-App": "parity"}, Timeout: 30 * time.Second},
		"budget":   {Headers: map[string]string{"X-Team": "evals", "X-Api-Key": "budget-literal-credential-7c1"}, Timeout: 90 * time.Second},
	}
	return o
}

// TestLiteLLMStrictDecode decodes the export into LiteLLM's own field set
// and checks what each deployment carries: a key reference or the
// keyless placeholder, its provider's headers and timeout, and a mode.
func TestLiteLLMStrictDecode(t *testing.T) {
	t.Parallel()
	b := liteLLMBytes(t, exportRules(t), exportOptions())
	cfg := strictLiteLLM(t, b)
	checkDeployments(t, cfg)
	want := map[string]liteParams{
		// A keyless custom host: the placeholder, never OPENAI_API_KEY.
		"openai/budget-1": {APIKey: LiteLLMNoKey, Timeout: testkit.Ptr(90.0), ExtraHeaders: map[string]string{"X-Team": "evals"}},
		// A key in the environment, named; the configured header and timeout.
		"openai/frontier-1": {APIKey: "os.environ/OPENAI_API_KEY", Timeout: testkit.Ptr(30.0),
			ExtraHeaders: map[string]string{"Helicone-Property-App": "parity"}},
		// No endpoint in the options: no timeout, no headers.
		"deepseek/steady-1": {APIKey: "os.environ/DEEPSEEK_API_KEY"},
		"openai/mini-1":     {APIKey: "os.environ/OPENAI_API_KEY"},
	}
	for i, d := range cfg.ModelList {
		p := d.LiteLLMParams
		w, ok := want[p.Model]
		if !ok {
			t.Errorf("model_list[%d]: unexpected model %s", i, p.Model)
			continue
		}
		if p.APIKey != w.APIKey || fmt.Sprint(deref(p.Timeout)) != fmt.Sprint(deref(w.Timeout)) || !maps.Equal(p.ExtraHeaders, w.ExtraHeaders) {
			t.Errorf("model_list[%d] %s: api_key %q, timeout %v, headers %v; want %q, %v, %v", i, p.Model,
				p.APIKey, deref(p.Timeout), p.ExtraHeaders, w.APIKey, deref(w.Timeout), w.ExtraHeaders)
		}
		if d.ModelInfo.Mode != LiteLLMModeChat {
			t.Errorf("model_list[%d] %s: mode %s, want chat", i, p.Model, d.ModelInfo.Mode)
		}
	}
	if bytes.Contains(b, []byte("budget-literal-credential-7c1")) {
		t.Errorf("a credential header's value is in the export:\n%s", b)
	}
	if !bytes.Contains(b, []byte("# Not written: header X-Api-Key of budget may carry a credential")) {
		t.Errorf("the export does not say the credential header was left out:\n%s", b)
	}
}

// checkDeployments checks what every deployment must carry: an api_key
// that is a reference or the placeholder, a known mode, weights on all of
// a group's deployments or none, and fallbacks naming groups.
func checkDeployments(t *testing.T, cfg liteProxyConfig) {
	t.Helper()
	if cfg.RouterSettings == nil || cfg.LiteLLMSettings != nil || cfg.GeneralSettings != nil || cfg.EnvironmentVariables != nil {
		t.Errorf("sections: router_settings %v, litellm_settings %v, general_settings %v, environment_variables %v",
			cfg.RouterSettings, cfg.LiteLLMSettings, cfg.GeneralSettings, cfg.EnvironmentVariables)
	}
	weighted := map[string][]bool{}
	for i, d := range cfg.ModelList {
		p := d.LiteLLMParams
		if p.APIKey != LiteLLMNoKey && !liteLLMKey.MatchString(p.APIKey) {
			t.Errorf("model_list[%d] %s: api_key %q is neither os.environ/VAR nor %s", i, d.ModelName, p.APIKey, LiteLLMNoKey)
		}
		if d.ModelInfo == nil || !slices.Contains(liteModes, d.ModelInfo.Mode) {
			t.Errorf("model_list[%d] %s: model_info %+v", i, d.ModelName, d.ModelInfo)
		}
		weighted[d.ModelName] = append(weighted[d.ModelName], p.Weight != nil)
	}
	for name, ws := range weighted {
		if slices.Contains(ws, true) && (slices.Contains(ws, false) || len(ws) < 2) {
			t.Errorf("group %s: weights on some deployments only", name)
		}
	}
	for _, f := range cfg.RouterSettings.Fallbacks {
		for from, to := range f {
			for _, g := range append([]string{from}, to...) {
				if _, ok := weighted[g]; !ok {
					t.Errorf("fallback %s -> %v names no group %s", from, to, g)
				}
			}
		}
	}
}

// deref reads an optional number, nil as 0.
func deref(p *float64) float64 {
	if p == nil {
		return 0
	}
	return *p
}

// TestLiteLLMStrictRejects shows the strict decode is not vacuous: a field
// LiteLLM does not define fails it, at any depth.
func TestLiteLLMStrictRejects(t *testing.T) {
	t.Parallel()
	for _, doc := range []string{
		// A misspelt key field.
		"model_list:\n  - model_name: a\n    litellm_params: {model: openai/x, api-key: os.environ/K}\n",
		// Headers under a name LiteLLM does not read.
		"model_list:\n  - model_name: a\n    litellm_params: {model: openai/x, headers_extra: {A: b}}\n",
		// A mode under litellm_params instead of model_info.
		"model_list:\n  - model_name: a\n    litellm_params: {model: openai/x, mode: chat}\n",
		// An unknown section.
		"model_list: []\nrouting_settings: {}\n",
	} {
		var cfg liteProxyConfig
		if err := yaml.UnmarshalWithOptions([]byte(doc), &cfg, yaml.DisallowUnknownField()); err == nil {
			t.Errorf("decoded without error:\n%s", doc)
		}
	}
}

// Values the config test sets in the environment: they must never reach
// an export.
const (
	testOpenAIKey = "sk-proj-parityExportTest0123456789abcdefXYZ"
	testImagesKey = "img-parity-export-test-9f8e7d6c5b4a3210"
)

// TestLiteLLMFromConfig exports rules made from a loaded config, keys set
// in the environment, as cmd/parity does: a chat rule over a keyed and a
// keyless provider, an image rule over two image models. No key nor
// credential header value is in the bytes; image deployments have mode
// image_generation.
func TestLiteLLMFromConfig(t *testing.T) {
	t.Setenv("PARITY_EXPORT_TEST_OPENAI_KEY", testOpenAIKey)
	t.Setenv("PARITY_EXPORT_TEST_IMAGES_KEY", testImagesKey)
	cfg, err := suites.LoadConfig("testdata/litellm.parity.yaml", nil)
	if err != nil {
		t.Fatal(err)
	}
	s := routing.DefaultSettings()
	s.Baseline = cfg.Baseline
	o := DefaultOptions()
	o.Endpoints = endpointsOf(cfg)
	b := liteLLMBytes(t, routing.New(configEvidence(), cfg.Providers, s, testkit.T0), o)
	testkit.Golden(t, "export.litellm.config.yaml", b)
	secrets := runner.Secrets(cfg)
	for _, want := range []string{testOpenAIKey, testImagesKey} {
		if !slices.Contains(secrets, want) {
			t.Fatalf("the loaded config does not hold a key the test set: the leak check would be vacuous")
		}
	}
	// runner.Secrets takes headers by name (key, token, secret,
	// Authorization); Helicone-Auth is a credential by its Bearer value.
	secrets = append(secrets, "hlc-export-test-credential-5f3a9")
	for _, sec := range secrets {
		if sec != "" && bytes.Contains(b, []byte(sec)) {
			t.Errorf("the export holds a secret of the config (%d bytes)", len(sec))
		}
	}
	lc := strictLiteLLM(t, b)
	checkDeployments(t, lc)
	checkConfigDeployments(t, lc)
}

// checkConfigDeployments checks the config test's deployments by model.
func checkConfigDeployments(t *testing.T, cfg liteProxyConfig) {
	t.Helper()
	want := map[string]struct {
		key, mode string
		timeout   float64
		headers   map[string]string
	}{
		"openai/frontier-1": {"os.environ/PARITY_EXPORT_TEST_OPENAI_KEY", LiteLLMModeChat, 30, map[string]string{"Helicone-Property-App": "parity"}},
		"openai/local-1":    {LiteLLMNoKey, LiteLLMModeChat, 90, map[string]string{"X-Team": "evals"}},
		"openai/flux-1":     {LiteLLMNoKey, LiteLLMModeImage, 120, nil},
		// No timeout in the config: the default, two minutes.
		"openai/imagen-1": {"os.environ/PARITY_EXPORT_TEST_IMAGES_KEY", LiteLLMModeImage, 120, nil},
	}
	seen := map[string]bool{}
	for i, d := range cfg.ModelList {
		p := d.LiteLLMParams
		w, ok := want[p.Model]
		seen[p.Model] = true
		if !ok || p.APIKey != w.key || d.ModelInfo.Mode != w.mode || deref(p.Timeout) != w.timeout || !maps.Equal(p.ExtraHeaders, w.headers) {
			t.Errorf("model_list[%d] %s/%s: api_key %q, mode %s, timeout %v, headers %v; want %+v", i, d.ModelName, p.Model,
				p.APIKey, d.ModelInfo.Mode, deref(p.Timeout), p.ExtraHeaders, w)
		}
	}
	if len(seen) != len(want) {
		t.Errorf("deployments of %v, want all of %v", slices.Sorted(maps.Keys(seen)), slices.Sorted(maps.Keys(want)))
	}
}

// endpointsOf is what cmd/parity passes the export: every provider's
// headers and timeout.
func endpointsOf(cfg *suites.Config) map[string]Endpoint {
	out := map[string]Endpoint{}
	for _, p := range cfg.Providers {
		out[p.ID] = Endpoint{Headers: p.Headers, Timeout: p.Timeout}
	}
	return out
}

// configEvidence is the config test's rows: extract on the chat providers
// (local as good and cheaper), draw, an image suite, on the image models.
func configEvidence() *routing.Evidence {
	ev := testkit.AddSpecs(routing.NewEvidence(), "extract", routing.DefaultTier,
		testkit.Spec{ID: "frontier", Scores: testkit.Repeat(1, 12), Cost: 0.01},
		testkit.Spec{ID: "local", Scores: testkit.Repeat(1, 12), Cost: 0.0001})
	for _, s := range []testkit.Spec{
		{ID: "flux", Scores: testkit.Repeat(0.9, 12), Cost: 0.02},
		{ID: "imagen", Scores: testkit.Repeat(1, 12), Cost: 0.04},
	} {
		for i, score := range s.Scores {
			row := testkit.SpecRow(s, "draw", routing.DefaultTier, i, 0, score)
			row.Result.Suite.Kind = suites.KindImage
			ev.AddScored(row)
		}
	}
	return ev
}

func TestNoKeyPlaceholder(t *testing.T) {
	t.Parallel()
	if strings.Contains(LiteLLMNoKey, "sk-") {
		t.Errorf("the placeholder %q looks like a key", LiteLLMNoKey)
	}
}
