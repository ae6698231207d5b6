package runner

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strings"

	openai "github.com/sashabaranov/go-openai"
)

// answers checks what a provider says with a 200 before go-openai reads
// it, because go-openai believes any 200: it reads an error body or an
// HTML page as an empty stream (a "truncated answer") or an empty
// completion, losing the provider's message.
//
//   - A JSON body with an "error" member is a *providerError with the
//     provider's message (class provider_error).
//   - A body that is neither JSON nor an event stream (an HTML login or
//     error page, plain text) is a *providerError quoting its start.
//   - A plain JSON completion answering a streamed request (the provider
//     ignored `stream: true`) is rewritten into the one-event stream it
//     stands for, marked with the unstreamedHeader so Chat leaves the time
//     to the first token unknown.
//
// It sits above doer, so the body it reads is already bounded and
// redacted. A 200 without a Content-Type passes as it is.
type answers struct {
	next openai.HTTPDoer
}

// unstreamedHeader marks a stream answers made from a plain JSON answer.
const unstreamedHeader = "X-Parity-Unstreamed"

// providerError is a 200 that carries no answer.
type providerError struct{ msg string }

func (e *providerError) Error() string { return e.msg }

// Do sends req and checks a 200 answer.
func (a answers) Do(req *http.Request) (*http.Response, error) {
	resp, err := a.next.Do(req)
	if err != nil || resp.StatusCode != http.StatusOK {
		return resp, err
	}
	streamed := strings.Contains(req.Header.Get("Accept"), "text/event-stream")
	media, _ := mediaType(resp.Header.Get("Content-Type"))
	switch {
	case media == "" || media == "text/event-stream":
		return resp, nil
	case media == "application/json" || strings.HasSuffix(media, "+json"):
		return checkJSON(resp, streamed)
	}
	defer resp.Body.Close()
	head, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
	return nil, &providerError{msg: fmt.Sprintf("the provider answered HTTP 200 with %s, neither JSON nor an event stream: %s", media, gist(head))}
}

// checkJSON reads a 200 JSON body: an error body is a *providerError; a
// completion answering a streamed request becomes a stream.
func checkJSON(resp *http.Response, streamed bool) (*http.Response, error) {
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return nil, err
	}
	var probe struct {
		Error json.RawMessage `json:"error"`
	}
	// go-openai decodes the body next: decode it here only when it can hold
	// an error member, not every embeddings answer of megabytes twice.
	if bytes.Contains(body, []byte(`"error"`)) && json.Unmarshal(body, &probe) == nil && len(probe.Error) > 0 && string(probe.Error) != "null" {
		return nil, &providerError{msg: "the provider answered HTTP 200 with an error: " + errorMessage(probe.Error)}
	}
	if streamed {
		if body, err = asStream(body); err != nil {
			return nil, err
		}
		resp.Header = resp.Header.Clone()
		resp.Header.Set("Content-Type", "text/event-stream")
		resp.Header.Set(unstreamedHeader, "true")
	}
	resp.Body, resp.ContentLength = io.NopCloser(bytes.NewReader(body)), int64(len(body))
	resp.Header.Del("Content-Length")
	return resp, nil
}

// errorMessage is an error member's message, type and code, or its JSON.
func errorMessage(raw json.RawMessage) string {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	var e struct {
		Message string `json:"message"`
		Type    string `json:"type"`
		Code    any    `json:"code"`
	}
	if json.Unmarshal(raw, &e) != nil || e.Message == "" {
		return gist(raw)
	}
	msg := e.Message
	if e.Type != "" {
		msg += " (type " + e.Type
		if e.Code != nil {
			msg += fmt.Sprintf(", code %v", e.Code)
		}
		msg += ")"
	}
	return msg
}

// asStream rewrites a chat completion as the event stream it stands for:
// one chunk with every choice whole, usage included, then [DONE].
func asStream(body []byte) ([]byte, error) {
	var c openai.ChatCompletionResponse
	if err := json.Unmarshal(body, &c); err != nil {
		return nil, &malformedError{msg: "a JSON answer to a streamed request that is not a chat completion: " + err.Error()}
	}
	if len(c.Choices) == 0 {
		return nil, &malformedError{msg: "a JSON answer to a streamed request without choices"}
	}
	chunk := openai.ChatCompletionStreamResponse{ID: c.ID, Object: "chat.completion.chunk", Created: c.Created, Model: c.Model, Usage: &c.Usage}
	for _, ch := range c.Choices {
		d := openai.ChatCompletionStreamChoiceDelta{Role: ch.Message.Role, Content: ch.Message.Content}
		for i, tc := range ch.Message.ToolCalls {
			tc.Index = &i
			d.ToolCalls = append(d.ToolCalls, tc)
		}
		chunk.Choices = append(chunk.Choices, openai.ChatCompletionStreamChoice{Index: ch.Index, Delta: d, FinishReason: ch.FinishReason})
	}
	raw, err := json.Marshal(chunk)
	if err != nil {
		return nil, err
	}
	return []byte("data: " + string(raw) + "\n\ndata: [DONE]\n\n"), nil
}

var (
	titlePattern = regexp.MustCompile(`(?is)<title[^>]*>(.*?)</title>`)
	tagPattern   = regexp.MustCompile(`(?s)<[^>]*>`)
)

// gist is the start of a body fit for a row: an HTML page's title, or
// its text with tags and runs of space removed, at most 200 bytes.
func gist(b []byte) string {
	s := string(b)
	if m := titlePattern.FindStringSubmatch(s); m != nil {
		s = m[1]
	} else {
		s = tagPattern.ReplaceAllString(s, " ")
	}
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > 200 {
		s = strings.ToValidUTF8(s[:200], "") + "..."
	}
	return fmt.Sprintf("%q", s)
}
