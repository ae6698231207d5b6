package cache

import (
	"encoding/json"
	"time"
)

// Entry is one cache entry: an answer and what it cost in time when it was
// first asked for.
type Entry struct {
	// Reply is the provider's answer.
	Reply Reply
	// Latency is the original request's latency.
	Latency time.Duration
	// Stored is when the reply was received; TTL expiry counts from it.
	Stored time.Time
	// Vectors is an embeddings answer (Reply then holds only its tokens).
	Vectors [][]float64
}

// Reply is a chat or image answer as the cache keeps it: the package's
// own record, which runner converts its Reply to and from.
type Reply struct {
	Text         string
	FinishReason string
	// ToolCalls are the functions the model called, arguments as sent.
	ToolCalls []ToolCall
	// Image is a generated image as a data: URL.
	Image        string
	InputTokens  int
	OutputTokens int
	// TTFT is the time to the first content delta.
	TTFT time.Duration
}

// ToolCall is a function call the model made, its arguments the JSON text
// exactly as the model wrote it (which may not be valid JSON).
type ToolCall struct {
	Name      string
	Arguments string
}

// record is the on-disk form of an Entry, one JSON object per file:
//
//	{"version":1,"key":"<the entry's key>","stored":"2026-01-02T15:04:05.123Z",
//	 "latency_ns":812000000,"reply":{"text":"...","finish_reason":"stop",
//	 "tool_calls":[{"name":"f","arguments":"{}"}],"image":"data:...",
//	 "input_tokens":42,"output_tokens":7,"ttft_ns":95000000},
//	 "vectors":[[0.1,0.2]]}
//
// tool_calls, image and vectors are left out when empty. Its fields are
// named here rather than taken from Entry and Reply, so renaming a Go
// field never changes the format; a new Reply field needs a field here
// (TestRoundTripEveryReplyField fails until it has one), and a change to
// what is here needs a new version.
type record struct {
	Version   int         `json:"version"`
	Key       string      `json:"key"`
	Stored    time.Time   `json:"stored"`
	LatencyNS int64       `json:"latency_ns"`
	Reply     recordReply `json:"reply"`
	// Vectors holds an embeddings answer.
	Vectors [][]float64 `json:"vectors,omitempty"`
}

// recordReply is the on-disk form of a Reply.
type recordReply struct {
	Text         string           `json:"text"`
	FinishReason string           `json:"finish_reason"`
	ToolCalls    []recordToolCall `json:"tool_calls,omitempty"`
	Image        string           `json:"image,omitempty"`
	InputTokens  int              `json:"input_tokens"`
	OutputTokens int              `json:"output_tokens"`
	TTFTNS       int64            `json:"ttft_ns"`
}

// recordToolCall is the on-disk form of a ToolCall: the shape
// runner.ToolCall had when version 1 stored it directly.
type recordToolCall struct {
	Name      string `json:"name"`
	Arguments string `json:"arguments"`
}

// newRecord is v as stored under key.
func newRecord(key string, v Entry) record {
	return record{
		Version:   version,
		Key:       key,
		Stored:    v.Stored.UTC(),
		LatencyNS: int64(v.Latency),
		Reply: recordReply{
			Text:         v.Reply.Text,
			FinishReason: v.Reply.FinishReason,
			ToolCalls:    convertCalls[recordToolCall](v.Reply.ToolCalls),
			Image:        v.Reply.Image,
			InputTokens:  v.Reply.InputTokens,
			OutputTokens: v.Reply.OutputTokens,
			TTFTNS:       int64(v.Reply.TTFT),
		},
		Vectors: v.Vectors,
	}
}

// decodeRecord reads the entry stored under key. An entry of another
// version is lookupVersion; anything that is not a whole entry for key
// (truncated, not JSON, no version, another key, no time) is lookupCorrupt.
func decodeRecord(key string, data []byte) (Entry, lookupStatus) {
	var e record
	if err := json.Unmarshal(data, &e); err != nil {
		// Another version may have changed a field's type: still only a miss.
		var probe struct {
			Version int `json:"version"`
		}
		if json.Unmarshal(data, &probe) == nil && probe.Version != 0 && probe.Version != version {
			return Entry{}, lookupVersion
		}
		return Entry{}, lookupCorrupt
	}
	switch {
	case e.Version == 0:
		return Entry{}, lookupCorrupt
	case e.Version != version:
		return Entry{}, lookupVersion
	case e.Key != key || e.Stored.IsZero():
		return Entry{}, lookupCorrupt
	}
	return Entry{
		Reply: Reply{
			Text:         e.Reply.Text,
			FinishReason: e.Reply.FinishReason,
			ToolCalls:    convertCalls[ToolCall](e.Reply.ToolCalls),
			Image:        e.Reply.Image,
			InputTokens:  e.Reply.InputTokens,
			OutputTokens: e.Reply.OutputTokens,
			TTFT:         time.Duration(e.Reply.TTFTNS),
		},
		Latency: time.Duration(e.LatencyNS),
		Stored:  e.Stored,
		Vectors: e.Vectors,
	}, lookupHit
}

// convertCalls converts between ToolCall and its record, which have the
// same fields. An empty list is nil, as an absent one decodes.
func convertCalls[To, From ToolCall | recordToolCall](calls []From) []To {
	if len(calls) == 0 {
		return nil
	}
	out := make([]To, len(calls))
	for i, c := range calls {
		out[i] = To(c)
	}
	return out
}
