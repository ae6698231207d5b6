package runner

import (
	"context"
	"strings"
	"time"

	openai "github.com/sashabaranov/go-openai"

	"github.com/parity-eval/parity/suites"
)

// GenerateImage asks an image model for one image of prompt and returns it
// as a data: URL in Reply.Image. Images are requested as base64, so the
// result does not depend on a URL that expires.
func (c *Client) GenerateImage(ctx context.Context, prompt string, p suites.ImageParams, headers map[string]string) (Reply, error) {
	ctx, cancel := c.bound(ctx)
	defer cancel()
	ctx = withRequestOptions(ctx, headers, suites.Request{}, nil)
	red := c.redactorFor(headers)
	resp, err := c.api.CreateImage(ctx, c.imageRequest(prompt, p))
	if err != nil {
		return Reply{}, red.redactErr(err)
	}
	if len(resp.Data) == 0 || resp.Data[0].B64JSON == "" {
		return Reply{}, &malformedError{msg: "the images endpoint answered no base64 image"}
	}
	d := resp.Data[0]
	return red.redactReply(Reply{
		Image:        "data:image/png;base64," + strings.TrimSpace(d.B64JSON),
		Text:         d.RevisedPrompt,
		FinishReason: "stop",
		InputTokens:  resp.Usage.InputTokens,
		OutputTokens: resp.Usage.OutputTokens,
	}), nil
}

func (c *Client) imageRequest(prompt string, p suites.ImageParams) openai.ImageRequest {
	return openai.ImageRequest{
		Prompt: prompt, Model: c.endpoint.Model, N: 1, Size: p.Size, Quality: p.Quality,
		ResponseFormat: openai.CreateImageResponseFormatB64JSON,
	}
}

// generate fills res with an image suite's answer to prompt: one image,
// priced per image by the provider's price table.
func (w *worker) generate(ctx context.Context, res *Result, prompt string) error {
	slot, err := w.pacer.wait(ctx, 1)
	if err != nil {
		res.ErrorClass, res.Error = Classify(err)
		return err
	}
	if res.Started.IsZero() {
		res.Started = time.Now()
	}
	res.Attempts++
	start := time.Now()
	reached := start
	defer func() { w.pacer.sent(slot, reached) }()
	reply, err := w.client.GenerateImage(ctx, prompt, res.Suite.Image, metadataHeaders(res.Provider, res.Suite.Meta(res.Case)))
	res.Latency = time.Since(start)
	reached = start.Add(res.Latency)
	res.Image, res.Output, res.FinishReason = reply.Image, reply.Text, reply.FinishReason
	res.InputTokens, res.OutputTokens = reply.InputTokens, reply.OutputTokens
	res.ErrorClass, res.Error = Classify(err)
	if err == nil {
		res.CostUSD = res.Provider.Price.Image + res.Provider.Price.Cost(reply.InputTokens, reply.OutputTokens)
	}
	return nil
}

// imageOnly reports whether a provider serves only images: it declares the
// images capability and not chat.
func imageOnly(p *suites.Provider) bool {
	return p.HasCapability(suites.CapImages) && !p.HasCapability(suites.CapChat)
}

// applicable reports whether a suite is run on a provider at all: image
// suites on image models, chat suites on chat models. (A provider lacking
// a capability the suite needs is run, as an unsupported row.)
func applicable(p *suites.Provider, s *suites.Suite) bool {
	if s.Kind == suites.KindImage {
		return p.HasCapability(suites.CapImages)
	}
	return !imageOnly(p)
}
