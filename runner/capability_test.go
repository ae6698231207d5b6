package runner_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/parity-eval/parity/fixtures"
	"github.com/parity-eval/parity/runner"
	"github.com/parity-eval/parity/suites"
)

const capabilitySuite = `name: caps
tags: [vision]
request: {temperature: 0}
prompt:
  system: You read receipts.
  turns:
    - {role: user, content: "Hello"}
    - {role: assistant, content: "Hi! Send the receipt."}
  user: "What is the total of {{.name}}?"
  images: ["{{.file}}", "https://example.test/r.png"]
tools:
  - name: lookup_order
    description: Find an order.
    parameters: {type: object, required: [id], properties: {id: {type: string}}}
tool_choice: auto
response_format: {type: json_schema, name: receipt, schema: {type: object, required: [total]}, strict: true}
cases:
  - {id: r1, vars: {name: a receipt, file: DOT}, reference: '{"total": 3}', expect_tool: {none: true}}
`

// TestCapabilityRequestBytes checks what goes out for a suite using every
// capability: the conversation's turns in order, the images as content
// parts (a file as a base64 data: URL, a URL as written), the tools, the
// tool choice and the JSON-schema response format.
func TestCapabilityRequestBytes(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	dot, err := filepath.Abs("testdata/dot.png")
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "s.yaml")
	if err := os.WriteFile(path, []byte(strings.ReplaceAll(capabilitySuite, "DOT", dot)), 0o644); err != nil {
		t.Fatal(err)
	}
	ss, err := suites.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	srv, hs := fixtureServer(t, ss, fixtures.Profiles(fixtures.Profile{ID: "sim-frontier", Quality: map[string]float64{fixtures.AnyTag: 1}}))
	cfg := loadConfig(t, hs.URL, "  - {id: sim-frontier, base_url: URL/sim-frontier/v1, model: m}\n")
	results := collect(runner.New(cfg).Run(context.Background(), ss))
	if len(results) != 1 || results[0].Failed() {
		t.Fatalf("results %+v", results)
	}
	reqs := srv.Requests()
	if len(reqs) != 1 {
		t.Fatalf("%d requests", len(reqs))
	}
	var body struct {
		Messages []struct {
			Role    string          `json:"role"`
			Content json.RawMessage `json:"content"`
		} `json:"messages"`
		Tools []struct {
			Type     string `json:"type"`
			Function struct {
				Name       string          `json:"name"`
				Parameters json.RawMessage `json:"parameters"`
			} `json:"function"`
		} `json:"tools"`
		ToolChoice     string `json:"tool_choice"`
		ResponseFormat struct {
			Type       string `json:"type"`
			JSONSchema struct {
				Name   string          `json:"name"`
				Schema json.RawMessage `json:"schema"`
				Strict bool            `json:"strict"`
			} `json:"json_schema"`
		} `json:"response_format"`
	}
	if err := json.Unmarshal(reqs[0].Body, &body); err != nil {
		t.Fatal(err)
	}
	roles := []string{}
	for _, m := range body.Messages {
		roles = append(roles, m.Role)
	}
	if strings.Join(roles, ",") != "system,user,assistant,user" {
		t.Errorf("roles %v", roles)
	}
	var parts []struct {
		Type     string `json:"type"`
		Text     string `json:"text"`
		ImageURL struct {
			URL string `json:"url"`
		} `json:"image_url"`
	}
	if err := json.Unmarshal(body.Messages[3].Content, &parts); err != nil {
		t.Fatalf("the user message is not content parts: %s", body.Messages[3].Content)
	}
	if len(parts) != 3 || parts[0].Text != "What is the total of a receipt?" ||
		!strings.HasPrefix(parts[1].ImageURL.URL, "data:image/png;base64,iVBORw0KGgo") ||
		parts[2].ImageURL.URL != "https://example.test/r.png" {
		t.Errorf("content parts %+v", parts)
	}
	if len(body.Tools) != 1 || body.Tools[0].Type != "function" || body.Tools[0].Function.Name != "lookup_order" ||
		!strings.Contains(string(body.Tools[0].Function.Parameters), `"required":["id"]`) || body.ToolChoice != "auto" {
		t.Errorf("tools %+v choice %q", body.Tools, body.ToolChoice)
	}
	rf := body.ResponseFormat
	if rf.Type != "json_schema" || rf.JSONSchema.Name != "receipt" || !rf.JSONSchema.Strict || !strings.Contains(string(rf.JSONSchema.Schema), `"total"`) {
		t.Errorf("response_format %+v", rf)
	}
}
