package suites

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestCapabilityErrors checks broken capability settings fail at load
// time, naming file:line:col and what to fix.
func TestCapabilityErrors(t *testing.T) {
	t.Parallel()
	const head = "name: x\ntags: [a]\n"
	tests := []struct {
		name, suite, want string
	}{
		{"unknown kind", head + "kind: video\nprompt: {user: hi}\ncases: [{id: a}]\n", `s.yaml:3:7: unknown kind "video"`},
		{"bad turn role", head + "prompt:\n  turns: [{role: system, content: x}]\n  user: hi\ncases: [{id: a}]\n", `s.yaml:4:18: turn 1: role "system"`},
		{"tool choice without tools", head + "tool_choice: auto\nprompt: {user: hi}\ncases: [{id: a}]\n", "s.yaml:3:14: tool_choice without tools"},
		{"bad tool name", head + "tools: [{name: 'get weather'}]\nprompt: {user: hi}\ncases: [{id: a}]\n", `s.yaml:3:16: tool 1: name "get weather"`},
		{"bad tool schema", head + "tools: [{name: f, parameters: {type: objekt}}]\nprompt: {user: hi}\ncases: [{id: a}]\n", "s.yaml:3:31: tool f: invalid JSON schema"},
		{"expect_tool unknown", head + "tools: [{name: f}]\nprompt: {user: hi}\ncases:\n  - {id: a, expect_tool: {name: g}}\n", `s.yaml:6:5: case "a": expect_tool names "g", which is not one of the suite's tools (f)`},
		{"tool_call check without expectation", head + "tools: [{name: f}]\nprompt: {user: hi}\ncases: [{id: a}]\nchecks: [{type: tool_call}]\n", `case "a" has no expect_tool`},
		{"tool_call check without tools", head + "prompt: {user: hi}\ncases: [{id: a}]\nchecks: [{type: tool_call}]\n", "a tool_call check needs the suite to declare tools"},
		{"bad response format", head + "response_format: yaml\nprompt: {user: hi}\ncases: [{id: a}]\n", `s.yaml:3:18: response_format "yaml"`},
		{"long context incomplete", head + "long_context: {sizes: [1000], fact: x}\nprompt: {user: hi}\n", "s.yaml:3:15: long_context needs sizes (tokens), fact, question and answer"},
		{"long context answer not in fact", head + "long_context: {sizes: [1000], fact: The code is 12., question: What?, answer: '13'}\n", `long_context: the answer "13" does not appear in the fact`},
		{"missing image", head + "prompt: {user: hi, images: [nope.png]}\ncases: [{id: a}]\n", `s.yaml:4:9: case "a": image nope.png`},
		{"image suite with tools", head + "kind: image\ntools: [{name: f}]\nprompt: {user: hi}\ncases: [{id: a}]\n", "an image suite sends one prompt"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dir := writeFiles(t, map[string]string{"s.yaml": tt.suite})
			_, err := LoadFile(filepath.Join(dir, "s.yaml"))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error:\n  %v\nwant it to contain:\n  %s", err, tt.want)
			}
		})
	}
}

// TestLongContext checks the probe's generated cases: one per size, the
// fact planted once at about its depth, the size in the metadata.
func TestLongContext(t *testing.T) {
	t.Parallel()
	dir := writeFiles(t, map[string]string{"s.yaml": `name: lc
tags: [long-context]
long_context: {sizes: [200, 4000], depth: 0.5, fact: "The vault code is 4917.", question: What is the vault code?, answer: "4917"}
`})
	s, err := LoadFile(filepath.Join(dir, "s.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if s.Cases.Len() != 2 || all(t, s)[1].ID != "ctx-4000" || all(t, s)[1].Metadata[ContextTokensKey] != "4000" {
		t.Fatalf("cases %+v", s.Cases)
	}
	user := messages(t, s, all(t, s)[1]).User
	at := strings.Index(user, "The vault code is 4917.")
	if strings.Count(user, "4917") != 1 || at < 0 {
		t.Fatal("the fact is not planted exactly once")
	}
	if depth := float64(at) / float64(len(user)); depth < 0.4 || depth > 0.6 {
		t.Errorf("fact at %.2f of the prompt, want about 0.5", depth)
	}
	if words := len(strings.Fields(user)); words < 2800 || words > 3200 {
		t.Errorf("%d words for 4000 tokens, want about 3000", words)
	}
	if !strings.HasSuffix(user, "What is the vault code?") || len(s.Checks) != 1 || s.Checks[0].Expected(all(t, s)[0]) != "4917" {
		t.Errorf("prompt end %q, checks %+v", user[len(user)-40:], s.Checks)
	}
	if got := s.Exercises(); JoinCapabilities(got, ",") != "long_context,streaming" {
		t.Errorf("exercises %v", got)
	}
}
