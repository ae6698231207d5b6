package suites

import (
	"path/filepath"
	"strings"
	"testing"
	"time"
)

const goodConfig = `baseline: big
providers:
  - id: big
    base_url: ${FIXTURES:-http://127.0.0.1:8089}/big/v1
    model: big-1
    api_key_env: BIG_KEY
    price: {input: 2.5, output: 10}
    limits: {concurrency: 3}
    capabilities: [json_schema, vision]
    headers: {Helicone-Property-App: parity}
    metadata_headers: {feature: Helicone-Property-Feature}
    timeout: 30s
  - id: small
    base_url: http://127.0.0.1:8089/small/v1
    model: small-1
embedder:
  provider: big
  model: embed-1
judge:
  base_url: http://127.0.0.1:8089/judge/v1
  model: judge-1
`

func mapEnv(m map[string]string) Env {
	return func(k string) (string, bool) { v, ok := m[k]; return v, ok }
}

func TestLoadConfig(t *testing.T) {
	t.Parallel()
	dir := writeFiles(t, map[string]string{"parity.yaml": goodConfig})
	cfg, err := LoadConfig(filepath.Join(dir, "parity.yaml"), mapEnv(map[string]string{"BIG_KEY": " sk-test ", "FIXTURES": "http://127.0.0.1:9999"}))
	if err != nil {
		t.Fatal(err)
	}
	big := cfg.Provider("big")
	if big == nil || cfg.Provider("small") == nil || cfg.Baseline != "big" {
		t.Fatalf("providers %+v baseline %q", cfg.Providers, cfg.Baseline)
	}
	if big.BaseURL != "http://127.0.0.1:9999/big/v1" {
		t.Errorf("base_url expands ${VAR:-default} from the environment: %q", big.BaseURL)
	}
	if big.APIKey != "sk-test" {
		t.Errorf("key read from BIG_KEY and trimmed, got %q", big.APIKey)
	}
	if big.Limits.Concurrency != 3 || cfg.Provider("small").Limits.Concurrency != 4 {
		t.Errorf("concurrency: %d, default %d", big.Limits.Concurrency, cfg.Provider("small").Limits.Concurrency)
	}
	if big.Price.Source != "config" || big.Price.Cost(1_000_000, 100_000) != 3.5 {
		t.Errorf("price %+v", big.Price)
	}
	if cfg.Embedder.BaseURL != big.BaseURL || cfg.Embedder.Model != "embed-1" || cfg.Embedder.APIKey != "sk-test" {
		t.Errorf("embedder reuses the provider's endpoint with its own model: %+v", cfg.Embedder)
	}
	if big.Timeout != 30*time.Second || cfg.Provider("small").Timeout != DefaultTimeout {
		t.Errorf("timeouts %v, %v", big.Timeout, cfg.Provider("small").Timeout)
	}
	if cfg.Routing.Tolerance != 0.05 || cfg.Concurrency != 16 {
		t.Errorf("defaults: %+v %d", cfg.Routing, cfg.Concurrency)
	}
	if !big.HasCapability("vision") || big.HasCapability("tools") {
		t.Error("capabilities")
	}
}

// TestConfigErrors checks that a broken config fails naming file:line:col
// and what to fix.
func TestConfigErrors(t *testing.T) {
	t.Parallel()
	env := mapEnv(map[string]string{"BIG_KEY": "k"})
	tests := []struct {
		name, edit, with, want string
	}{
		{"missing key variable", "api_key_env: BIG_KEY", "api_key_env: NOPE_KEY", "parity.yaml:6:18: environment variable NOPE_KEY is not set"},
		{"unknown baseline", "baseline: big", "baseline: huge", `parity.yaml:1:11: baseline "huge" is not a provider id (have big, small)`},
		{"unknown judge provider", "judge:\n  base_url: http://127.0.0.1:8089/judge/v1", "judge:\n  provider: nobody", `parity.yaml:20:13: judge: unknown provider "nobody"`},
		{"bad url", "http://127.0.0.1:8089/small/v1", "127.0.0.1:8089/small/v1", `parity.yaml:14:15: base_url "127.0.0.1:8089/small/v1" is not an http(s) URL`},
		{"unset var without default", "${FIXTURES:-http://127.0.0.1:8089}", "${FIXTURES}", "parity.yaml:4:15: base_url: environment variable FIXTURES is not set and has no default"},
		{"duplicate id", "id: small", "id: big", `parity.yaml:13:9: provider id "big" is used twice`},
		{"no model", "    model: small-1\n", "", "parity.yaml:13:7: no model"},
		{"unknown capability", "[json_schema, vision]", "[json_schema, eyes]", `parity.yaml:9:33: unknown capability "eyes"`},
		{"bad timeout", "timeout: 30s", "timeout: soon", `parity.yaml:12:14: timeout "soon"`},
		{"unknown field", "    limits:", "    limit:", `parity.yaml:8:5: unknown field "limit"`},
		// A shard's own limit above the provider's would let one shard pass it alone.
		{"shard rpm above rpm", "limits: {concurrency: 3}", "limits: {concurrency: 3, rpm: 60, shard_rpm: 61}", "parity.yaml:8:50: limits.shard_rpm 61 is above limits.rpm 60"},
		{"shard tpm above tpm", "limits: {concurrency: 3}", "limits: {tpm: 1000, shard_tpm: 2000}", "parity.yaml:8:36: limits.shard_tpm 2000 is above limits.tpm 1000"},
		{"negative shard rpm", "limits: {concurrency: 3}", "limits: {shard_rpm: -1}", "parity.yaml:8:13: limits cannot be negative"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if !strings.Contains(goodConfig, tt.edit) {
				t.Fatalf("edit %q not in config", tt.edit)
			}
			dir := writeFiles(t, map[string]string{"parity.yaml": strings.Replace(goodConfig, tt.edit, tt.with, 1)})
			_, err := LoadConfig(filepath.Join(dir, "parity.yaml"), env)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error:\n  %v\nwant it to contain:\n  %s", err, tt.want)
			}
		})
	}
}

func TestValidateNeedsRoles(t *testing.T) {
	t.Parallel()
	dir := writeFiles(t, map[string]string{
		"parity.yaml": "providers:\n  - {id: a, base_url: 'http://127.0.0.1:1/v1', model: m}\n",
		"s.yaml":      goodSuite,
	})
	cfg, err := LoadConfig(filepath.Join(dir, "parity.yaml"), mapEnv(nil))
	if err != nil {
		t.Fatal(err)
	}
	ss, err := Load(filepath.Join(dir, "s.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	err = Validate(cfg, ss)
	if err == nil || !strings.Contains(err.Error(), "s.yaml:16: the similarity check needs an embedder") {
		t.Fatalf("err = %v", err)
	}
	if err := cfg.Select([]string{"zz"}); err == nil || !strings.Contains(err.Error(), `unknown provider id "zz"`) {
		t.Fatalf("select unknown id: %v", err)
	}
}

// TestLoadConfigWithoutKeys: a config read only for what it says needs no
// key set, and reads none; the variables of base URLs still expand.
func TestLoadConfigWithoutKeys(t *testing.T) {
	t.Parallel()
	path := filepath.Join(writeFiles(t, map[string]string{"parity.yaml": goodConfig}), "parity.yaml")
	env := mapEnv(map[string]string{"FIXTURES": "http://127.0.0.1:9999"})
	if _, err := LoadConfig(path, env); err == nil || !strings.Contains(err.Error(), "BIG_KEY is not set") {
		t.Fatalf("without the key and the option: %v", err)
	}
	keyed := mapEnv(map[string]string{"BIG_KEY": "sk-test", "FIXTURES": "http://127.0.0.1:9999"})
	for _, env := range []Env{env, keyed} {
		cfg, err := LoadConfig(path, env, WithoutKeys())
		if err != nil {
			t.Fatal(err)
		}
		big := cfg.Provider("big")
		if big.APIKey != "" || big.APIKeyEnv != "BIG_KEY" || big.BaseURL != "http://127.0.0.1:9999/big/v1" {
			t.Errorf("key %q from %q, base_url %q", big.APIKey, big.APIKeyEnv, big.BaseURL)
		}
	}
}
