package suites

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const goodSuite = `name: extract
tags: [extract]
metadata: {feature: invoices}
request: {temperature: 0, max_tokens: 200, seed: 7}
prompt:
  system: Answer with JSON.
  user: "Invoice: {{.text}}"
cases:
  - id: a
    vars: {text: "Acme, 12 EUR"}
    reference: '{"vendor": "Acme"}'
    metadata: {customer: acme}
checks:
  - type: json_schema
    schema: {type: object, required: [vendor]}
  - type: similarity
  - type: equals
    value: "{{.text}}"
    ignore_case: true
`

func writeFiles(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestLoadSuite(t *testing.T) {
	t.Parallel()
	dir := writeFiles(t, map[string]string{
		"s.yaml":      goodSuite + "cases_file: more.jsonl\n",
		"more.jsonl":  `{"id": "b", "vars": {"text": "Globex"}, "reference": "{\"vendor\": \"Globex\"}"}` + "\n\n" + `{"vars": {"text": "Initech"}, "reference": "x"}` + "\n",
		"ignored.txt": "not a suite",
	})
	ss, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(ss) != 1 {
		t.Fatalf("loaded %d suites, want 1", len(ss))
	}
	s := ss[0]
	if got := s.Cases.Len(); got != 3 {
		t.Fatalf("cases = %d, want 3 (1 inline + 2 from JSONL)", got)
	}
	if m := messages(t, s, all(t, s)[0]); m.User != "Invoice: Acme, 12 EUR" || m.System != "Answer with JSON." {
		t.Errorf("rendered %+v", m)
	}
	if all(t, s)[2].ID != "case-3" {
		t.Errorf("a case without id gets its position: got %q", all(t, s)[2].ID)
	}
	if !strings.HasSuffix(all(t, s)[1].Source(), "more.jsonl:1") || !strings.HasSuffix(all(t, s)[2].Source(), "more.jsonl:3") {
		t.Errorf("sources %q %q", all(t, s)[1].Source(), all(t, s)[2].Source())
	}
	if s.Request.Temperature == nil || *s.Request.Temperature != 0 {
		t.Errorf("temperature 0 must be kept as set, got %v", s.Request.Temperature)
	}
	if s.Checks[0].Compiled == nil || s.Checks[1].Threshold != 0.8 || s.Checks[1].Against != "reference" {
		t.Errorf("check defaults not applied: %+v %+v", s.Checks[0], s.Checks[1])
	}
	if got := s.Checks[2].Expected(all(t, s)[1]); got != "Globex" {
		t.Errorf("equals value renders over vars: got %q", got)
	}
	if m := s.Meta(all(t, s)[0]); m["feature"] != "invoices" || m["customer"] != "acme" {
		t.Errorf("metadata merge = %v", m)
	}
	if s.Tier != "default" {
		t.Errorf("tier default = %q", s.Tier)
	}
}

// TestSuiteErrors checks that each kind of broken suite fails at load time,
// naming the file and line and what to fix.
func TestSuiteErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		suite string
		files map[string]string
		want  string // file:line and message fragment
	}{
		{"bad YAML", "name: x\ntags: [a\nprompt: {user: hi}\n", nil, "s.yaml:3:1: ',' or ']' must be specified"},
		{"unknown field", "name: x\ntags: [a]\nprompt: {user: hi}\nchekcs: []\ncases: [{id: a}]\n", nil, `s.yaml:4:1: unknown field "chekcs"`},
		{"wrong type", "name: x\ntags: [a]\nprompt: {user: hi}\nrequest: {temperature: hot}\ncases: [{id: a}]\n", nil, "s.yaml:4:24: want a number here, found string"},
		{"unknown check", "name: x\ntags: [a]\nprompt: {user: hi}\ncases: [{id: a, reference: r}]\nchecks:\n  - type: jsonschema\n", nil, `s.yaml:6:11: check 1: unknown type "jsonschema"`},
		{"missing var", "name: x\ntags: [a]\nprompt: {user: 'hi {{.name}}'}\ncases:\n  - id: a\n    vars: {nam: b}\n", nil, `s.yaml:5:7: case "a": prompt.user uses var "name", which the case does not set (it sets: nam)`},
		{"missing var in JSONL", "name: x\ntags: [a]\nprompt: {user: 'hi {{.name}}'}\ncases_file: c.jsonl\n", map[string]string{"c.jsonl": "{\"id\":\"a\",\"vars\":{\"name\":\"z\"}}\n{\"id\":\"b\",\"vars\":{}}\n"}, `c.jsonl:2: case "b": prompt.user uses var "name"`},
		{"bad JSONL", "name: x\ntags: [a]\nprompt: {user: hi}\ncases_file: c.jsonl\n", map[string]string{"c.jsonl": "{\"id\":\"a\",\"variables\":{}}\n"}, `c.jsonl:1: not a case`},
		{"invalid schema", "name: x\ntags: [a]\nprompt: {user: hi}\ncases: [{id: a}]\nchecks:\n  - type: json_schema\n    schema: {type: objekt}\n", nil, "s.yaml:7:13: check 1: invalid JSON schema"},
		{"unsupported draft", "name: x\ntags: [a]\nprompt: {user: hi}\ncases: [{id: a}]\nchecks:\n  - type: json_schema\n    schema_file: s.json\n", map[string]string{"s.json": `{"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object"}`}, `s.yaml:7:18: check 1: $schema "https://json-schema.org/draft/2020-12/schema" is not supported`},
		{"bad regex", "name: x\ntags: [a]\nprompt: {user: hi}\ncases: [{id: a}]\nchecks:\n  - type: regex\n    pattern: '(['\n", nil, "s.yaml:7:14: check 1: bad pattern"},
		{"no reference", "name: x\ntags: [a]\nprompt: {user: hi}\ncases:\n  - id: a\nchecks:\n  - type: similarity\n", nil, `s.yaml:5:7: case "a" has no reference, which the similarity check at line 7 compares with`},
		{"misplaced setting", "name: x\ntags: [a]\nprompt: {user: hi}\ncases: [{id: a}]\nchecks:\n  - type: regex\n    pattern: x\n    rubric: be nice\n", nil, "s.yaml:8:13: check 1: rubric does not apply to a regex check"},
		{"judge without rubric", "name: x\ntags: [a]\nprompt: {user: hi}\ncases: [{id: a}]\nchecks:\n  - type: judge\n", nil, "s.yaml:6:9: check 1: a judge check needs a rubric"},
		{"no tags", "name: x\nprompt: {user: hi}\ncases: [{id: a}]\n", nil, "s.yaml:1:5: suite x has no tags"},
		{"duplicate case", "name: x\ntags: [a]\nprompt: {user: hi}\ncases:\n  - id: a\n  - id: a\n", nil, `s.yaml:6:7: case id "a" is already used at`},
		{"duplicate case in JSONL", "name: x\ntags: [a]\nprompt: {user: hi}\ncases_file: c.jsonl\n", map[string]string{"c.jsonl": "{\"id\":\"a\"}\n{\"id\":\"b\"}\n\n{\"id\":\" a \"}\n"}, `c.jsonl:4: case id "a" is already used at `},
		{"duplicate of an inline case", "name: x\ntags: [a]\nprompt: {user: hi}\ncases: [{id: a}]\ncases_file: c.jsonl\n", map[string]string{"c.jsonl": "{\"id\":\"a\"}\n"}, `c.jsonl:1: case id "a" is already used at `},
		{"vars not an object", "name: x\ntags: [a]\nprompt: {user: hi}\ncases_file: c.jsonl\n", map[string]string{"c.jsonl": "{\"id\":\"a\",\"vars\":[1]}\n"}, `c.jsonl:1: not a case (want {"id", "vars", "reference", "metadata"}): vars is not an object: [1]`},
		{"missing var in a turn", "name: x\ntags: [a]\nprompt: {user: hi, turns: [{role: user, content: '{{.t}}'}]}\ncases_file: c.jsonl\n", map[string]string{"c.jsonl": "{\"id\":\"a\",\"vars\":{\"u\":1}}\n"}, `c.jsonl:1: case "a": prompt.turns[0] uses var "t", which the case does not set (it sets: u)`},
		{"empty user prompt", "name: x\ntags: [a]\nprompt: {user: '{{.t}}'}\ncases_file: c.jsonl\n", map[string]string{"c.jsonl": "{\"id\":\"a\",\"vars\":{\"t\":\" \"}}\n"}, `c.jsonl:1: case "a": the user prompt renders empty`},
		{"image file missing", "name: x\ntags: [a]\nprompt: {user: hi, images: ['{{.img}}']}\ncases_file: c.jsonl\n", map[string]string{"c.jsonl": "{\"id\":\"a\",\"vars\":{\"img\":\"no.png\"}}\n"}, `c.jsonl:1: case "a": image no.png: `},
		{"image file not an image", "name: x\ntags: [a]\nprompt: {user: hi, images: [pic.png]}\ncases: [{id: a}]\n", map[string]string{"pic.png": "hello"}, `s.yaml:4:9: case "a": image pic.png is not an image (text/plain; charset=utf-8)`},
		{"template syntax", "name: x\ntags: [a]\nprompt: {user: 'hi {{.name'}\ncases: [{id: a}]\n", nil, "s.yaml:3:16: template: prompt.user:1: unclosed action"},
		{"empty file", "", nil, "s.yaml: the file is empty"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			files := map[string]string{"s.yaml": tt.suite}
			for k, v := range tt.files {
				files[k] = v
			}
			dir := writeFiles(t, files)
			_, err := LoadFile(filepath.Join(dir, "s.yaml"))
			if err == nil {
				t.Fatalf("loaded a broken suite; want error containing %q", tt.want)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error:\n  %v\nwant it to contain:\n  %s", err, tt.want)
			}
		})
	}
}

// TestDuplicateCaseNamesBothLines checks a repeated id names the line of
// each use, in the cases_file or inline.
func TestDuplicateCaseNamesBothLines(t *testing.T) {
	t.Parallel()
	dir := writeFiles(t, map[string]string{
		"s.yaml":  "name: x\ntags: [a]\nprompt: {user: hi}\ncases: [{id: b}]\ncases_file: c.jsonl\n",
		"c.jsonl": "{\"id\":\"a\"}\n# b again\n\n{\"id\":\"c\"}\n{\"id\":\"b\"}\n",
	})
	_, err := LoadFile(filepath.Join(dir, "s.yaml"))
	want := fmt.Sprintf(`%s: case id "b" is already used at %s: give each case its own id`,
		filepath.Join(dir, "c.jsonl:5"), filepath.Join(dir, "s.yaml:4:9"))
	if err == nil || err.Error() != want {
		t.Errorf("err = %v\nwant  %s", err, want)
	}
}

func TestDuplicateSuiteNames(t *testing.T) {
	t.Parallel()
	dir := writeFiles(t, map[string]string{"a.yaml": goodSuite, "b.yml": goodSuite})
	_, err := Load(dir)
	if err == nil || !strings.Contains(err.Error(), `suite name "extract" is already used`) {
		t.Fatalf("err = %v", err)
	}
}
