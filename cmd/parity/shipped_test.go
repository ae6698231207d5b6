package main

import (
	"bytes"
	"flag"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/goccy/go-yaml"
)

// shippedFiles are the setups users copy: their parity commands must be
// ones this build accepts (deploy's tests check what they cover).
var shippedFiles = []string{
	"../../.github/workflows/parity-nightly.yml",
	"../../deploy/kubernetes/parity-nightly.yaml",
	"../../deploy/kubernetes/parity-merge.yaml",
}

// TestShippedCommandsParse reads every parity command of the shipped
// workflow and Kubernetes Jobs (a step's run script; a container's
// command and args) and holds each flag to the real command's flag set,
// and each file to running run, merge or gate with a shard: a renamed
// or removed flag fails here, not in a user's nightly.
func TestShippedCommandsParse(t *testing.T) {
	t.Parallel()
	flags := map[string]map[string]bool{}
	for _, c := range commands(&env{stdout: io.Discard, stderr: io.Discard, lookupEnv: func(string) (string, bool) { return "", false }}) {
		flags[c.name] = map[string]bool{}
		c.fs.VisitAll(func(f *flag.Flag) { flags[c.name][f.Name] = true })
	}
	seen := map[string]bool{}
	for _, file := range shippedFiles {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		cmds := parityCommands(t, data)
		if len(cmds) == 0 {
			t.Errorf("%s: no parity command found", file)
		}
		for _, words := range cmds {
			sub := words[0]
			known, ok := flags[sub]
			if !ok {
				t.Errorf("%s: parity %s: no such command", filepath.Base(file), sub)
				continue
			}
			seen[sub] = true
			for _, w := range words[1:] {
				name, isFlag := strings.CutPrefix(w, "-")
				if !isFlag || name == "" {
					continue
				}
				name, _, _ = strings.Cut(strings.TrimPrefix(name, "-"), "=")
				if !known[name] {
					t.Errorf("%s: parity %s has no flag --%s", filepath.Base(file), sub, name)
				}
			}
			if sub == "run" && !slices.Contains(words, "--shard") {
				t.Errorf("%s: parity run without --shard: %q", filepath.Base(file), words)
			}
		}
	}
	for _, sub := range []string{"run", "merge", "gate"} {
		if !seen[sub] {
			t.Errorf("the shipped files never run parity %s", sub)
		}
	}
}

// parityCommands finds the parity command lines in a YAML file of one or
// more documents: each as its words after "parity", quotes dropped.
func parityCommands(t *testing.T, data []byte) [][]string {
	t.Helper()
	var out [][]string
	dec := yaml.NewDecoder(bytes.NewReader(data))
	for {
		var doc any
		if err := dec.Decode(&doc); err == io.EOF {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		walkYAML(doc, func(m map[string]any) {
			if run, ok := m["run"].(string); ok {
				out = append(out, scriptCommands(run)...)
			}
			if cmd, ok := m["command"].([]any); ok && len(cmd) == 1 && cmd[0] == "parity" {
				var words []string
				args, _ := m["args"].([]any)
				for _, a := range args {
					words = append(words, strings.Trim(strings.TrimSpace(toString(a)), `"'`))
				}
				out = append(out, words)
			}
		})
	}
	return out
}

// scriptCommands are the parity commands of a shell script: a line (or a
// folded scalar's line) from "parity" on, up to a pipe, ; or &&.
func scriptCommands(script string) [][]string {
	var out [][]string
	for line := range strings.Lines(strings.ReplaceAll(script, "\\\n", " ")) {
		fields := strings.Fields(line)
		i := slices.Index(fields, "parity")
		if i < 0 || i+1 >= len(fields) || strings.HasPrefix(fields[i+1], "-") {
			continue
		}
		var words []string
		for _, f := range fields[i+1:] {
			if f == "|" || f == ";" || f == "&&" || f == "||" || strings.HasPrefix(f, "#") {
				break
			}
			words = append(words, strings.Trim(f, `"'`))
		}
		out = append(out, words)
	}
	return out
}

// walkYAML calls fn on every mapping in v.
func walkYAML(v any, fn func(map[string]any)) {
	switch v := v.(type) {
	case map[string]any:
		fn(v)
		for _, x := range v {
			walkYAML(x, fn)
		}
	case []any:
		for _, x := range v {
			walkYAML(x, fn)
		}
	}
}

func toString(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	b, _ := yaml.Marshal(v)
	return strings.TrimSpace(string(b))
}
