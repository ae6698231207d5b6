package suites

import (
	"regexp"
	"text/template"

	"github.com/xeipuuv/gojsonschema"
)

// Suite is one loaded prompt-template suite.
type Suite struct {
	// Name identifies the suite in results; unique across a run.
	Name string
	// File is the path the suite was read from.
	File        string
	Description string
	// Tags are the task types the suite exercises ("extract",
	// "classify"); routing rules are chosen per tag.
	Tags []string
	// Tier is the capacity tier rules are given for ("default", "high").
	Tier string
	// Needs lists the capabilities a provider must have to run the suite
	// (vision, tools, json_schema).
	Needs []Capability
	// Metadata is kept on every row (cost attribution) and sent in request
	// headers where the config maps it.
	Metadata map[string]string
	// Request holds the request parameters, sent exactly as written.
	Request Request
	// Prompt is the system and user template.
	Prompt Prompt
	// Cases are the inline cases followed by those of the cases_file,
	// which are read again from it when asked for (see Cases).
	Cases Cases
	// Checks score every output.
	Checks []*Check
	// PassScore is the overall score a result needs to pass, besides every
	// check passing (default 0).
	PassScore float64
	// Kind is "chat" (the default) or "image": an image suite's prompts go
	// to the images endpoint and its judge sees the image.
	Kind string
	// Image holds an image suite's request parameters.
	Image ImageParams
	// Tools are offered to the model with every request; ToolChoice is
	// sent as tool_choice when set (auto, required, none).
	Tools      []*Tool
	ToolChoice string
	// ResponseFormat asks for JSON natively when set.
	ResponseFormat *ResponseFormat
	// LongContext, when set, generated the cases: a fact planted deep in
	// prompts of growing size.
	LongContext *LongContext
}

// Request holds request parameters. A nil pointer means "not set": the
// provider's default applies. A set value is sent as written, zero included.
type Request struct {
	Temperature *float64
	TopP        *float64
	MaxTokens   *int
	Seed        *int
	Stop        []string
}

// Prompt is a system and a user message template, optionally after
// earlier turns of a conversation and with images attached to the user
// message.
type Prompt struct {
	System string
	// Turns are earlier messages (user and assistant), before User.
	Turns []Turn
	User  string
	// Images are templates naming image files (relative to the suite) or
	// http(s) URLs, attached to the user message.
	Images []string

	system *template.Template
	turns  []*template.Template
	user   *template.Template
	images []*template.Template
}

// Turn is one earlier message of a conversation.
type Turn struct {
	Role    string `json:"role"`
	Content string `json:"content"`
}

// Messages is a rendered prompt.
type Messages struct {
	System string
	Turns  []Turn
	User   string
	// Images are attached to the user message, in order.
	Images []Image
}

// Image is an image input. URL is what is sent: the http(s) URL as
// written, or a data: URL with a file's bytes in base64.
type Image struct {
	Source string
	URL    string
}

// Case is one input of a suite. It holds what the case is, not what it
// renders to: Suite.Messages renders its prompt when it is sent, so a
// loaded suite costs its cases' bytes, not their prompts'.
type Case struct {
	// ID is unique within its suite.
	ID string
	// Vars feed the prompt template: those of a case written inline in
	// the suite, or built in code. A case read from a cases_file leaves
	// Vars nil and keeps its vars as the JSON object of its line (a
	// decoded map takes ten times the bytes), decoded when it is rendered;
	// TemplateVars returns either.
	Vars map[string]any
	// Reference is the expected or ideal output, when known.
	Reference string
	// Metadata adds to (and overrides) the suite's metadata on this case's rows.
	Metadata map[string]string
	// ExpectTool is the tool call a tool suite's case expects; nil when
	// the suite has no tools.
	ExpectTool *ToolCall

	varsJSON string // a cases_file case's vars, as read
	pos      position
}

// position is where a case was read: a file, its line and, for a case
// inside a suite's YAML, the column.
type position struct {
	file      string
	line, col int32
}

// ToolCall is a function call: one a model made, or one a case expects.
type ToolCall struct {
	// None is true when the model should call no tool.
	None bool `json:"none,omitempty"`
	// Name is the function called.
	Name string `json:"name,omitempty"`
	// Arguments: for an expectation, the fields that must have exactly
	// these values (others may appear); for a call, the arguments as sent.
	Arguments map[string]any `json:"arguments,omitempty"`
}

// Check types.
const (
	Contains   = "contains"
	Equals     = "equals"
	Regex      = "regex"
	JSONSchema = "json_schema"
	Similarity = "similarity"
	Judge      = "judge"
	ToolUse    = "tool_call"
)

// CheckTypes lists the known check types.
var CheckTypes = []string{Contains, Equals, Regex, JSONSchema, Similarity, Judge, ToolUse}

// Check is one scoring rule of a suite.
type Check struct {
	// Type is one of CheckTypes.
	Type string
	// Name labels the check in results (default: its type, numbered when
	// a suite has several of one type).
	Name string
	// Weight of the check in the overall score (default 1).
	Weight float64
	// Threshold is the score the check needs to pass. Similarity: cosine
	// (default 0.8); judge: 1-10 (default 7); others pass on a match.
	Threshold float64
	// Value is the text contains/equals look for, a template over the
	// case's vars; empty means the case's reference.
	Value string
	// IgnoreCase makes contains, equals and regex case-insensitive.
	IgnoreCase bool
	// Pattern is the regular expression of a regex check.
	Pattern string
	// Against is what similarity compares with: "reference" (default) or
	// "baseline" (the baseline provider's output for the same case).
	Against string
	// Rubric tells the judge what a good answer is.
	Rubric string
	// Schema is the JSON schema of a json_schema check, as JSON.
	Schema []byte
	// Line is where the check is declared.
	Line int

	// Regexp is Pattern compiled at load time.
	Regexp *regexp.Regexp
	// Compiled is Schema compiled at load time.
	Compiled *gojsonschema.Schema

	value *template.Template
	// literal is value's text when value holds no action: Expected
	// returns it without decoding the case's vars (isLiteral says so).
	literal   string
	isLiteral bool
}
