package runner

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"sort"
	"sync"
	"time"

	openai "github.com/sashabaranov/go-openai"
	segjson "github.com/segmentio/encoding/json"
)

// ToolCall is a function call the model made. Arguments are the JSON text
// exactly as the model wrote it, which may not be valid JSON.
type ToolCall struct {
	Name      string `json:"name"`
	Arguments string `json:"arguments"`
}

// Chat streams one chat completion and collects it: text, tool calls,
// usage and the time to the first token. A stream that ends without a
// finish reason is an error of class malformed: a truncated answer is not
// scored as if it were whole. An endpoint with NoStream (`stream: false`)
// is asked unstreamed, and a provider that answers a streamed request
// with plain JSON is read as it answered: either way the time to the
// first token is unknown, zero.
//
// The reply and the error are redacted once more as a whole (see
// redactReply): what Chat returns is what rows, the cache and the journal
// keep.
func (c *Client) Chat(ctx context.Context, req ChatRequest) (Reply, error) {
	ctx, cancel := c.bound(ctx)
	defer cancel()
	ctx = withRequestOptions(ctx, req.Headers, req.Params, req.seen)
	reply, err := c.chat(ctx, req)
	red := c.redactorFor(req.Headers)
	return red.redactReply(reply), red.redactErr(err)
}

// chat is Chat before the second pass.
func (c *Client) chat(ctx context.Context, req ChatRequest) (Reply, error) {
	if c.endpoint.NoStream {
		return c.unstreamed(ctx, req)
	}
	start := time.Now()
	stream, err := c.api.CreateChatCompletionStream(ctx, c.Request(req))
	if err != nil {
		return Reply{}, err
	}
	defer stream.Close()
	reply, err := collect(stream, start)
	if stream.Header().Get(unstreamedHeader) != "" {
		reply.TTFT = 0
	}
	return reply, err
}

// streamChunk is what collect reads of a chunk of a streamed chat
// completion: go-openai's ChatCompletionStreamResponse without the fields
// parity does not keep (ids, model, fingerprint, log-probabilities),
// which encoding/json would otherwise build for every chunk.
type streamChunk struct {
	Choices []struct {
		Delta struct {
			Content   string            `json:"content"`
			ToolCalls []openai.ToolCall `json:"tool_calls"`
		} `json:"delta"`
		FinishReason string `json:"finish_reason"`
	} `json:"choices"`
	Usage *struct {
		PromptTokens     int `json:"prompt_tokens"`
		CompletionTokens int `json:"completion_tokens"`
	} `json:"usage"`
}

// reset empties c for the next chunk, keeping the array of its choices:
// every element is zeroed, so nothing of one chunk reaches the next
// (a decoder fills only the fields a chunk names).
func (c *streamChunk) reset() {
	clear(c.Choices[:cap(c.Choices)])
	c.Choices, c.Usage = c.Choices[:0], nil
}

// decodeChunk decodes one event's JSON as encoding/json would, about
// three times faster (segmentio/encoding runs encoding/json's own tests;
// FuzzDecodeChunk holds the two equal on hostile bytes): the chunks of
// every answer were the largest cost of parity's own per result.
func decodeChunk(raw []byte, chunk *streamChunk) error { return segjson.Unmarshal(raw, chunk) }

// collect reads a stream to its end. go-openai reads the events
// (RecvRaw); each chunk is decoded into a collector's streamChunk.
func collect(stream *openai.ChatCompletionStream, start time.Time) (Reply, error) {
	col := collectors.Get().(*collector)
	defer col.release()
	var (
		reply Reply
		calls map[int]*ToolCall
	)
	for {
		raw, err := stream.RecvRaw()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return Reply{}, err
		}
		if calls, err = col.add(raw, &reply, calls, start); err != nil {
			return Reply{}, err
		}
	}
	reply.Text, reply.ToolCalls = string(col.text), orderedCalls(calls)
	if reply.FinishReason == "" {
		return reply, &malformedError{msg: "stream ended without a finish reason (truncated answer)"}
	}
	return reply, nil
}

// collector is what collect reuses from one answer to the next: the
// chunk every event is decoded into, and the text so far, which becomes
// the reply's in one copy at the end instead of a builder's growth.
type collector struct {
	chunk streamChunk
	text  []byte
}

// collectors holds collectors between answers (see keptBuf).
var collectors = sync.Pool{New: func() any { return new(collector) }}

// release empties col, dropping what it references of the answer, and
// gives it back.
func (col *collector) release() {
	col.chunk.reset()
	col.text = col.text[:0]
	if cap(col.text) > keptBuf {
		col.text = nil
	}
	collectors.Put(col)
}

// add decodes one event's chunk into reply: its usage, time to the first
// token, text, tool calls (into calls, made on the first) and finish
// reason.
func (col *collector) add(raw []byte, reply *Reply, calls map[int]*ToolCall, start time.Time) (map[int]*ToolCall, error) {
	chunk := &col.chunk
	chunk.reset()
	if err := decodeChunk(raw, chunk); err != nil {
		return calls, err
	}
	if chunk.Usage != nil {
		reply.InputTokens = chunk.Usage.PromptTokens
		reply.OutputTokens = chunk.Usage.CompletionTokens
	}
	for _, ch := range chunk.Choices {
		if (ch.Delta.Content != "" || len(ch.Delta.ToolCalls) > 0) && reply.TTFT == 0 {
			reply.TTFT = time.Since(start)
		}
		col.text = append(col.text, ch.Delta.Content...)
		if len(ch.Delta.ToolCalls) > 0 {
			if calls == nil {
				calls = map[int]*ToolCall{}
			}
			collectToolCalls(calls, ch.Delta.ToolCalls)
		}
		if ch.FinishReason != "" {
			reply.FinishReason = ch.FinishReason
		}
	}
	return calls, nil
}

// unstreamed sends req as one unstreamed chat completion.
func (c *Client) unstreamed(ctx context.Context, req ChatRequest) (Reply, error) {
	r := c.Request(req)
	r.Stream, r.StreamOptions = false, nil
	resp, err := c.api.CreateChatCompletion(ctx, r)
	if err != nil {
		return Reply{}, err
	}
	if len(resp.Choices) == 0 {
		return Reply{}, &malformedError{msg: "answer has no choices"}
	}
	ch := resp.Choices[0]
	reply := Reply{
		Text: ch.Message.Content, FinishReason: string(ch.FinishReason),
		InputTokens: resp.Usage.PromptTokens, OutputTokens: resp.Usage.CompletionTokens,
	}
	for _, tc := range ch.Message.ToolCalls {
		reply.ToolCalls = append(reply.ToolCalls, ToolCall{Name: tc.Function.Name, Arguments: tc.Function.Arguments})
	}
	if reply.FinishReason == "" {
		return reply, &malformedError{msg: "answer without a finish reason (truncated answer)"}
	}
	return reply, nil
}

// collectToolCalls adds streamed tool-call deltas: the first delta of a
// call names it, the following ones carry pieces of its arguments.
func collectToolCalls(calls map[int]*ToolCall, deltas []openai.ToolCall) {
	for i, d := range deltas {
		idx := i
		if d.Index != nil {
			idx = *d.Index
		}
		tc := calls[idx]
		if tc == nil {
			tc = &ToolCall{}
			calls[idx] = tc
		}
		if d.Function.Name != "" {
			tc.Name = d.Function.Name
		}
		tc.Arguments += d.Function.Arguments
	}
}

func orderedCalls(calls map[int]*ToolCall) []ToolCall {
	if len(calls) == 0 {
		return nil
	}
	idx := make([]int, 0, len(calls))
	for i := range calls {
		idx = append(idx, i)
	}
	sort.Ints(idx)
	out := make([]ToolCall, len(idx))
	for i, k := range idx {
		out[i] = *calls[k]
	}
	return out
}

// Request builds the go-openai request Chat sends for req, streamed with
// usage: the system message, earlier turns, the user message with its
// images as content parts, tools and the response format. The HTTP layer
// then writes temperature, top_p and max_tokens into the body exactly.
func (c *Client) Request(req ChatRequest) openai.ChatCompletionRequest {
	model := req.Model
	if model == "" {
		model = c.endpoint.Model
	}
	r := openai.ChatCompletionRequest{
		Model:         model,
		Messages:      messages(req),
		Stream:        true,
		StreamOptions: &openai.StreamOptions{IncludeUsage: true},
		Stop:          req.Params.Stop,
		Seed:          req.Params.Seed,
	}
	// Temperature, top_p and max_tokens are not set here: go-openai's
	// omitempty tags would drop a zero. doer writes them into the body
	// exactly as the suite set them.
	for _, t := range req.Tools {
		r.Tools = append(r.Tools, openai.Tool{Type: openai.ToolTypeFunction, Function: &openai.FunctionDefinition{
			Name: t.Name, Description: t.Description, Parameters: json.RawMessage(t.Parameters),
		}})
	}
	if req.ToolChoice != "" {
		r.ToolChoice = req.ToolChoice
	}
	if f := req.Format; f != nil {
		r.ResponseFormat = &openai.ChatCompletionResponseFormat{Type: openai.ChatCompletionResponseFormatType(f.Type)}
		if f.Type == "json_schema" {
			r.ResponseFormat.JSONSchema = &openai.ChatCompletionResponseFormatJSONSchema{
				Name: f.Name, Schema: json.RawMessage(f.Schema), Strict: f.Strict,
			}
		}
	}
	return r
}

func messages(req ChatRequest) []openai.ChatCompletionMessage {
	m := req.Messages
	msgs := make([]openai.ChatCompletionMessage, 0, len(m.Turns)+2) // one allocation, not one per message
	if m.System != "" {
		msgs = append(msgs, openai.ChatCompletionMessage{Role: openai.ChatMessageRoleSystem, Content: m.System})
	}
	for _, t := range m.Turns {
		msgs = append(msgs, openai.ChatCompletionMessage{Role: t.Role, Content: t.Content})
	}
	user := openai.ChatCompletionMessage{Role: openai.ChatMessageRoleUser, Content: m.User}
	if len(m.Images) > 0 {
		// go-openai refuses Content and MultiContent together.
		user.Content = ""
		user.MultiContent = []openai.ChatMessagePart{{Type: openai.ChatMessagePartTypeText, Text: m.User}}
		for _, img := range m.Images {
			user.MultiContent = append(user.MultiContent, openai.ChatMessagePart{
				Type: openai.ChatMessagePartTypeImageURL, ImageURL: &openai.ChatMessageImageURL{URL: img.URL},
			})
		}
	}
	return append(msgs, user)
}
