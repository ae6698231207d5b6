package runner

import (
	"bytes"
	"encoding/json"
	"math"
	"math/rand/v2"
	"net/http"
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

// TestAppendJSONFloat holds appendJSONFloat to encoding/json's float64
// encoding: both forms, the bounds between them, the exponent's padding,
// signed zero, the extremes, random values, and NaN and the infinities
// (which json.Marshal refuses: nothing is appended).
func TestAppendJSONFloat(t *testing.T) {
	t.Parallel()
	values := []float64{0, math.Copysign(0, -1), 0.5, 1, 2, 0.7, 1e-6, 9.99999e-7, 1e-7, 1.5e-9, 1e-10, 1e20, 1e21, 1.5e21, 1e100,
		-1e-7, -3.25, 123456789.125, math.SmallestNonzeroFloat64, math.MaxFloat64, math.NaN(), math.Inf(1), math.Inf(-1)}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 2000 {
		values = append(values, math.Float64frombits(rng.Uint64()), rng.Float64()*2, rng.NormFloat64()*1e-6)
	}
	for _, f := range values {
		want, _ := json.Marshal(f)
		if got := appendJSONFloat([]byte("x"), f); string(got) != "x"+string(want) {
			t.Errorf("appendJSONFloat(%v) = %s, want x%s", f, got, want)
		}
	}
}

// TestSpliceParamsAllocs guards the request path: the parameters are
// written into the body's one new buffer, with nothing else allocated.
func TestSpliceParamsAllocs(t *testing.T) {
	temp, topP, max := 0.0, 1e-7, 50
	p := suites.Request{Temperature: &temp, TopP: &topP, MaxTokens: &max}
	raw := []byte(`{"model":"m","messages":[{"role":"user","content":"hi"}],"stream":true}`)
	if n := testing.AllocsPerRun(100, func() { _, _ = spliceParams(raw, p) }); n != 1 {
		t.Errorf("spliceParams allocates %v times, want 1", n)
	}
}

// TestRedactorForAllocs: a request carrying only the configured key is
// redacted by the doer's redactor, found without allocating; one that
// carries another credential gets a redactor that knows it.
func TestRedactorForAllocs(t *testing.T) {
	d := &doer{secrets: []string{"sk-configured-key-0123456789abcdef"}}
	d.red = newRedactor(d.secrets)
	h := http.Header{"Authorization": {"Bearer sk-configured-key-0123456789abcdef"}, "Content-Type": {"application/json"}}
	if n := testing.AllocsPerRun(100, func() { _ = d.redactorFor(h) }); n != 0 || d.redactorFor(h) != d.red {
		t.Errorf("redactorFor the configured key allocates %v times (want 0), or is not the doer's", n)
	}
	h.Set("X-Api-Key", "another-key-of-the-request")
	if r := d.redactorFor(h); r == d.red || string(r.redact([]byte("another-key-of-the-request"))) != Redacted {
		t.Error("a credential the config does not name is not redacted")
	}
	if n := testing.AllocsPerRun(100, func() { _, _ = mediaType("text/event-stream") }); n != 0 {
		t.Errorf("mediaType of a bare event stream allocates %v times, want 0", n)
	}
}
