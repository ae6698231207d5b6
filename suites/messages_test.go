package suites

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// messages renders c, failing the test on an error.
func messages(tb testing.TB, s *Suite, c *Case) Messages {
	tb.Helper()
	m, err := s.Messages(c)
	if err != nil {
		tb.Fatalf("case %s does not render: %v", c.ID, err)
	}
	return m
}

// pngHead is the start of a PNG file: enough for its type to be detected.
const pngHead = "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00"

// TestMessagesRenderWhatLoadChecked checks the cases of every kind a suite
// can hold render when sent, with no error, the same text every time: load
// rendered each once and kept none of it.
func TestMessagesRenderWhatLoadChecked(t *testing.T) {
	t.Parallel()
	dir := writeFiles(t, map[string]string{
		"s.yaml": `name: x
tags: [a]
prompt:
  system: 'Answer as {{.role}}.'
  turns: [{role: user, content: 'Earlier: {{index .list 0}}'}, {role: assistant, content: ok}]
  user: '{{.text}} {{json .record}} {{join .list "+"}}'
  images: ['{{.img}}']
cases:
  - {id: inline, vars: {role: a clerk, text: inline, record: {n: 12345678901234567890}, list: [1, two], img: pic.png}}
cases_file: c.jsonl
`,
		"c.jsonl": `{"id": "json", "vars": {"role": "a judge", "text": "caf\u00e9", "record": {"n": 1e21, "b": [true, null]}, "list": [3.5], "img": "https://example.com/p.png"}}` + "\n",
		"pic.png": pngHead,
	})
	s, err := LoadFile(filepath.Join(dir, "s.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]Messages{
		"inline": {System: "Answer as a clerk.", Turns: []Turn{{"user", "Earlier: 1"}, {"assistant", "ok"}},
			User:   `inline {"n":12345678901234567890} 1+two`,
			Images: []Image{{Source: "pic.png", URL: "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAAA="}}},
		"json": {System: "Answer as a judge.", Turns: []Turn{{"user", "Earlier: 3.5"}, {"assistant", "ok"}},
			User:   `café {"b":[true,null],"n":1e+21} 3.5`,
			Images: []Image{{Source: "https://example.com/p.png", URL: "https://example.com/p.png"}}},
	}
	for _, c := range all(t, s) {
		first, again := messages(t, s, c), messages(t, s, c)
		if !reflect.DeepEqual(first, want[c.ID]) {
			t.Errorf("case %s renders\n  %+v\nwant\n  %+v", c.ID, first, want[c.ID])
		}
		if !reflect.DeepEqual(first, again) {
			t.Errorf("case %s renders differently the second time:\n  %+v\n  %+v", c.ID, first, again)
		}
	}
}

// TestMessagesImageGoneAfterLoad checks the one failure left after load:
// an image file removed since is the case's error, naming its line.
func TestMessagesImageGoneAfterLoad(t *testing.T) {
	t.Parallel()
	dir := writeFiles(t, map[string]string{
		"s.yaml":  "name: x\ntags: [a]\nprompt: {user: hi, images: ['{{.img}}']}\ncases_file: c.jsonl\n",
		"c.jsonl": `{"id": "a", "vars": {"img": "pic.png"}}` + "\n",
		"pic.png": pngHead,
	})
	s, err := LoadFile(filepath.Join(dir, "s.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(filepath.Join(dir, "pic.png")); err != nil {
		t.Fatal(err)
	}
	_, err = s.Messages(all(t, s)[0])
	if want := `c.jsonl:1: case "a": image pic.png: `; err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("err = %v, want it to contain %q", err, want)
	}
}

// TestMessagesOfSuiteBuiltInCode checks a Suite written as a Go literal
// renders its prompt text over the case's vars, and reports a broken
// template as an error rather than a panic.
func TestMessagesOfSuiteBuiltInCode(t *testing.T) {
	t.Parallel()
	s := &Suite{Name: "code", Prompt: Prompt{System: "sys", User: "Invoice {{.id}}"}}
	c := &Case{ID: "c1", Vars: map[string]any{"id": "c1"}}
	if m := messages(t, s, c); m.System != "sys" || m.User != "Invoice c1" {
		t.Errorf("renders %+v", m)
	}
	if m := messages(t, &Suite{Name: "bare"}, &Case{ID: "c"}); !reflect.DeepEqual(m, Messages{}) {
		t.Errorf("a suite without a prompt renders %+v", m)
	}
	broken := &Suite{Name: "broken", Prompt: Prompt{User: "{{.id"}}
	if _, err := broken.Messages(c); err == nil || !strings.Contains(err.Error(), "suite broken: template: prompt.user") {
		t.Errorf("err = %v", err)
	}
	if _, err := s.Messages(&Case{ID: "c2"}); err == nil || !strings.HasPrefix(err.Error(), `case "c2": prompt.user uses var "id"`) {
		t.Errorf("err = %v", err)
	}
}

// TestTemplateVars checks a cases_file case keeps its vars as JSON and
// decodes a fresh map on every call, which a caller may change freely.
func TestTemplateVars(t *testing.T) {
	t.Parallel()
	dir := writeFiles(t, map[string]string{
		"s.yaml":  "name: x\ntags: [a]\nprompt: {user: '{{.t}}'}\ncases_file: c.jsonl\n",
		"c.jsonl": `{"id": "a", "vars": {"t": "x", "n": 2}}` + "\n",
	})
	s, err := LoadFile(filepath.Join(dir, "s.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	c := all(t, s)[0]
	if c.Vars != nil {
		t.Errorf("a cases_file case holds decoded vars %v", c.Vars)
	}
	v, err := c.TemplateVars()
	if err != nil || !reflect.DeepEqual(v, map[string]any{"t": "x", "n": 2.0}) {
		t.Fatalf("vars %v, %v", v, err)
	}
	v["t"] = "changed"
	if m := messages(t, s, c); m.User != "x" {
		t.Errorf("a changed map reached the prompt: %q", m.User)
	}
}

// TestLiteralCheckValue holds Expected's shortcut for a value template of
// text alone to what rendering it gives, and keeps templates with an
// action (a var, a function, a define, a trim marker's neighbour) on the
// rendering path.
func TestLiteralCheckValue(t *testing.T) {
	t.Parallel()
	cs := &Case{ID: "a", Vars: map[string]any{"x": "vx"}}
	for _, tc := range []struct {
		value, want string
		literal     bool
	}{
		{"shipping", "shipping", true},
		{"a {{/* note */}} b", "a  b", true},
		{"a  {{- /* trimmed */ -}}  b", "ab", true},
		{"{{.x}}", "vx", false},
		{"id {{.x}}!", "id vx!", false},
		{`{{define "t"}}z{{end}}plain`, "plain", false},
		{`{{"quoted"}}`, "quoted", false},
	} {
		tmpl, err := parseTemplate("v", tc.value)
		if err != nil {
			t.Fatal(err)
		}
		c := &Check{Type: Contains, value: tmpl}
		c.literal, c.isLiteral = literalText(tmpl)
		if c.isLiteral != tc.literal {
			t.Errorf("%q: literal %v, want %v", tc.value, c.isLiteral, tc.literal)
		}
		rendered, err := render(tmpl, cs.Vars)
		if err != nil {
			t.Fatal(err)
		}
		if got := c.Expected(cs); got != tc.want || got != rendered {
			t.Errorf("%q: Expected %q, rendered %q, want %q", tc.value, got, rendered, tc.want)
		}
	}
}
