package suites

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"regexp"
	"slices"
	"strings"
)

type rawTool struct {
	Name        string `yaml:"name"`
	Description string `yaml:"description"`
	Parameters  any    `yaml:"parameters"`
}

type rawLongContext struct {
	Sizes    []int    `yaml:"sizes"`
	Depth    *float64 `yaml:"depth"`
	Fact     string   `yaml:"fact"`
	Question string   `yaml:"question"`
	Answer   string   `yaml:"answer"`
}

var toolName = regexp.MustCompile(`^[A-Za-z0-9_-]{1,64}$`)

// capabilities loads what a suite asks of a provider beyond one text
// prompt: its kind, tools, response format and conversation turns.
func (l *suiteLoader) capabilities(s *Suite, raw *rawSuite) error {
	if s.Kind == "" {
		s.Kind = KindChat
	}
	if s.Kind != KindChat && s.Kind != KindImage {
		return l.f.errorf([]any{"kind"}, "unknown kind %q (want chat or image)", s.Kind)
	}
	if s.Kind == KindImage && (len(raw.Tools) > 0 || raw.ResponseFormat != nil || len(s.Prompt.Turns) > 0 || len(s.Prompt.Images) > 0) {
		return l.f.errorf([]any{"kind"}, "an image suite sends one prompt to the images endpoint: tools, response_format, turns and images do not apply")
	}
	for i, t := range s.Prompt.Turns {
		if t.Role != "user" && t.Role != "assistant" {
			return l.f.errorf([]any{"prompt", "turns", i, "role"}, "turn %d: role %q (want user or assistant; the system message is prompt.system)", i+1, t.Role)
		}
	}
	for i := range raw.Tools {
		t, err := l.tool(i, &raw.Tools[i])
		if err != nil {
			return err
		}
		if slices.ContainsFunc(s.Tools, func(o *Tool) bool { return o.Name == t.Name }) {
			return l.f.errorf([]any{"tools", i, "name"}, "tool %q is declared twice", t.Name)
		}
		s.Tools = append(s.Tools, t)
	}
	if !slices.Contains([]string{"", "auto", "required", "none"}, s.ToolChoice) {
		return l.f.errorf([]any{"tool_choice"}, "tool_choice %q: want auto, required or none", s.ToolChoice)
	}
	if s.ToolChoice != "" && len(s.Tools) == 0 {
		return l.f.errorf([]any{"tool_choice"}, "tool_choice without tools")
	}
	return l.responseFormat(s, raw.ResponseFormat)
}

func (l *suiteLoader) tool(i int, raw *rawTool) (*Tool, error) {
	at := []any{"tools", i}
	if !toolName.MatchString(raw.Name) {
		return nil, l.f.errorf(append(at, "name"), "tool %d: name %q: use 1 to 64 letters, digits, '_' or '-'", i+1, raw.Name)
	}
	t := &Tool{Name: raw.Name, Description: raw.Description}
	params := raw.Parameters
	if params == nil {
		params = map[string]any{"type": "object", "properties": map[string]any{}}
	}
	b, err := json.Marshal(params)
	if err != nil {
		return nil, l.f.errorf(append(at, "parameters"), "tool %s: parameters are not JSON-compatible: %v", t.Name, err)
	}
	t.Parameters = b
	if t.Compiled, err = CompileSchema(b, l.dir, l.f.path); err != nil {
		return nil, l.f.errorf(append(at, "parameters"), "tool %s: %s", t.Name, schemaProblem(err))
	}
	return t, nil
}

// responseFormat reads `response_format: json_object` or a mapping
// {type: json_schema, name, schema, strict}.
func (l *suiteLoader) responseFormat(s *Suite, raw any) error {
	at := []any{"response_format"}
	switch v := raw.(type) {
	case nil:
		return nil
	case string:
		if v != "json_object" {
			return l.f.errorf(at, "response_format %q: want json_object, or a mapping with type: json_schema and a schema", v)
		}
		s.ResponseFormat = &ResponseFormat{Type: "json_object"}
		return nil
	case map[string]any:
		rf := &ResponseFormat{Type: fmt.Sprint(v["type"]), Name: "output"}
		if n, ok := v["name"].(string); ok && n != "" {
			rf.Name = n
		}
		rf.Strict, _ = v["strict"].(bool)
		if rf.Type == "json_object" {
			s.ResponseFormat = rf
			return nil
		}
		if rf.Type != "json_schema" || v["schema"] == nil {
			return l.f.errorf(at, "response_format: want type json_object, or type json_schema with a schema")
		}
		b, err := json.Marshal(v["schema"])
		if err != nil {
			return l.f.errorf(append(at, "schema"), "response_format schema is not JSON-compatible: %v", err)
		}
		if _, err := CompileSchema(b, l.dir, l.f.path); err != nil {
			return l.f.errorf(append(at, "schema"), "response_format: %s", schemaProblem(err))
		}
		rf.Schema = b
		s.ResponseFormat = rf
		return nil
	}
	return l.f.errorf(at, "response_format: want json_object, or a mapping with type: json_schema and a schema")
}

// longContext reads a long-context probe and gives the suite its default
// prompt; cases() generates its cases.
func (l *suiteLoader) longContext(s *Suite, raw *rawSuite) error {
	r := raw.LongContext
	if r == nil {
		return nil
	}
	at := []any{"long_context"}
	if len(r.Sizes) == 0 || r.Fact == "" || r.Question == "" || r.Answer == "" {
		return l.f.errorf(at, "long_context needs sizes (tokens), fact, question and answer")
	}
	if !strings.Contains(r.Fact, r.Answer) {
		return l.f.errorf(append(at, "answer"), "long_context: the answer %q does not appear in the fact", r.Answer)
	}
	lc := &LongContext{Sizes: r.Sizes, Depth: 0.75, Fact: r.Fact, Question: r.Question, Answer: r.Answer}
	if r.Depth != nil {
		lc.Depth = *r.Depth
	}
	if lc.Depth < 0 || lc.Depth > 1 {
		return l.f.errorf(append(at, "depth"), "long_context depth is where the fact sits, from 0 (start) to 1 (end); got %v", lc.Depth)
	}
	for i, n := range lc.Sizes {
		if n < 50 || n > 2_000_000 {
			return l.f.errorf(append(at, "sizes", i), "long_context size %d: want 50 to 2,000,000 tokens", n)
		}
	}
	if len(raw.Cases) > 0 || raw.CasesFile != "" {
		return l.f.errorf(at, "a long_context suite makes its own cases: remove cases and cases_file")
	}
	if s.Prompt.User == "" {
		s.Prompt.User = "{{.context}}\n\nAnswer from the text above. {{.question}}"
	}
	if len(raw.Checks) == 0 {
		raw.Checks = []rawCheck{{Type: Contains, Value: lc.Answer, IgnoreCase: true}}
	}
	s.LongContext = lc
	return nil
}

// longContextCases generates one case per size.
func (l *suiteLoader) longContextCases(s *Suite) error {
	pos := l.f.pos(l.f.node("long_context"))
	for _, n := range s.LongContext.Sizes {
		rc := &rawCase{
			ID:        fmt.Sprintf("ctx-%d", n),
			Vars:      map[string]any{"context": haystack(n, s.LongContext.Fact, s.LongContext.Depth), "question": s.LongContext.Question},
			Reference: s.LongContext.Answer,
			Metadata:  map[string]string{ContextTokensKey: fmt.Sprint(n)},
		}
		if err := l.addCase(s, rc.toCase(pos), nil); err != nil {
			return err
		}
	}
	return nil
}

// fillerWords make a haystack that reads like text and holds no fact.
var fillerWords = strings.Fields(`the report notes that the committee met again in spring and reviewed
the budget for roads schools and parks while residents asked about bus routes water prices and
the new library hours so the council agreed to publish minutes each month and to hold an open
session in the autumn where every district could raise local concerns about traffic noise and
planning`)

// haystack returns about tokens tokens of filler (at 4/3 tokens a word)
// with fact planted at depth, the same for the same arguments.
func haystack(tokens int, fact string, depth float64) string {
	words := tokens * 3 / 4
	at := int(float64(words) * depth)
	rng := rand.New(rand.NewPCG(uint64(tokens), 7))
	var b strings.Builder
	for i := range words {
		if i == at {
			b.WriteString(fact)
			b.WriteByte(' ')
		}
		b.WriteString(fillerWords[rng.IntN(len(fillerWords))])
		if i%17 == 16 {
			b.WriteString(". ")
		} else {
			b.WriteByte(' ')
		}
	}
	if at >= words {
		b.WriteString(fact)
	}
	return b.String()
}
