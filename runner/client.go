package runner

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"

	openai "github.com/sashabaranov/go-openai"

	"github.com/parity-eval/parity/runner/cache"
	"github.com/parity-eval/parity/suites"
)

// Client talks to one OpenAI-compatible endpoint. Every call goes through
// go-openai; the HTTP layer underneath adds the endpoint's headers and keeps
// request parameters exactly as the suite wrote them (see doer).
type Client struct {
	endpoint *suites.Endpoint
	api      *openai.Client
	cache    *cache.Cache
	// doer is the HTTP layer under api: its redactor makes the second
	// pass over every answer.
	doer *doer
	// transport is the connection pool the client owns (clientFor's),
	// nil when it was given its HTTP client.
	transport *http.Transport
}

// WithCache returns a copy of c whose Complete and Embed answer from
// responses when it holds the answer, and store what they receive. A
// cached answer reports zero tokens: nothing was billed for it.
func (c *Client) WithCache(responses *cache.Cache) *Client {
	cp := *c
	cp.cache = responses
	return &cp
}

// NewClient returns a client for e. httpClient may be nil for a default one;
// it must not set a Timeout, which would cut long streams: calls are bounded
// by their context and the endpoint's Timeout instead.
//
// Every answer is read bounded (MaxResponseBytes, default
// suites.DefaultMaxResponseBytes) and with credentials redacted: e's key,
// those Redact names, the credential headers of each request, and
// credential-shaped strings (see credentialShapes). They are redacted
// twice: in the bytes as they arrive, and in the answer as assembled
// (its text, tool calls, finish reason and error), where a key a stream
// split across events or JSON spelled with \u escapes is whole.
func NewClient(e *suites.Endpoint, httpClient *http.Client, opts ...ClientOption) *Client {
	if httpClient == nil {
		httpClient = &http.Client{}
	}
	d := &doer{client: httpClient, headers: e.Headers, limit: suites.DefaultMaxResponseBytes}
	for _, o := range opts {
		o(d)
	}
	d.secrets = append(d.secrets, Secrets(&suites.Config{Judge: e})...)
	d.red = newRedactor(d.secrets)
	cfg := openai.DefaultConfig(e.APIKey)
	cfg.BaseURL = strings.TrimRight(e.BaseURL, "/")
	cfg.HTTPClient = answers{next: d}
	return &Client{endpoint: e, api: openai.NewClientWithConfig(cfg), doer: d}
}

// ClientOption configures a Client.
type ClientOption func(*doer)

// MaxResponseBytes bounds each answer's body, counted after
// decompression; a longer one fails with a *TooLargeError (class
// too_large). n <= 0 keeps the default.
func MaxResponseBytes(n int64) ClientOption {
	return func(d *doer) {
		if n > 0 {
			d.limit = n
		}
	}
}

// Redact names more credentials to replace with Redacted in whatever the
// provider sends: every key of the config, not only the endpoint's.
func Redact(secrets ...string) ClientOption {
	return func(d *doer) { d.secrets = append(d.secrets, secrets...) }
}

// clientFor returns the client of provider p: its limits, and every key
// of the run's config redacted. Unless the runner was given an HTTP
// client (HTTPClient), it has a transport of its own, sized to p's
// concurrency (NewTransport), which its workers share.
func (r *Runner) clientFor(p *suites.Provider) *Client {
	opts := []ClientOption{MaxResponseBytes(p.Limits.MaxResponseBytes), Redact(Secrets(r.cfg)...)}
	if r.http != nil {
		return NewClient(&p.Endpoint, r.http, opts...)
	}
	t := NewTransport(p.Limits.Concurrency)
	c := NewClient(&p.Endpoint, &http.Client{Transport: reuse{t}}, opts...)
	c.transport = t
	return c
}

// closeIdle closes the kept-alive connections of the transport c owns,
// once nothing more is sent through it; a client given its HTTP client
// leaves that client's alone.
func (c *Client) closeIdle() {
	if c.transport != nil {
		c.transport.CloseIdleConnections()
	}
}

// ChatRequest is one chat completion to send.
type ChatRequest struct {
	Messages suites.Messages
	Params   suites.Request
	// Tools are offered to the model; ToolChoice is sent when set.
	Tools      []*suites.Tool
	ToolChoice string
	// Format asks for JSON natively when set.
	Format *suites.ResponseFormat
	// Headers are per-request headers (mapped from metadata).
	Headers map[string]string
	// Model overrides the endpoint's model when set.
	Model string
	// seen collects the response's Retry-After for the retry loop.
	seen *responseMeta
}

// Reply is a successful chat completion.
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

// Complete sends one non-streaming chat completion (used by the judge,
// whose latency is not measured).
func (c *Client) Complete(ctx context.Context, req ChatRequest) (Reply, error) {
	ctx, cancel := c.bound(ctx)
	defer cancel()
	ctx = withRequestOptions(ctx, req.Headers, req.Params, req.seen)
	r := c.Request(req)
	r.Stream, r.StreamOptions = false, nil
	key := c.key(r, req.Params)
	red := c.redactorFor(req.Headers)
	if hit, ok := c.lookup(key); ok {
		reply := red.redactReply(fromCacheReply(hit.Reply))
		reply.InputTokens, reply.OutputTokens = 0, 0
		return reply, nil
	}
	resp, err := c.api.CreateChatCompletion(ctx, r)
	if err != nil {
		return Reply{}, red.redactErr(err)
	}
	if len(resp.Choices) == 0 {
		return Reply{}, &malformedError{msg: "answer has no choices"}
	}
	reply := Reply{
		Text:         resp.Choices[0].Message.Content,
		FinishReason: string(resp.Choices[0].FinishReason),
		InputTokens:  resp.Usage.PromptTokens,
		OutputTokens: resp.Usage.CompletionTokens,
	}
	reply = red.redactReply(reply)
	c.store(key, cache.Entry{Reply: toCacheReply(reply)})
	return reply, nil
}

// Embed returns one embedding per text, in order, and the input tokens billed.
func (c *Client) Embed(ctx context.Context, texts []string) ([][]float64, int, error) {
	// Each text is cached on its own: which texts share a request depends
	// on the order results arrive in, which differs from run to run.
	out := make([][]float64, len(texts))
	keys := make([]string, len(texts))
	var missing []string
	for i, t := range texts {
		keys[i] = c.key(openai.EmbeddingRequestStrings{Input: []string{t}, Model: openai.EmbeddingModel(c.endpoint.Model)}, suites.Request{})
		if hit, ok := c.lookup(keys[i]); ok && len(hit.Vectors) == 1 {
			out[i] = hit.Vectors[0]
		} else {
			missing = append(missing, t)
		}
	}
	if len(missing) == 0 {
		return out, 0, nil
	}
	vecs, tokens, err := c.embed(ctx, missing)
	if err != nil {
		return nil, 0, err
	}
	next := 0
	for i := range out {
		if out[i] == nil {
			out[i] = vecs[next]
			c.store(keys[i], cache.Entry{Vectors: vecs[next : next+1]})
			next++
		}
	}
	return out, tokens, nil
}

// embed sends one embeddings request.
func (c *Client) embed(ctx context.Context, texts []string) ([][]float64, int, error) {
	ctx, cancel := c.bound(ctx)
	defer cancel()
	resp, err := c.api.CreateEmbeddings(ctx, openai.EmbeddingRequestStrings{Input: texts, Model: openai.EmbeddingModel(c.endpoint.Model)})
	if err != nil {
		return nil, 0, err
	}
	if len(resp.Data) != len(texts) {
		return nil, 0, &malformedError{msg: fmt.Sprintf("asked for %d embeddings, got %d", len(texts), len(resp.Data))}
	}
	out := make([][]float64, len(texts))
	for _, d := range resp.Data {
		if d.Index < 0 || d.Index >= len(out) {
			return nil, 0, &malformedError{msg: fmt.Sprintf("embedding index %d out of range", d.Index)}
		}
		v := make([]float64, len(d.Embedding))
		for i, x := range d.Embedding {
			v[i] = float64(x)
		}
		out[d.Index] = v
	}
	for i, v := range out {
		if v == nil {
			return nil, 0, &malformedError{msg: fmt.Sprintf("embedding %d missing", i)}
		}
	}
	return out, resp.Usage.PromptTokens, nil
}

// key is the cache key of a request body; "" without a cache.
func (c *Client) key(request any, params suites.Request) string {
	if c.cache == nil {
		return ""
	}
	raw, err := canonicalBody(request, params)
	if err != nil {
		return ""
	}
	return cache.Key(c.endpoint.BaseURL, c.endpoint.Model, raw)
}

// lookup returns the answer cached under key; a miss when key is "".
func (c *Client) lookup(key string) (cache.Entry, bool) {
	if key == "" {
		return cache.Entry{}, false
	}
	return c.cache.Get(key)
}

// store keeps an answer; a cache that cannot be written only costs a
// later run.
func (c *Client) store(key string, v cache.Entry) {
	if key != "" {
		_ = c.cache.Put(key, v)
	}
}

// redactorFor is the redactor of the second pass over an answer to a
// request that carried headers: the doer's, knowing the credentials
// among them too.
func (c *Client) redactorFor(headers map[string]string) *redactor {
	if len(headers) == 0 {
		return c.doer.red
	}
	h := make(http.Header, len(headers))
	for k, v := range headers {
		h.Set(k, v)
	}
	return c.doer.redactorFor(h)
}

func (c *Client) bound(ctx context.Context) (context.Context, context.CancelFunc) {
	if c.endpoint.Timeout > 0 {
		return context.WithTimeout(ctx, c.endpoint.Timeout)
	}
	return context.WithCancel(ctx)
}

// canonicalBody is request's JSON with params written exactly, in the
// canonical form the cache keys (see patchBody): the object on the wire,
// keys sorted.
func canonicalBody(request any, params suites.Request) ([]byte, error) {
	raw, err := json.Marshal(request)
	if err != nil {
		return nil, err
	}
	return patchBody(raw, params)
}

// malformedError is an answer that is not what the API promises.
type malformedError struct{ msg string }

func (e *malformedError) Error() string { return e.msg }
