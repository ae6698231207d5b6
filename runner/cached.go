package runner

// fromCache fills res from the cache when it holds the reply to req.
func (w *worker) fromCache(req ChatRequest, res *Result) bool {
	if w.cache == nil {
		return false
	}
	key := w.cacheKey(req, res.Repeat)
	if key == "" {
		return false
	}
	hit, ok := w.cache.Get(key)
	if !ok {
		return false
	}
	reply := hit.Reply
	res.Cached = true
	res.Output, res.FinishReason = reply.Text, reply.FinishReason
	res.InputTokens, res.OutputTokens = reply.InputTokens, reply.OutputTokens
	res.CostUSD = res.Provider.Price.Cost(reply.InputTokens, reply.OutputTokens)
	res.Latency, res.TTFT, res.Started = hit.Latency, reply.TTFT, hit.Stored
	return true
}

// store keeps a successful reply for the next run.
func (w *worker) store(req ChatRequest, res *Result) {
	key := w.cacheKey(req, res.Repeat)
	if w.cache == nil || res.Failed() || key == "" {
		return
	}
	// A cache that cannot be written costs money later, not correctness
	// now: the run carries on, and says so once.
	err := w.cache.Put(key, Cached{
		Reply: Reply{
			Text: res.Output, FinishReason: res.FinishReason,
			InputTokens: res.InputTokens, OutputTokens: res.OutputTokens, TTFT: res.TTFT,
		},
		Latency: res.Latency,
		Stored:  res.Started,
	})
	if err != nil {
		w.cacheErr.CompareAndSwap(nil, &err)
	}
}

// cacheKey keys the repeat-th sample of a request by everything that
// determines its answer: the endpoint, the model and the body as it goes
// out.
func (w *worker) cacheKey(req ChatRequest, repeat int) string {
	body, err := w.client.body(req)
	if err != nil {
		return ""
	}
	return SampleKey(CacheKey(w.provider.BaseURL, w.provider.Model, body), repeat)
}
