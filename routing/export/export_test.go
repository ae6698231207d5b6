package export

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/parity-eval/parity/internal/testkit"
	"github.com/parity-eval/parity/routing"

	"github.com/goccy/go-yaml"
)

// exportRules are rules with every feature an export carries: a split, a
// canary, a tier, a capability, fallbacks, known and custom hosts.
func exportRules(t *testing.T) *routing.Rules {
	t.Helper()
	ev := testkit.AddSpecs(routing.NewEvidence(), "extract", routing.DefaultTier,
		testkit.Spec{ID: "frontier", Scores: testkit.Repeat(1, 12), Cost: 0.01},
		testkit.Spec{ID: "mini", Scores: testkit.Repeat(1, 12), Cost: 0.001},
		testkit.Spec{ID: "budget", Scores: testkit.Repeat(0.6, 12), Cost: 0.0001})
	testkit.AddSpecs(ev, "extract", "high",
		testkit.Spec{ID: "frontier", Scores: testkit.Repeat(1, 12), Cost: 0.01},
		testkit.Spec{ID: "mini", Scores: testkit.Alternate(1, 0.5, 12), Cost: 0.001},
		testkit.Spec{ID: "budget", Scores: testkit.Repeat(0.6, 12), Cost: 0.0001, Failed: []int{2}})
	testkit.AddSpecs(ev, "caption", routing.DefaultTier,
		testkit.Spec{ID: "frontier", Scores: testkit.Repeat(1, 12), Cost: 0.01},
		testkit.Spec{ID: "steady", Scores: testkit.Repeat(1, 12), Cost: 0.002},
		testkit.Spec{ID: "budget", Scores: testkit.Repeat(1, 12), Unsupported: true})
	s := routing.DefaultSettings()
	s.Baseline = "frontier"
	s.Gate = &routing.CanaryGate{SchemaVersion: 1, Baseline: "frontier", Candidate: "budget", Verdict: "pass", Margin: 0.03,
		Tags: []routing.CanaryGateItem{{Tag: "extract", Verdict: "pass"}, {Tag: "caption", Verdict: "pass"}}}
	return routing.New(ev, testkit.EndpointProviders(), s, testkit.T0)
}

func TestExportGoldens(t *testing.T) {
	t.Parallel()
	r := exportRules(t)
	for _, f := range []struct{ format, file string }{
		{FormatNative, "export.native.yaml"},
		{FormatLiteLLM, "export.litellm.yaml"},
		{FormatPortkey, "export.portkey.json"},
	} {
		var buf bytes.Buffer
		if err := Write(&buf, r, f.format, exportOptions()); err != nil {
			t.Fatalf("%s: %v", f.format, err)
		}
		testkit.Golden(t, f.file, buf.Bytes())
	}
	if err := Write(&bytes.Buffer{}, r, "bifrost", DefaultOptions()); err == nil || !strings.Contains(err.Error(), "unknown format") {
		t.Errorf("an unknown format: %v", err)
	}
}

// TestNativeParsesBack reads rules.yaml back into Rules.
func TestNativeParsesBack(t *testing.T) {
	t.Parallel()
	r := exportRules(t)
	var buf bytes.Buffer
	if err := r.WriteYAML(&buf); err != nil {
		t.Fatal(err)
	}
	var back routing.Rules
	if err := yaml.Unmarshal(buf.Bytes(), &back); err != nil {
		t.Fatal(err)
	}
	var again bytes.Buffer
	if err := back.WriteYAML(&again); err != nil || again.String() != buf.String() {
		t.Errorf("rules.yaml does not survive a round trip (%v):\n%s", err, testkit.FirstDiff(buf.String(), again.String()))
	}
}

// TestLiteLLMShape parses the LiteLLM export back and checks it against
// the shape LiteLLM documents (proxy/configs, proxy/reliability,
// proxy/load_balancing): model_list entries with model_name and
// litellm_params {model: provider/model, api_base, api_key:
// os.environ/VAR or the keyless placeholder, weight}; router_settings with a routing strategy,
// num_retries and fallbacks [{group: [groups]}] naming existing groups.
func TestLiteLLMShape(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	if err := WriteLiteLLM(&buf, exportRules(t), DefaultOptions()); err != nil {
		t.Fatal(err)
	}
	var cfg map[string]any
	if err := yaml.Unmarshal(buf.Bytes(), &cfg); err != nil {
		t.Fatal(err)
	}
	for _, err := range checkLiteLLM(cfg) {
		t.Error(err)
	}
	groups := liteLLMGroups(cfg)
	// extract: mini 76%, frontier 19%, budget 5% (canary); the tier and
	// the capability rule; fallback groups by provider.
	if got := fmt.Sprint(groups["extract"]); got != "[openai/mini-1:0.76 openai/frontier-1:0.19 openai/budget-1:0.05]" {
		t.Errorf("extract group %s", got)
	}
	if got := fmt.Sprint(groups["caption"]); got != "[deepseek/steady-1:0.8 openai/frontier-1:0.2]" {
		t.Errorf("caption group %s", got)
	}
	if _, ok := groups["extract@high"]; !ok {
		t.Errorf("no group for the high tier: %v", groups)
	}
}

// liteLLMGroups maps each model group to its deployments, model:weight.
func liteLLMGroups(cfg map[string]any) map[string][]string {
	out := map[string][]string{}
	for _, m := range asList(cfg["model_list"]) {
		e := asMap(m)
		p := asMap(e["litellm_params"])
		w, _ := p["weight"].(float64)
		name := fmt.Sprint(e["model_name"])
		out[name] = append(out[name], fmt.Sprintf("%v:%v", p["model"], w))
	}
	return out
}

var (
	liteLLMModel  = regexp.MustCompile(`^[a-z_]+/\S+$`)
	liteLLMKey    = regexp.MustCompile(`^os\.environ/[A-Z_][A-Z0-9_]*$`)
	liteLLMBase   = regexp.MustCompile(`^https?://\S+[^/]$`)
	liteLLMRouter = []string{"simple-shuffle", "least-busy", "usage-based-routing", "latency-based-routing", "cost-based-routing"}
)

// checkLiteLLM returns every way cfg departs from LiteLLM's documented
// shape.
func checkLiteLLM(cfg map[string]any) []error {
	var errs []error
	bad := func(format string, a ...any) { errs = append(errs, fmt.Errorf(format, a...)) }
	for k := range cfg {
		if k != "model_list" && k != "router_settings" {
			bad("unexpected top-level key %q", k)
		}
	}
	weighted := map[string][]bool{}
	for i, m := range asList(cfg["model_list"]) {
		e := asMap(m)
		name, _ := e["model_name"].(string)
		p := asMap(e["litellm_params"])
		model, _ := p["model"].(string)
		if name == "" || !liteLLMModel.MatchString(model) {
			bad("model_list[%d]: model_name %q, litellm_params.model %q", i, name, model)
		}
		if k := fmt.Sprint(p["api_key"]); k != LiteLLMNoKey && !liteLLMKey.MatchString(k) {
			bad("model_list[%d]: api_key %v is neither os.environ/VAR nor %s", i, k, LiteLLMNoKey)
		}
		if b, ok := p["api_base"]; ok && (!liteLLMBase.MatchString(fmt.Sprint(b)) || !strings.HasPrefix(model, "openai/")) {
			bad("model_list[%d]: api_base %v with model %s", i, b, model)
		}
		_, hasWeight := p["weight"]
		weighted[name] = append(weighted[name], hasWeight)
	}
	for name, ws := range weighted {
		if slices.Contains(ws, true) && (slices.Contains(ws, false) || len(ws) < 2) {
			bad("group %s: weights on some deployments only (simple-shuffle reads them all)", name)
		}
	}
	rs := asMap(cfg["router_settings"])
	if !slices.Contains(liteLLMRouter, fmt.Sprint(rs["routing_strategy"])) {
		bad("routing_strategy %v", rs["routing_strategy"])
	}
	if n, ok := rs["num_retries"].(uint64); !ok || n > 10 {
		bad("num_retries %v (%T)", rs["num_retries"], rs["num_retries"])
	}
	for _, f := range asList(rs["fallbacks"]) {
		for from, to := range asMap(f) {
			if _, ok := weighted[from]; !ok {
				bad("fallbacks from unknown group %s", from)
			}
			for _, g := range asList(to) {
				if _, ok := weighted[fmt.Sprint(g)]; !ok {
					bad("fallback %s -> unknown group %v", from, g)
				}
			}
		}
	}
	return errs
}

// TestPortkeyShape parses the Portkey export back and checks it against
// the shape Portkey documents (ai-gateway/conditional-routing,
// fallbacks, load-balancing).
func TestPortkeyShape(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	if err := WritePortkey(&buf, exportRules(t), DefaultOptions()); err != nil {
		t.Fatal(err)
	}
	var cfg map[string]any
	if err := json.Unmarshal(buf.Bytes(), &cfg); err != nil {
		t.Fatal(err)
	}
	for _, err := range checkPortkey(cfg) {
		t.Error(err)
	}
	// The high tier's condition comes before the default tier's.
	conds := asList(asMap(cfg["strategy"])["conditions"])
	var order []string
	for _, c := range conds {
		order = append(order, fmt.Sprint(asMap(c)["then"]))
	}
	if strings.Join(order, ",") != "extract@high,caption,extract" {
		t.Errorf("conditions in order %v", order)
	}
	if d := asMap(cfg["strategy"])["default"]; d != "default" {
		t.Errorf("default %v", d)
	}
}

// checkPortkey returns every way cfg departs from the shape the
// self-hosted gateway accepts (its config schema): a conditional strategy
// with conditions {query, then} and a default, naming targets that exist;
// targets that are endpoints (provider openai with custom_host, a key
// reference for api_key and override_params.model) or nested
// fallback/loadbalance strategies; weights on loadbalance targets; queries
// over metadata.* with $eq and $and.
func checkPortkey(cfg map[string]any) []error {
	var errs []error
	bad := func(format string, a ...any) { errs = append(errs, fmt.Errorf(format, a...)) }
	st := asMap(cfg["strategy"])
	if st["mode"] != "conditional" {
		bad("strategy.mode %v", st["mode"])
	}
	names := map[string]bool{}
	for _, tg := range asList(cfg["targets"]) {
		n := fmt.Sprint(asMap(tg)["name"])
		if names[n] {
			bad("target name %s twice", n)
		}
		names[n] = true
		errs = append(errs, checkPortkeyTarget(asMap(tg), n)...)
	}
	for i, c := range asList(st["conditions"]) {
		cm := asMap(c)
		if !names[fmt.Sprint(cm["then"])] {
			bad("conditions[%d].then %v names no target", i, cm["then"])
		}
		errs = append(errs, checkPortkeyQuery(asMap(cm["query"]))...)
	}
	if !names[fmt.Sprint(st["default"])] {
		bad("default %v names no target", st["default"])
	}
	return errs
}

// checkPortkeyTarget checks one target and its children.
func checkPortkeyTarget(t map[string]any, at string) []error {
	if p, ok := t["provider"].(string); ok {
		model := asMap(t["override_params"])["model"]
		host, _ := t["custom_host"].(string)
		key, _ := t["api_key"].(string)
		if p != PortkeyProvider || !liteLLMBase.MatchString(host) || !portkeyKey.MatchString(key) || model == nil || t["targets"] != nil {
			return []error{fmt.Errorf("%s: provider %q, custom_host %q, api_key %q, model %v", at, p, host, key, model)}
		}
		return nil
	}
	mode := asMap(t["strategy"])["mode"]
	kids := asList(t["targets"])
	if (mode != "fallback" && mode != "loadbalance") || len(kids) == 0 {
		return []error{fmt.Errorf("%s: strategy %v over %d targets", at, mode, len(kids))}
	}
	var errs []error
	for i, k := range kids {
		if _, ok := asMap(k)["weight"].(float64); ok != (mode == "loadbalance") {
			errs = append(errs, fmt.Errorf("%s[%d]: weight %v under %v", at, i, asMap(k)["weight"], mode))
		}
		errs = append(errs, checkPortkeyTarget(asMap(k), fmt.Sprintf("%s[%d]", at, i))...)
	}
	return errs
}

// portkeyKey is a key reference, or the word for no key.
var portkeyKey = regexp.MustCompile(`^(env:[A-Z_][A-Z0-9_]*|none)$`)

// checkPortkeyQuery checks a condition's query.
func checkPortkeyQuery(q map[string]any) []error {
	var errs []error
	for k, v := range q {
		switch {
		case k == "$and":
			for _, sub := range asList(v) {
				errs = append(errs, checkPortkeyQuery(asMap(sub))...)
			}
		case strings.HasPrefix(k, "metadata."):
			if _, ok := asMap(v)["$eq"].(string); !ok {
				errs = append(errs, fmt.Errorf("query %s: %v", k, v))
			}
		default:
			errs = append(errs, fmt.Errorf("query key %s", k))
		}
	}
	return errs
}

// asMap reads a decoded YAML or JSON object.
func asMap(v any) map[string]any {
	m, _ := v.(map[string]any)
	return m
}

// asList reads a decoded YAML or JSON array.
func asList(v any) []any {
	l, _ := v.([]any)
	return l
}

func TestExportErrors(t *testing.T) {
	t.Parallel()
	r := exportRules(t)
	ref := r.Providers["mini"]
	ref.BaseURL = ""
	r.Providers["mini"] = ref
	if err := WriteLiteLLM(&bytes.Buffer{}, r, DefaultOptions()); err == nil || !strings.Contains(err.Error(), "provider mini has no base_url") {
		t.Errorf("litellm without an endpoint: %v", err)
	}
	r = exportRules(t)
	r.Providers["extract"] = routing.ProviderRef{Model: "x"}
	if err := WritePortkey(&bytes.Buffer{}, r, DefaultOptions()); err == nil || !strings.Contains(err.Error(), "has the name of a provider") {
		t.Errorf("a rule named like a provider: %v", err)
	}
}
