//go:build !race

package runner

import (
	"testing"
	"time"
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
