package runner

import (
	"bytes"
	"encoding/json"
	"reflect"
	"testing"

	"github.com/parity-eval/parity/suites"
)

// TestSpliceParams holds the body on the wire to the cache's canonical
// one: the same object (every set parameter once, zero included, its
// value as encoding/json writes it) for every combination of parameters,
// values zero and not, and an empty object.
func TestSpliceParams(t *testing.T) {
	t.Parallel()
	zero, half, one := 0.0, 0.5, 1e-7
	n0, n50 := 0, 50
	bodies := []string{`{"model":"m","messages":[{"role":"user","content":"{\"a\":1}"}],"stream":true}`, `{}`, ` { }`}
	for _, raw := range bodies {
		for _, temp := range []*float64{nil, &zero, &half} {
			for _, topP := range []*float64{nil, &zero, &one} {
				for _, max := range []*int{nil, &n0, &n50} {
					p := suites.Request{Temperature: temp, TopP: topP, MaxTokens: max}
					if !hasExactParams(p) {
						continue
					}
					wire, err := spliceParams([]byte(raw), p)
					if err != nil {
						t.Fatal(err)
					}
					canon, err := patchBody([]byte(raw), p)
					if err != nil {
						t.Fatal(err)
					}
					var a, b map[string]json.RawMessage
					if err := json.Unmarshal(wire, &a); err != nil {
						t.Fatalf("%s: wire body %s: %v", raw, wire, err)
					}
					if err := json.Unmarshal(canon, &b); err != nil {
						t.Fatal(err)
					}
					if !reflect.DeepEqual(a, b) {
						t.Errorf("wire %s, canonical %s", wire, canon)
					}
					for k := range a {
						if n := bytes.Count(wire, []byte(`"`+k+`":`)); n != 1 && k != "content" {
							t.Errorf("%s %d times in %s", k, n, wire)
						}
					}
				}
			}
		}
	}
	if _, err := spliceParams([]byte(`[1]`), suites.Request{TopP: &half}); err == nil {
		t.Error("a JSON array took parameters")
	}
}

// TestIsEventStream: the Content-Type of an event stream in any case and
// with parameters, and nothing else.
func TestIsEventStream(t *testing.T) {
	t.Parallel()
	for ct, want := range map[string]bool{
		"text/event-stream": true, "Text/Event-Stream; charset=utf-8": true, " text/event-stream ": true,
		"application/json": false, "text/event-streams": false, "": false,
	} {
		if got := isEventStream(ct); got != want {
			t.Errorf("isEventStream(%q) = %v, want %v", ct, got, want)
		}
	}
}
