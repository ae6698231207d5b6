package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"slices"
	"strconv"
	"time"

	"github.com/goccy/go-yaml"

	"github.com/parity-eval/parity/suites"
)

// rulesConfig loads the run's config for its endpoints, prices,
// capabilities, baseline and routing settings. The rules send nothing, so
// unset API keys are no error. The default config may be missing (nil, no
// error); a config named with --config may not.
func rulesConfig(path string, named bool, lookup suites.Env) (*suites.Config, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) && !named {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	keys := keyVariables(data)
	return suites.LoadConfig(path, func(name string) (string, bool) {
		if v, ok := lookup(name); ok || !slices.Contains(keys, name) {
			return v, ok
		}
		return "unused-by-parity-rules", true
	})
}

// keyVariables lists the environment variables a config reads API keys
// from; nil when the file does not parse (LoadConfig then says why).
func keyVariables(data []byte) []string {
	type keyed struct {
		APIKeyEnv string `yaml:"api_key_env"`
	}
	var raw struct {
		Providers []keyed `yaml:"providers"`
		Embedder  keyed   `yaml:"embedder"`
		Judge     keyed   `yaml:"judge"`
	}
	if yaml.Unmarshal(data, &raw) != nil {
		return nil
	}
	keys := []string{raw.Embedder.APIKeyEnv, raw.Judge.APIKeyEnv}
	for _, p := range raw.Providers {
		keys = append(keys, p.APIKeyEnv)
	}
	return keys
}

// clock is when the rules are written: SOURCE_DATE_EPOCH (seconds since
// 1970, the reproducible-builds convention) when set, else now.
func clock(lookup suites.Env) (time.Time, error) {
	v, ok := lookup("SOURCE_DATE_EPOCH")
	if !ok || v == "" {
		return time.Now(), nil
	}
	sec, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return time.Time{}, fmt.Errorf("SOURCE_DATE_EPOCH %q: want seconds since 1970", v)
	}
	return time.Unix(sec, 0).UTC(), nil
}
