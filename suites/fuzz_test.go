package suites

import (
	"path/filepath"
	"strings"
	"testing"
)

// FuzzParseSuite feeds arbitrary bytes to the suite parser: it must return
// a suite or an error that names the file, never panic.
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
		if s.Name == "" || len(s.Cases) == 0 || len(s.Tags) == 0 {
			t.Fatalf("accepted an incomplete suite: %+v", s)
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
