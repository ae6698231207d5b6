package suites

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzParseSuite feeds arbitrary bytes to the suite parser: it must return
// a suite or an error that names the file, never panic, and every case of
// a suite it accepts renders when sent.
func FuzzParseSuite(f *testing.F) {
	f.Add([]byte(goodSuite))
	f.Add([]byte("name: x\ntags: [a]\nprompt: {user: '{{.a}}'}\ncases: [{id: a, vars: {a: 1}}]\nchecks: [{type: regex, pattern: 'a+'}]\n"))
	f.Add([]byte("- just\n- a list\n"))
	f.Add([]byte("name: &a x\ntags: *a\n"))
	dir := f.TempDir()
	path := filepath.Join(dir, "f.yaml")
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := parseSuite(path, data)
		if err != nil {
			if !strings.Contains(err.Error(), "f.yaml") {
				t.Fatalf("error does not name the file: %v", err)
			}
			return
		}
		if s.Name == "" || s.Cases.Len() == 0 || len(s.Tags) == 0 {
			t.Fatalf("accepted an incomplete suite: %+v", s)
		}
		for _, c := range all(t, s) {
			if m, err := s.Messages(c); err != nil || strings.TrimSpace(m.User) == "" {
				t.Fatalf("accepted case %s renders %q, %v", c.ID, m.User, err)
			}
		}
	})
}

// FuzzExpand checks ${VAR} expansion never panics and leaves no reference
// to a set variable behind.
func FuzzExpand(f *testing.F) {
	f.Add("${A}/v1")
	f.Add("${B:-http://x}${A}")
	f.Add("${")
	env := mapEnv(map[string]string{"A": "http://a"})
	f.Fuzz(func(t *testing.T, s string) {
		out, err := expand(s, env)
		if err == nil && strings.Contains(out, "${A}") && !strings.Contains(s, "${A}${A}") && strings.Count(s, "${A}") == 0 {
			t.Fatalf("expand(%q) = %q", s, out)
		}
	})
}

// FuzzLoadConfig feeds arbitrary bytes to the config loader: it returns a
// config or an error naming the file, never panics, never prints a key,
// and what it accepts holds only what a run can send.
func FuzzLoadConfig(f *testing.F) {
	f.Add([]byte(goodConfig))
	f.Add([]byte("providers:\n  - id: p\n    base_url: http://h/v1\n    model: m\n    price: {input: .nan}\n"))
	f.Add([]byte("providers:\n  - id: p\n    base_url: http://h/v1\n    model: m\n    headers: {\"X-A\": \"a\\r\\nb\"}\n"))
	f.Add([]byte("providers: &p [{id: p, base_url: 'http://h/v1', model: m, api_key_env: BIG_KEY}]\njudge: {provider: p}\n"))
	path := filepath.Join(f.TempDir(), "parity.yaml")
	env := mapEnv(map[string]string{"BIG_KEY": "sk-fuzz-secret\n2", "FIXTURES": "http://127.0.0.1:1"})
	f.Fuzz(func(t *testing.T, data []byte) {
		cfg, err := parseConfig(path, data, env)
		if err != nil {
			if !strings.Contains(err.Error(), "parity.yaml") {
				t.Fatalf("error does not name the file: %v", err)
			}
			if strings.Contains(err.Error(), "sk-fuzz-secret") {
				t.Fatalf("error prints the key: %v", err)
			}
			return
		}
		if len(cfg.Providers) == 0 || cfg.Concurrency < 1 {
			t.Fatalf("accepted a config that cannot run: %+v", cfg)
		}
		for _, p := range cfg.Providers {
			for _, v := range []float64{p.Price.Input, p.Price.Output, p.Price.Image} {
				if !(v >= 0) || math.IsInf(v, 0) {
					t.Fatalf("provider %s: accepted price %v", p.ID, v)
				}
			}
			for k, v := range p.Headers {
				if strings.ContainsAny(k+v, "\r\n\x00") {
					t.Fatalf("provider %s: accepted header %q: %q", p.ID, k, v)
				}
			}
			if strings.ContainsAny(p.APIKey, "\r\n") {
				t.Fatalf("provider %s: accepted a key with a newline", p.ID)
			}
		}
	})
}

// FuzzReadCases feeds arbitrary bytes to the JSONL cases reader: an error
// names file:line, and every accepted case has a unique id, its line and
// a UTF-8 prompt that renders when sent.
func FuzzReadCases(f *testing.F) {
	f.Add([]byte(`{"id": "a", "vars": {"t": "x"}}` + "\n" + `{"vars": {"t": "y"}, "reference": "r"}` + "\n"))
	f.Add([]byte("# comment\n\n{\"id\": \"a\", \"vars\": {\"t\": \"caf\xe9\"}}\n"))
	f.Add([]byte(`{"id": "a", "vars": {"t": 1}}` + "\r\n" + `{"id": "a", "vars": {"t": 2}}`))
	f.Add([]byte(`{"id": "a", "vars": {"t": [1, {"x": null}]}, "metadata": {"k": "v"}}`))
	dir := f.TempDir()
	path := filepath.Join(dir, "s.yaml")
	f.Fuzz(func(t *testing.T, data []byte) {
		var raw rawSuite
		yf, err := decodeYAML(path, []byte("name: x\ntags: [a]\nprompt: {user: 'q {{.t}}'}\n"), &raw)
		if err != nil {
			t.Fatal(err)
		}
		l := suiteLoader{f: yf, dir: dir, ids: newCaseIDs()}
		s := &Suite{Name: "x", File: path, Prompt: Prompt{User: raw.Prompt.User}}
		if err := l.templates(s); err != nil {
			t.Fatal(err)
		}
		cases := filepath.Join(dir, "c.jsonl") // read again from the file
		if err := os.WriteFile(cases, data, 0o644); err != nil {
			t.Fatal(err)
		}
		if err := l.readCases(s, cases, cases, bytes.NewReader(data)); err != nil {
			if !strings.HasPrefix(err.Error(), cases+":") {
				t.Fatalf("error does not name file:line: %v", err)
			}
			return
		}
		seen := map[string]bool{}
		for _, c := range all(t, s) {
			m, err := s.Messages(c)
			if err != nil {
				t.Fatalf("accepted case %+v does not render: %v", c, err)
			}
			if seen[c.ID] || !strings.HasPrefix(c.Source(), cases+":") || !utf8.ValidString(m.User) || !strings.HasPrefix(m.User, "q ") {
				t.Fatalf("accepted case %+v", c)
			}
			seen[c.ID] = true
		}
	})
}

// decodeCaseStd is decodeCase with encoding/json: the reference it is
// held to.
func decodeCaseStd(line []byte) (jsonCase, error) {
	var jc jsonCase
	dec := json.NewDecoder(bytes.NewReader(line))
	dec.DisallowUnknownFields()
	err := dec.Decode(&jc)
	if err == nil && len(bytes.Trim(line[dec.InputOffset():], " \t\r\n")) > 0 { // JSON white space
		err = fmt.Errorf("text after the object")
	}
	return jc, err
}

// FuzzDecodeCase holds decodeCase (segmentio/encoding) to encoding/json on
// any UTF-8 line: the same lines accepted, decoded to the same case.
func FuzzDecodeCase(f *testing.F) {
	for _, s := range []string{
		`{"id": "a", "vars": {"t": "x"}, "reference": "r", "metadata": {"k": "v"}}`,
		`{"id": "a", "vars": null, "expect_tool": {"name": "f", "arguments": {"x": [1, 2.5e3, null, true]}}}`,
		`{"id": "a", "vars": [1]}`, `{"id": "a", "extra": 1}`, `{"ID": "a", "Vars": {}}`,
		`{"id": "a"} {"id": "b"}`, `{"id": "a"}  `, `{"id": "\u00e9\ud83d\ude00", "reference": "\"q\""}`,
		`{"id": 1}`, `{"id": "a", "id": "b"}`, `{"vars": {"n": 1e400}}`, `{"vars": {"n": -0, "big": 12345678901234567890}}`,
		`{"vars": {"a": {"a": {"a": [[], {}, "\u0000"]}}, "a": 2}}`, `{"metadata": {"k": 1}}`, `{"expect_tool": {"none": true}}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, line []byte) {
		if !utf8.Valid(line) {
			return // refused before decoding
		}
		want, errWant := decodeCaseStd(line)
		got, errGot := decodeCase(line)
		if (errWant == nil) != (errGot == nil) {
			t.Fatalf("%q: encoding/json %v, decodeCase %v", line, errWant, errGot)
		}
		if errWant == nil && !reflect.DeepEqual(want, got) {
			t.Fatalf("%q: encoding/json %+v, decodeCase %+v", line, want, got)
		}
		if errWant != nil || got.Vars == "" {
			return
		}
		var wantVars map[string]any
		errWant = json.Unmarshal([]byte(got.Vars), &wantVars)
		gotVars, errGot := decodeVars(string(got.Vars))
		if (errWant == nil) != (errGot == nil) || errWant == nil && !reflect.DeepEqual(wantVars, gotVars) {
			t.Fatalf("vars %s: encoding/json %v %v, decodeVars %v %v", got.Vars, wantVars, errWant, gotVars, errGot)
		}
	})
}
