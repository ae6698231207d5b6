package suites

import (
	"slices"
	"strings"

	"github.com/xeipuuv/gojsonschema"
)

// Capability is a feature of a provider beyond plain chat: what parity.yaml
// says a provider has (capabilities), what a suite needs (needs) and what
// its requests use (Suite.Exercises).
type Capability string

// Capabilities parity knows.
const (
	CapChat        Capability = "chat"         // chat completions; a provider with images and not chat is an image model
	CapVision      Capability = "vision"       // images in the prompt
	CapTools       Capability = "tools"        // function calling
	CapJSONSchema  Capability = "json_schema"  // response_format json_schema
	CapJSONObject  Capability = "json_object"  // response_format json_object
	CapStreaming   Capability = "streaming"    // streamed answers
	CapLongContext Capability = "long_context" // long prompts (a long_context probe)
	CapImages      Capability = "images"       // the images endpoint
)

// Capabilities lists every capability parity knows, in the order its
// errors name them; a config or suite naming another is an error.
var Capabilities = []Capability{CapChat, CapVision, CapTools, CapJSONSchema, CapJSONObject, CapStreaming, CapLongContext, CapImages}

// JoinCapabilities joins capability names with sep, as strings.Join does.
func JoinCapabilities(cs []Capability, sep string) string {
	names := make([]string, len(cs))
	for i, c := range cs {
		names[i] = string(c)
	}
	return strings.Join(names, sep)
}

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
func (s *Suite) Exercises() []Capability {
	var c []Capability
	add := func(ok bool, name Capability) {
		if ok && !slices.Contains(c, name) {
			c = append(c, name)
		}
	}
	add(s.Kind == KindImage, CapImages)
	add(len(s.Prompt.Images) > 0, CapVision)
	add(len(s.Tools) > 0, CapTools)
	add(s.ResponseFormat != nil && s.ResponseFormat.Type == "json_schema", CapJSONSchema)
	add(s.ResponseFormat != nil && s.ResponseFormat.Type == "json_object", CapJSONObject)
	add(s.LongContext != nil, CapLongContext)
	add(s.Kind != KindImage, CapStreaming)
	for _, n := range s.Needs {
		add(true, n)
	}
	return c
}

// Requires lists the capabilities a provider must have for a suite's
// requests to succeed: what it declares in needs and what its requests use
// (images, tools, response formats, long prompts). Streaming is not one:
// any provider's answer can be read whole.
func (s *Suite) Requires() []Capability {
	var out []Capability
	for _, c := range s.Exercises() {
		if c != CapStreaming {
			out = append(out, c)
		}
	}
	return out
}
