package export

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
)

// TestPortkeyHeader fills the key references of the export from a lookup:
// each env:VAR becomes VAR's value, "none" stays, the queries' $and and
// $eq and the weights come through untouched, and a missing variable is
// an error naming every one.
func TestPortkeyHeader(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	if err := WritePortkey(&buf, exportRules(t), DefaultOptions()); err != nil {
		t.Fatal(err)
	}
	keys := map[string]string{"OPENAI_API_KEY": "sk-openai", "DEEPSEEK_API_KEY": "sk-deepseek"}
	got, err := PortkeyHeader(buf.Bytes(), func(k string) (string, bool) { v, ok := keys[k]; return v, ok })
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(got, "\n") || strings.Contains(got, PortkeyKeyPrefix) {
		t.Errorf("not compact, or a reference is left: %s", got)
	}
	var filled, raw map[string]any
	if err := json.Unmarshal([]byte(got), &filled); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(buf.Bytes(), &raw); err != nil {
		t.Fatal(err)
	}
	if a, b := fmt.Sprint(filled["strategy"]), fmt.Sprint(raw["strategy"]); a != b {
		t.Errorf("the strategy changed:\n%s\n%s", a, b)
	}
	want := map[string]int{"sk-openai": 8, "sk-deepseek": 1, PortkeyNoKey: 3}
	for key, n := range want {
		if c := strings.Count(got, `"api_key":"`+key+`"`); c != n {
			t.Errorf("api_key %s %d times, want %d", key, c, n)
		}
	}
	for _, w := range []string{`"weight":0.95`, `"weight":0.05`, `"$and":[`, `{"$eq":"high"}`} {
		if !strings.Contains(got, w) {
			t.Errorf("no %s in %s", w, got)
		}
	}
	delete(keys, "DEEPSEEK_API_KEY")
	keys["OPENAI_API_KEY"] = "" // set but empty is no key
	_, err = PortkeyHeader(buf.Bytes(), func(k string) (string, bool) { v, ok := keys[k]; return v, ok })
	if err == nil || !strings.Contains(err.Error(), "DEEPSEEK_API_KEY, OPENAI_API_KEY") || strings.Contains(err.Error(), "sk-") {
		t.Errorf("missing keys: %v", err)
	}
	if _, err := PortkeyHeader([]byte("{"), nil); err == nil {
		t.Error("a truncated config was filled")
	}
}

// TestPortkeyEndpoints repeats a provider's configured timeout as
// request_timeout in milliseconds on each of its targets, and none of its
// headers: the gateway's config has no place for header values.
func TestPortkeyEndpoints(t *testing.T) {
	t.Parallel()
	o := DefaultOptions()
	o.Endpoints = map[string]Endpoint{
		"mini":   {Timeout: 30 * time.Second, Headers: map[string]string{"Helicone-Property-App": "parity-demo"}},
		"steady": {Headers: map[string]string{"Authorization": "Bearer sk-live"}},
	}
	cfg, err := Portkey(exportRules(t), o)
	if err != nil {
		t.Fatal(err)
	}
	timeouts := map[string][]int64{} // the distinct timeouts by model
	var walk func([]PortkeyTarget)
	walk = func(ts []PortkeyTarget) {
		for _, tg := range ts {
			walk(tg.Targets)
			if m := tg.OverrideParams["model"]; m != "" && !slices.Contains(timeouts[m], tg.RequestTimeout) {
				timeouts[m] = append(timeouts[m], tg.RequestTimeout)
			}
		}
	}
	walk(cfg.Targets)
	if fmt.Sprint(timeouts) != "map[budget-1:[0] frontier-1:[0] mini-1:[30000] steady-1:[0]]" {
		t.Errorf("request timeouts by model %v", timeouts)
	}
	data, err := json.Marshal(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if s := string(data); strings.Contains(s, "parity-demo") || strings.Contains(s, "sk-live") || strings.Contains(s, "Helicone") {
		t.Errorf("a header was written: %s", s)
	}
}

// TestPortkeyNeedsEndpoints refuses rules without a provider's base URL:
// a target is its endpoint.
func TestPortkeyNeedsEndpoints(t *testing.T) {
	t.Parallel()
	r := exportRules(t)
	ref := r.Providers["steady"]
	ref.BaseURL = ""
	r.Providers["steady"] = ref
	var ee *EndpointError
	if err := WritePortkey(&bytes.Buffer{}, r, DefaultOptions()); !errors.As(err, &ee) || ee.Provider != "steady" {
		t.Errorf("portkey without steady's endpoint: %v", err)
	}
}

// ExamplePortkeyHeader fills a config's key reference from the caller's
// environment when the request is sent.
func ExamplePortkeyHeader() {
	config := []byte(`{
  "strategy": {"mode": "fallback"},
  "targets": [
    {"provider": "openai", "custom_host": "http://127.0.0.1:8000/v1", "api_key": "env:VLLM_KEY", "override_params": {"model": "m"}},
    {"provider": "openai", "custom_host": "http://127.0.0.1:8001/v1", "api_key": "none", "override_params": {"model": "m"}}
  ]
}`)
	env := map[string]string{"VLLM_KEY": "secret"} // os.LookupEnv in a real caller
	header, err := PortkeyHeader(config, func(k string) (string, bool) { v, ok := env[k]; return v, ok })
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(PortkeyConfigHeader + ": " + header)
	// Output:
	// x-portkey-config: {"strategy":{"mode":"fallback"},"targets":[{"api_key":"secret","custom_host":"http://127.0.0.1:8000/v1","override_params":{"model":"m"},"provider":"openai"},{"api_key":"none","custom_host":"http://127.0.0.1:8001/v1","override_params":{"model":"m"},"provider":"openai"}]}
}
