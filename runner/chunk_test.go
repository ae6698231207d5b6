package runner

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"reflect"
	"testing"

	"github.com/parity-eval/parity/suites"
)

// chunkSeeds are stream chunks as providers send them, and as hostile
// ones might: nulls, unknown fields, escapes, invalid UTF-8, duplicates,
// wrong types, truncation.
var chunkSeeds = []string{
	`{"id":"c1","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"role":"assistant","content":""},"logprobs":null,"finish_reason":null}]}`,
	`{"choices":[{"index":0,"delta":{"content":"{\"order\": 5, \u00e9 \ud83d\ude00"},"finish_reason":null}]}`,
	`{"choices":[{"delta":{"tool_calls":[{"index":0,"id":"t","type":"function","function":{"name":"f","arguments":"{\"a\":"}}]},"finish_reason":"tool_calls"}]}`,
	`{"choices":[],"usage":{"prompt_tokens":12,"completion_tokens":7,"total_tokens":19}}`,
	`{"choices":[{"delta":{"content":"a"},"finish_reason":"stop"}],"usage":null}`,
	"{\"choices\":[{\"delta\":{\"content\":\"bad \xff\xfe utf8\"}}]}",
	`{"choices":[{"delta":{"content":1}}]}`,
	`{"choices":[{"delta":{"content":"x"}}],"choices":[]}`,
	`{"usage":{"prompt_tokens":1e3}}`,
	`{"usage":{"prompt_tokens":-1,"completion_tokens":99999999999999999999}}`,
	`{"choices":[{"delta":{"content":"x"}`,
	`[]`, `null`, ``, `{"Choices":[{"Delta":{"Content":"case"}}]}`,
}

// FuzzDecodeChunk holds decodeChunk to encoding/json: the same chunk, or
// an error from both.
func FuzzDecodeChunk(f *testing.F) {
	for _, s := range chunkSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		var want, got streamChunk
		errWant := json.Unmarshal(raw, &want)
		errGot := decodeChunk(raw, &got)
		if (errWant == nil) != (errGot == nil) {
			t.Fatalf("%q: encoding/json %v, decodeChunk %v", raw, errWant, errGot)
		}
		if errWant == nil && !reflect.DeepEqual(want, got) {
			t.Fatalf("%q: encoding/json %+v, decodeChunk %+v", raw, want, got)
		}
	})
}

// TestChunksDoNotLeak streams chunks that name fewer fields than the one
// before: nothing of a chunk may reach the next (collect reuses one
// chunk's memory), so the text is said once, the tool call's pieces once
// each, and the usage is the last chunk's.
func TestChunksDoNotLeak(t *testing.T) {
	t.Parallel()
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/event-stream")
		for _, e := range []string{
			`{"choices":[{"index":0,"delta":{"content":"a"},"finish_reason":null},{"index":1,"delta":{"content":"b"}}]}`,
			`{"choices":[{"index":0,"delta":{}}]}`,
			`{"choices":[{"delta":{"tool_calls":[{"index":0,"id":"c","type":"function","function":{"name":"f","arguments":"{\"x\""}}]}}]}`,
			`{"choices":[{"delta":{"tool_calls":[{"index":0,"function":{"arguments":":1}"}}]}}]}`,
			`{"choices":[{"delta":{},"finish_reason":"stop"}],"usage":{"prompt_tokens":3,"completion_tokens":2}}`,
			`{"choices":[{"delta":{}}]}`,
			`{"choices":[]}`,
		} {
			fmt.Fprintf(w, "data: %s\n\n", e)
		}
		fmt.Fprint(w, "data: [DONE]\n\n")
	}))
	t.Cleanup(hs.Close)
	c := NewClient(&suites.Endpoint{BaseURL: hs.URL + "/v1", Model: "m"}, nil)
	reply, err := c.Chat(context.Background(), ChatRequest{Messages: suites.Messages{User: "hi"}})
	if err != nil {
		t.Fatal(err)
	}
	if reply.Text != "ab" || reply.FinishReason != "stop" || reply.InputTokens != 3 || reply.OutputTokens != 2 {
		t.Errorf("reply %+v", reply)
	}
	if len(reply.ToolCalls) != 1 || reply.ToolCalls[0].Arguments != `{"x":1}` || reply.ToolCalls[0].Name != "f" {
		t.Errorf("tool calls %+v", reply.ToolCalls)
	}
}
