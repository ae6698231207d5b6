package suites

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// aliasBomb is nine levels of nine aliases: 454 bytes that expand to 9^9
// (387 million) strings.
func aliasBomb() string {
	var b strings.Builder
	b.WriteString("name: bomb\ntags: [a]\nprompt: {user: '{{json .l8}}'}\ncases:\n  - id: a\n    vars:\n")
	b.WriteString("      l0: &a0 [lol,lol,lol,lol,lol,lol,lol,lol,lol]\n")
	for i := 1; i < 9; i++ {
		b.WriteString(fmt.Sprintf("      l%d: &a%d [", i, i))
		b.WriteString(strings.TrimSuffix(strings.Repeat(fmt.Sprintf("*a%d,", i-1), 9), ","))
		b.WriteString("]\n")
	}
	return b.String()
}

// TestHostileSuites checks each parser bomb and each file in another
// encoding fails fast at load, naming file:line and the limit, instead of
// exhausting memory (issue 11, failures 3 and 10).
func TestHostileSuites(t *testing.T) {
	t.Parallel()
	const head = "name: x\ntags: [a]\n"
	bigVar := strings.Repeat("x", MaxCaseLineBytes)
	tests := []struct {
		name  string
		suite string
		files map[string]string
		want  string
	}{
		// Rendering {{json .l8}} once built gigabytes; go-yaml's decoder shares the nodes.
		{"alias bomb", aliasBomb(), nil, "s.yaml:13:16: the aliases expand to more than 1000000 YAML nodes, the limit (MaxAliasNodes)"},
		// 9e9 bytes of prompt: the writer stops at the limit.
		{"template bomb", head + "prompt: {user: '{{range 30000}}{{range 30000}}xxxxxxxxxx{{end}}{{end}}'}\ncases:\n  - id: a\n", nil,
			`s.yaml:5:7: case "a": prompt.user: renders more than 16 MiB, the limit for one template (MaxPromptBytes)`},
		// A check's value is a template too.
		{"check value bomb", head + "prompt: {user: hi}\ncases:\n  - id: a\nchecks:\n  - type: contains\n    value: '{{range 30000}}{{range 30000}}xxxxxxxxxx{{end}}{{end}}'\n", nil,
			`s.yaml:5:7: case "a": checks[0].value: renders more than 16 MiB`},
		// bufio.Scanner said "token too long" with no line; a 16 MiB var under the old 64 MB cap loaded.
		{"JSONL line too long", head + "prompt: {user: '{{.t}}'}\ncases_file: c.jsonl\n", map[string]string{"c.jsonl": `{"id": "a", "vars": {"t": "a"}}` + "\n" + `{"id": "b", "vars": {"t": "` + bigVar + `"}}` + "\n"},
			"c.jsonl:2: the line is longer than 16 MiB, the limit for one case (MaxCaseLineBytes)"},
		// Latin-1 bytes once loaded as U+FFFD in the prompt.
		{"JSONL not UTF-8", head + "prompt: {user: '{{.t}}'}\ncases_file: c.jsonl\n", map[string]string{"c.jsonl": `{"id": "a", "vars": {"t": "a"}}` + "\n" + `{"id": "b", "vars": {"t": "caf` + "\xe9" + `"}}` + "\n"},
			"c.jsonl:2: the line is not UTF-8"},
		{"YAML not UTF-8", head + "prompt: {user: 'caf\xe9 {{.t}}'}\ncases: [{id: a, vars: {t: x}}]\n", nil, "s.yaml:3:20: byte 0xe9 is not UTF-8: save the file as UTF-8"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			files := map[string]string{"s.yaml": tt.suite}
			for k, v := range tt.files {
				files[k] = v
			}
			dir := writeFiles(t, files)
			start := time.Now()
			_, err := LoadFile(filepath.Join(dir, "s.yaml"))
			if err == nil {
				t.Fatalf("loaded a hostile suite; want error containing %q", tt.want)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error:\n  %.300v\nwant it to contain:\n  %s", err, tt.want)
			}
			if took := time.Since(start); took > 10*time.Second {
				t.Errorf("took %v to refuse: a bound should fail fast", took)
			}
		})
	}
}

// TestAliasesWithinLimits checks ordinary anchors still load: shared
// metadata and vars reused across cases.
func TestAliasesWithinLimits(t *testing.T) {
	t.Parallel()
	suite := "name: x\ntags: [a]\nmetadata: &m {team: ml}\nprompt: {user: '{{.t}} {{join .l \",\"}}'}\ncases:\n" +
		"  - {id: a, vars: &v {t: hi, l: [1, 2, 3]}, metadata: *m}\n  - {id: b, vars: *v}\n"
	dir := writeFiles(t, map[string]string{"s.yaml": suite})
	s, err := LoadFile(filepath.Join(dir, "s.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if got := messages(t, s, all(t, s)[1]).User; got != "hi 1,2,3" {
		t.Errorf("case b renders %q", got)
	}
}
