package runner

import (
	"github.com/parity-eval/parity/runner/cache"
	"github.com/parity-eval/parity/suites"
)

// fromCache fills res from the cache when it holds the reply under key
// ("" when there is no cache).
func (w *worker) fromCache(key string, res *Result) bool {
	if key == "" {
		return false
	}
	hit, ok := w.cache.Get(key)
	if !ok {
		return false
	}
	// Redacted again: an entry an earlier parity wrote may hold a key.
	reply := w.client.redactorFor(nil).redactReply(fromCacheReply(hit.Reply))
	res.Cached = true
	res.Output, res.FinishReason = reply.Text, reply.FinishReason
	res.ToolCalls, res.Image = reply.ToolCalls, reply.Image
	res.InputTokens, res.OutputTokens = reply.InputTokens, reply.OutputTokens
	res.CostUSD = res.Provider.Price.Cost(reply.InputTokens, reply.OutputTokens)
	if res.Image != "" {
		res.CostUSD += res.Provider.Price.Image
	}
	res.Latency, res.TTFT, res.Started = hit.Latency, reply.TTFT, hit.Stored
	return true
}

// store keeps a successful reply under key for the next run: as Chat
// returned it, redacted.
func (w *worker) store(key string, res *Result) {
	if key == "" || res.Failed() {
		return
	}
	// A cache that cannot be written costs money later, not correctness
	// now: the run carries on, and says so once.
	err := w.cache.Put(key, cache.Entry{
		Reply: toCacheReply(Reply{
			Text: res.Output, FinishReason: res.FinishReason, ToolCalls: res.ToolCalls, Image: res.Image,
			InputTokens: res.InputTokens, OutputTokens: res.OutputTokens, TTFT: res.TTFT,
		}),
		Latency: res.Latency,
		Stored:  res.Started,
	})
	if err != nil {
		w.cacheErr.CompareAndSwap(nil, &err)
	}
}

// cacheKey keys the repeat-th sample of a request by everything that
// determines its answer: the endpoint, the model and the body as it goes
// out (the chat request, or the image request of an image suite); "" when
// there is no cache.
func (w *worker) cacheKey(req ChatRequest, res *Result) string {
	if w.cache == nil {
		return ""
	}
	return cache.SampleKey(w.requestKey(req, res), res.Repeat)
}

// requestKey is cacheKey before the repeat is mixed in: the same for
// every repeat of the request; "" when its body cannot be encoded.
func (w *worker) requestKey(req ChatRequest, res *Result) string {
	var (
		body []byte
		err  error
	)
	if res.Suite.Kind == suites.KindImage {
		body, err = canonicalBody(w.client.imageRequest(req.Messages.User, res.Suite.Image), suites.Request{})
	} else {
		body, err = canonicalBody(w.client.Request(req), req.Params)
	}
	if err != nil {
		return ""
	}
	return cache.Key(w.provider.BaseURL, w.provider.Model, body)
}

// toCacheReply is r as the cache keeps it. The cache has its own record of
// a reply, so that the format on disk does not follow Reply's Go fields;
// a field of Reply that is not copied here and in fromCacheReply is lost
// from every cached answer (TestCacheRoundTripEveryReplyField).
func toCacheReply(r Reply) cache.Reply {
	var calls []cache.ToolCall
	for _, c := range r.ToolCalls {
		calls = append(calls, cache.ToolCall(c))
	}
	return cache.Reply{
		Text: r.Text, FinishReason: r.FinishReason, ToolCalls: calls, Image: r.Image,
		InputTokens: r.InputTokens, OutputTokens: r.OutputTokens, TTFT: r.TTFT,
	}
}

// fromCacheReply is the Reply the cache kept as r.
func fromCacheReply(r cache.Reply) Reply {
	var calls []ToolCall
	for _, c := range r.ToolCalls {
		calls = append(calls, ToolCall(c))
	}
	return Reply{
		Text: r.Text, FinishReason: r.FinishReason, ToolCalls: calls, Image: r.Image,
		InputTokens: r.InputTokens, OutputTokens: r.OutputTokens, TTFT: r.TTFT,
	}
}
