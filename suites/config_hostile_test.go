package suites

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestHostileConfigs checks what a config can get wrong that once passed
// validate and failed only after paying: prices that are not numbers,
// control characters in headers and keys (issue 11, failure 8).
func TestHostileConfigs(t *testing.T) {
	t.Parallel()
	const head = "providers:\n  - id: p\n    base_url: http://127.0.0.1:1/v1\n    model: m\n"
	tests := []struct {
		name   string
		config string
		env    map[string]string
		want   string
	}{
		// .nan passed `< 0` and costed every row NaN.
		{"NaN price", head + "    price: {input: .nan, output: 1}\n", nil, "parity.yaml:5:20: price.input is NaN: want a finite USD amount"},
		{"infinite price", head + "    price: {input: 1, output: .inf}\n", nil, "parity.yaml:5:31: price.output is +Inf"},
		{"negative image price", head + "    price: {image: -0.04}\n", nil, "parity.yaml:5:20: price.image is -0.04"},
		{"NaN judge price", head + "    price: {input: 1, output: 1}\njudge: {provider: p, price: {input: .nan}}\n", nil, "parity.yaml:6:37: price.input is NaN"},
		// Every request then failed after three attempts.
		{"CR LF in a header value", head + "    headers: {X-App: \"parity\\r\\nX-Evil: 1\"}\n", nil, `parity.yaml:5:22: header X-App holds a control character (U+000D at byte 6)`},
		{"newline in a header name", head + "    headers: {\"X-App\\nB\": v}\n", nil, `header name "X-App\nB": use letters, digits`},
		{"space in a header name", head + "    headers: {X App: v}\n", nil, `header name "X App"`},
		{"metadata header name", head + "    metadata_headers: {feature: \"X-F\\r\"}\n", nil, `metadata_headers.feature: header name "X-F\r"`},
		{"newline in a key", head + "    api_key_env: P_KEY\n", map[string]string{"P_KEY": "sk-first\nsk-second"}, "parity.yaml:5:18: environment variable P_KEY holds a control character (U+000A at byte 8)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dir := writeFiles(t, map[string]string{"parity.yaml": tt.config})
			_, err := LoadConfig(filepath.Join(dir, "parity.yaml"), mapEnv(tt.env))
			if err == nil {
				t.Fatalf("loaded a broken config; want error containing %q", tt.want)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error:\n  %v\nwant it to contain:\n  %s", err, tt.want)
			}
			if strings.Contains(err.Error(), "sk-") {
				t.Errorf("the error prints the key: %v", err)
			}
		})
	}
}

// TestConfigWarnsUnpriced checks a provider without a price is a warning
// naming it and its line (it once counted as free, silently), and that an
// explicit zero price is not.
func TestConfigWarnsUnpriced(t *testing.T) {
	t.Parallel()
	config := "providers:\n  - id: priced\n    base_url: http://127.0.0.1:1/v1\n    model: m\n    price: {input: 1, output: 2}\n" +
		"  - id: local\n    base_url: http://127.0.0.1:2/v1\n    model: m\n    price: {input: 0, output: 0}\n" +
		"  - id: unpriced\n    base_url: http://127.0.0.1:3/v1\n    model: m\n"
	dir := writeFiles(t, map[string]string{"parity.yaml": config})
	cfg, err := LoadConfig(filepath.Join(dir, "parity.yaml"), mapEnv(nil))
	if err != nil {
		t.Fatal(err)
	}
	if len(cfg.Warnings) != 1 {
		t.Fatalf("warnings = %v, want one for unpriced", cfg.Warnings)
	}
	if w := cfg.Warnings[0].Error(); !strings.Contains(w, "parity.yaml:10:7: provider unpriced has no price") {
		t.Errorf("warning = %s", w)
	}
	for _, p := range cfg.Providers {
		if want := p.ID == "unpriced"; p.Unpriced != want {
			t.Errorf("%s: Unpriced = %v, want %v", p.ID, p.Unpriced, want)
		}
	}
}
