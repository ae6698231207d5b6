package cache

import (
	"regexp"
	"testing"
)

func TestKey(t *testing.T) {
	t.Parallel()
	const (
		url  = "https://api.example.com/v1"
		body = `{"model":"m","messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"hi"}],"stream":true,"temperature":0,"seed":7}`
	)
	type in struct{ url, model, body string }
	base := in{url, "m", body}
	tests := []struct {
		name string
		a, b in
		same bool
	}{
		{"identical", base, base, true},
		// encoding/json sorts keys at every level.
		{"key order", base, in{url, "m", `{"seed":7,"temperature":0,"stream":true,"messages":[{"content":"Be brief.","role":"system"},{"content":"hi","role":"user"}],"model":"m"}`}, true},
		{"whitespace", base, in{url, "m", "{\n  \"model\": \"m\",\n  \"messages\": [{\"role\": \"system\", \"content\": \"Be brief.\"}, {\"role\": \"user\", \"content\": \"hi\"}],\n  \"stream\": true, \"temperature\": 0, \"seed\": 7\n}\n"}, true},
		// NewClient trims it too: the same endpoint.
		{"trailing slash on base URL", base, in{url + "/", "m", body}, true},
		{"base URL", base, in{"https://api.example.org/v1", "m", body}, false},
		{"base URL path", base, in{"https://api.example.com/v2", "m", body}, false},
		{"model", base, in{url, "m2", body}, false},
		{"model case", base, in{url, "M", body}, false},
		// The bug go-openai's omitempty would cause: 0 is not "unset".
		{"temperature 0 vs absent", base, in{url, "m", `{"model":"m","messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"hi"}],"stream":true,"seed":7}`}, false},
		{"temperature 0 vs 0.7", base, in{url, "m", `{"model":"m","messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"hi"}],"stream":true,"temperature":0.7,"seed":7}`}, false},
		// Numbers keep their text: a needless miss, never a false hit.
		{"temperature 0 vs 0.0", base, in{url, "m", `{"model":"m","messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"hi"}],"stream":true,"temperature":0.0,"seed":7}`}, false},
		{"temperature null vs 0", base, in{url, "m", `{"model":"m","messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"hi"}],"stream":true,"temperature":null,"seed":7}`}, false},
		{"seeds past 2^53 stay apart", in{url, "m", `{"seed":9007199254740993}`}, in{url, "m", `{"seed":9007199254740992}`}, false},
		{"message content", base, in{url, "m", `{"model":"m","messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"hi!"}],"stream":true,"temperature":0,"seed":7}`}, false},
		{"message order", base, in{url, "m", `{"model":"m","messages":[{"role":"user","content":"hi"},{"role":"system","content":"Be brief."}],"stream":true,"temperature":0,"seed":7}`}, false},
		{"stream vs not", base, in{url, "m", `{"model":"m","messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"hi"}],"stream":false,"temperature":0,"seed":7}`}, false},
		{"string vs number", in{url, "m", `{"seed":7}`}, in{url, "m", `{"seed":"7"}`}, false},
		// Fields are length-prefixed: moving bytes between them changes the key.
		{"field boundaries", in{"https://a", "bc", "{}"}, in{"https://ab", "c", "{}"}, false},
		{"model moved into body", in{url, "m", `"x"`}, in{url, "", `m"x"`}, false},
		// Not JSON: hashed raw, byte for byte.
		{"raw body identical", in{url, "m", "not json"}, in{url, "m", "not json"}, true},
		{"raw body whitespace", in{url, "m", "not json"}, in{url, "m", "not  json"}, false},
		{"trailing garbage is raw", base, in{url, "m", body + "x"}, false},
		{"two values are raw", in{url, "m", `{"a":1}{"a":1}`}, in{url, "m", `{"a":1}`}, false},
		{"invalid UTF-8 is raw", in{url, "m", "\"a\xffb\""}, in{url, "m", "\"a\xfeb\""}, false},
		{"empty body", in{url, "m", ""}, in{url, "m", ""}, true},
	}
	hexKey := regexp.MustCompile(`^[0-9a-f]{64}$`)
	for _, tt := range tests {
		ka := Key(tt.a.url, tt.a.model, []byte(tt.a.body))
		kb := Key(tt.b.url, tt.b.model, []byte(tt.b.body))
		if !hexKey.MatchString(ka) || !validKey(ka) {
			t.Errorf("%s: key %q is not 64 hex digits", tt.name, ka)
		}
		if (ka == kb) != tt.same {
			t.Errorf("%s: same key = %v, want %v", tt.name, ka == kb, tt.same)
		}
	}
}

// TestKeyStable pins one key: a change to Key changes every key
// in every user's cache, so it must be deliberate (and bump version
// if old entries would be wrong, not just unreachable).
func TestKeyStable(t *testing.T) {
	t.Parallel()
	got := Key("https://api.openai.com/v1", "gpt-4o-mini", []byte(`{"model":"gpt-4o-mini","temperature":0}`))
	const want = "f851bfc4f08b9fcee2f148cb2fe80a32298eee9d686e69ae9cd0f9d2d81a84f4"
	if got != want {
		t.Errorf("Key = %s, want %s", got, want)
	}
}
