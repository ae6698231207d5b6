package export

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
)

// PortkeyConfigHeader is the request header the gateway reads its config
// from; PortkeyMetadataHeader carries the request's metadata (a JSON
// object of strings), which the conditions match on.
const (
	PortkeyConfigHeader   = "x-portkey-config"
	PortkeyMetadataHeader = "x-portkey-metadata"
)

// PortkeyHeader returns a Portkey config (the JSON WritePortkey writes)
// as the value of PortkeyConfigHeader: compacted, with each api_key
// reference "env:VAR" replaced by lookup(VAR). A caller runs it when it
// sends requests, from its own environment (os.LookupEnv), so the key is
// only ever in memory. A variable lookup lacks is an error naming every
// such variable; PortkeyNoKey and any other api_key stay as they are.
func PortkeyHeader(config []byte, lookup func(string) (string, bool)) (string, error) {
	dec := json.NewDecoder(bytes.NewReader(config))
	dec.UseNumber()
	var cfg any
	if err := dec.Decode(&cfg); err != nil {
		return "", fmt.Errorf("portkey config: %w", err)
	}
	missing := map[string]bool{}
	fillKeys(cfg, lookup, missing)
	if len(missing) > 0 {
		names := make([]string, 0, len(missing))
		for name := range missing {
			names = append(names, name)
		}
		sort.Strings(names)
		return "", fmt.Errorf("portkey config: no value for the key variable(s) %s", strings.Join(names, ", "))
	}
	var out bytes.Buffer
	enc := json.NewEncoder(&out)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(cfg); err != nil {
		return "", fmt.Errorf("portkey config: %w", err)
	}
	return strings.TrimSuffix(out.String(), "\n"), nil
}

// fillKeys replaces the key references in v, a decoded JSON value, and
// notes the variables lookup lacks in missing.
func fillKeys(v any, lookup func(string) (string, bool), missing map[string]bool) {
	switch v := v.(type) {
	case map[string]any:
		for k, child := range v {
			ref, isRef := child.(string)
			name, found := strings.CutPrefix(ref, PortkeyKeyPrefix)
			if k != "api_key" || !isRef || !found {
				fillKeys(child, lookup, missing)
				continue
			}
			if key, ok := lookup(name); ok && key != "" {
				v[k] = key
			} else {
				missing[name] = true
			}
		}
	case []any:
		for _, child := range v {
			fillKeys(child, lookup, missing)
		}
	}
}
