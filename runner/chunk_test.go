package runner

import (
	"encoding/json"
	"reflect"
	"testing"
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
