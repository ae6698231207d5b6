//go:build !race

package runner

import (
	"bytes"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/parity-eval/parity/suites"
)

// The allocation guards of collect's per-event work. The collector comes
// from a sync.Pool, which the race detector empties at random: they do
// not run under it (make simulate runs them).

// TestCollectorAllocs: with its chunk and text reused, a collector's
// event allocates only what the decoder must (the content's string);
// a role or usage event with no text, nothing more than the usage.
func TestCollectorAllocs(t *testing.T) {
	events := [][]byte{
		[]byte(`{"id":"c","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null}]}`),
		[]byte(`{"id":"c","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":"{\"order\": 5,"},"finish_reason":null}]}`),
		[]byte(`{"id":"c","object":"chat.completion.chunk","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}`),
		[]byte(`{"id":"c","object":"chat.completion.chunk","choices":[],"usage":{"prompt_tokens":12,"completion_tokens":7}}`),
	}
	col := collectors.Get().(*collector)
	var reply Reply
	start := time.Now()
	answer := func() {
		reply = Reply{}
		col.text = col.text[:0]
		for _, e := range events {
			if _, err := col.add(e, &reply, nil, start); err != nil {
				t.Fatal(err)
			}
		}
	}
	n := testing.AllocsPerRun(100, answer)
	if string(col.text) != `{"order": 5,` || reply.FinishReason != "stop" || reply.InputTokens != 12 {
		t.Fatalf("collected %q, %+v", col.text, reply)
	}
	// The content, the finish reason, the usage.
	if n > 3 {
		t.Errorf("an answer of four events allocates %v times, want at most 3", n)
	}
	col.release()
}

// TestExactParamsAllocs: writing the parameters into go-openai's body
// reads it into a pooled buffer and allocates only the body sent, its
// reader and GetBody; the messages of a request are one allocation.
func TestExactParamsAllocs(t *testing.T) {
	temp, max := 0.0, 50
	p := suites.Request{Temperature: &temp, MaxTokens: &max}
	body := []byte(`{"model":"m","messages":[{"role":"system","content":"Answer with JSON."},{"role":"user","content":"Extract: order 5"}],"stream":true}`)
	req, err := http.NewRequest(http.MethodPost, "http://p/v1/chat/completions", nil)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	n := testing.AllocsPerRun(100, func() {
		buf.Reset()
		buf.Write(body)
		req.Body = io.NopCloser(&buf) // as http.NewRequest wraps go-openai's buffer
		if err := exactParams(req, p); err != nil {
			t.Fatal(err)
		}
	})
	// The NopCloser above, then the body, its reader, its NopCloser and
	// GetBody.
	if n != 5 {
		t.Errorf("exactParams allocates %v times, want 5 (the test's 1, and 4)", n)
	}
	got, _ := io.ReadAll(req.Body)
	if want := `{"max_tokens":50,"temperature":0,` + string(body[1:]); string(got) != want || req.ContentLength != int64(len(want)) {
		t.Errorf("body %s (%d), want %s", got, req.ContentLength, want)
	}
	m := ChatRequest{Messages: suites.Messages{System: "s", User: "u"}}
	if n := testing.AllocsPerRun(100, func() { messages(m) }); n != 1 {
		t.Errorf("messages allocates %v times, want 1", n)
	}
}
