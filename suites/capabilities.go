package suites

import (
	"slices"

	"github.com/xeipuuv/gojsonschema"
)

// Suite kinds.
const (
	KindChat  = "chat"
	KindImage = "image"
)

// ImageParams are an image suite's request parameters.
type ImageParams struct {
	// Size such as "1024x1024"; Quality such as "standard" or "hd".
	Size    string
	Quality string
}

// Tool is a function the model may call.
type Tool struct {
	Name        string
	Description string
	// Parameters is the JSON schema of the arguments.
	Parameters []byte
	// Compiled validates a call's arguments.
	Compiled *gojsonschema.Schema
}

// ResponseFormat asks a provider for JSON natively.
type ResponseFormat struct {
	// Type is "json_object" or "json_schema".
	Type string
	// Name and Schema describe a json_schema format; Strict asks the
	// provider to follow it exactly.
	Name   string
	Schema []byte
	Strict bool
}

// LongContext describes a long-context probe: for each size, a case whose
// prompt is filler text of about that many tokens with Fact planted at
// Depth (0 = start, 1 = end), followed by Question. A case passes when the
// answer contains Answer.
type LongContext struct {
	Sizes    []int
	Depth    float64
	Fact     string
	Question string
	Answer   string
}

// ContextTokensKey is the metadata key holding a long-context case's prompt
// size in tokens, so reports can tell the largest size a provider handled.
const ContextTokensKey = "context_tokens"

// Exercises lists the capabilities a suite's requests use, beyond plain
// chat, and those it declares in needs: the capability matrix says, per
// provider, which of them worked.
func (s *Suite) Exercises() []string {
	var c []string
	add := func(ok bool, name string) {
		if ok && !slices.Contains(c, name) {
			c = append(c, name)
		}
	}
	add(s.Kind == KindImage, "images")
	add(len(s.Prompt.Images) > 0, "vision")
	add(len(s.Tools) > 0, "tools")
	add(s.ResponseFormat != nil && s.ResponseFormat.Type == "json_schema", "json_schema")
	add(s.ResponseFormat != nil && s.ResponseFormat.Type == "json_object", "json_object")
	add(s.LongContext != nil, "long_context")
	add(s.Kind != KindImage, "streaming")
	for _, n := range s.Needs {
		add(true, n)
	}
	return c
}

// Requires lists the capabilities a provider must have for a suite's
// requests to succeed: what it declares in needs and what its requests use
// (images, tools, response formats, long prompts). Streaming is not one:
// any provider's answer can be read whole.
func (s *Suite) Requires() []string {
	var out []string
	for _, c := range s.Exercises() {
		if c != "streaming" {
			out = append(out, c)
		}
	}
	return out
}
