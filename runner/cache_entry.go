package runner

import (
	"encoding/json"
	"time"
)

// cacheEntry is the on-disk form of a Cached, one JSON object per file:
//
//	{"version":1,"key":"<the entry's key>","stored":"2026-01-02T15:04:05.123Z",
//	 "latency_ns":812000000,"reply":{"text":"...","finish_reason":"stop",
//	 "input_tokens":42,"output_tokens":7,"ttft_ns":95000000}}
//
// Its fields are named here rather than taken from Reply, so renaming a Go
// field never changes the format; a new Reply field needs a field here
// (TestCacheRoundTripEveryReplyField fails until it has one).
type cacheEntry struct {
	Version   int        `json:"version"`
	Key       string     `json:"key"`
	Stored    time.Time  `json:"stored"`
	LatencyNS int64      `json:"latency_ns"`
	Reply     cacheReply `json:"reply"`
	// Vectors holds an embeddings answer.
	Vectors [][]float64 `json:"vectors,omitempty"`
}

type cacheReply struct {
	Text         string     `json:"text"`
	FinishReason string     `json:"finish_reason"`
	ToolCalls    []ToolCall `json:"tool_calls,omitempty"`
	Image        string     `json:"image,omitempty"`
	InputTokens  int        `json:"input_tokens"`
	OutputTokens int        `json:"output_tokens"`
	TTFTNS       int64      `json:"ttft_ns"`
}

func newCacheEntry(key string, v Cached) cacheEntry {
	return cacheEntry{
		Version:   cacheVersion,
		Key:       key,
		Stored:    v.Stored.UTC(),
		LatencyNS: int64(v.Latency),
		Reply: cacheReply{
			Text:         v.Reply.Text,
			FinishReason: v.Reply.FinishReason,
			ToolCalls:    v.Reply.ToolCalls,
			Image:        v.Reply.Image,
			InputTokens:  v.Reply.InputTokens,
			OutputTokens: v.Reply.OutputTokens,
			TTFTNS:       int64(v.Reply.TTFT),
		},
		Vectors: v.Vectors,
	}
}

// decodeCacheEntry reads the entry stored under key. An entry of another
// version is lookupVersion; anything that is not a whole entry for key
// (truncated, not JSON, no version, another key, no time) is lookupCorrupt.
func decodeCacheEntry(key string, data []byte) (Cached, lookupStatus) {
	var e cacheEntry
	if err := json.Unmarshal(data, &e); err != nil {
		// Another version may have changed a field's type: still only a miss.
		var probe struct {
			Version int `json:"version"`
		}
		if json.Unmarshal(data, &probe) == nil && probe.Version != 0 && probe.Version != cacheVersion {
			return Cached{}, lookupVersion
		}
		return Cached{}, lookupCorrupt
	}
	switch {
	case e.Version == 0:
		return Cached{}, lookupCorrupt
	case e.Version != cacheVersion:
		return Cached{}, lookupVersion
	case e.Key != key || e.Stored.IsZero():
		return Cached{}, lookupCorrupt
	}
	return Cached{
		Reply: Reply{
			Text:         e.Reply.Text,
			FinishReason: e.Reply.FinishReason,
			ToolCalls:    e.Reply.ToolCalls,
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
