package runner

import (
	"context"
	"fmt"
	"net/http"
	"time"

	openai "github.com/sashabaranov/go-openai"

	"github.com/parity-eval/parity/suites"
)

// Probe is how one provider answered a probe: whether its key and
// endpoint work, before a long run relies on them.
type Probe struct {
	Provider, Model string
	// Method is what was sent: "models" (GET /models) or "chat" (a
	// one-token chat completion, when the provider lists no models).
	Method string
	// ErrorClass is empty when the provider answered; else why not, with
	// the provider's message in Error.
	ErrorClass ErrorClass
	Error      string
	// Note says something worth knowing about an answer that worked: the
	// model is not among those listed.
	Note    string
	Latency time.Duration
}

// OK reports whether the provider answered the probe.
func (p Probe) OK() bool { return p.ErrorClass == "" }

// ProbeTimeout bounds a probe of an endpoint without a timeout of its own.
const ProbeTimeout = 30 * time.Second

// ProbeProviders sends one cheap request to each provider of cfg, in
// config order, one after the other: the models list, or, when the
// provider has none (HTTP 404), a chat completion of at most one token.
// Nothing is cached or retried; each probe is bounded by the endpoint's
// timeout, or ProbeTimeout when it has none. httpClient may be nil.
func ProbeProviders(ctx context.Context, cfg *suites.Config, httpClient *http.Client) []Probe {
	out := make([]Probe, 0, len(cfg.Providers))
	for _, p := range cfg.Providers {
		out = append(out, NewClient(&p.Endpoint, httpClient).Probe(ctx, p.ID))
	}
	return out
}

// Probe checks c's key and endpoint with one cheap request (see
// ProbeProviders), labelled provider.
func (c *Client) Probe(ctx context.Context, provider string) Probe {
	ctx, cancel := c.bound(ctx)
	defer cancel()
	if c.endpoint.Timeout <= 0 {
		ctx, cancel = context.WithTimeout(ctx, ProbeTimeout)
		defer cancel()
	}
	pr := Probe{Provider: provider, Model: c.endpoint.Model, Method: "models"}
	start := time.Now()
	list, err := c.api.ListModels(ctx)
	if class, _ := Classify(err); class == ClassNotFound {
		pr.Method = "chat"
		_, err = c.probeChat(ctx)
	} else if err == nil {
		pr.Note = modelNote(list, c.endpoint.Model)
	}
	pr.Latency = time.Since(start)
	pr.ErrorClass, pr.Error = Classify(err)
	return pr
}

// probeChat sends a one-token, unstreamed chat completion.
func (c *Client) probeChat(ctx context.Context) (openai.ChatCompletionResponse, error) {
	one := 1
	req := ChatRequest{Messages: suites.Messages{User: "ping"}, Params: suites.Request{MaxTokens: &one}}
	ctx = withRequestOptions(ctx, nil, req.Params, nil)
	r := c.Request(req)
	r.Stream, r.StreamOptions = false, nil
	resp, err := c.api.CreateChatCompletion(ctx, r)
	if err == nil && len(resp.Choices) == 0 {
		err = &malformedError{msg: "answer has no choices"}
	}
	return resp, err
}

// modelNote is "" when model is listed (or the list is empty: some
// gateways list nothing), else a note that it is not.
func modelNote(list openai.ModelsList, model string) string {
	if len(list.Models) == 0 {
		return ""
	}
	for _, m := range list.Models {
		if m.ID == model {
			return ""
		}
	}
	return fmt.Sprintf("model %q is not among the %d the provider lists", model, len(list.Models))
}
