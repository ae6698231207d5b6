package deploy

import (
	"fmt"
	"path"
	"reflect"
	"strings"
	"testing"
)

// shellWords splits a one-line shell command into the words sh would pass,
// for the forms the shipped workflow uses: words apart by blanks, "double
// quotes" expanding $VAR and ${VAR}, 'single quotes' kept verbatim, bare
// $VAR expanded; a glob stays a pattern. Anything more (; | & < > ( ) `,
// $(...), a newline) is refused, and so is an unset variable, so a command
// the test cannot read fails it instead of passing unread.
func shellWords(line string, env map[string]string) ([]string, error) {
	var words []string
	var word strings.Builder
	inWord, quote := false, byte(0)
	for i := 0; i < len(line); i++ {
		c := line[i]
		switch {
		case quote == '\'' && c != '\'', quote == '"' && c == '\'':
			word.WriteByte(c)
		case c == '\'' || c == '"':
			quote, inWord = toggle(quote, c), true
		case c == '$':
			name, n := varName(line[i+1:])
			v, ok := env[name]
			if !ok {
				return nil, fmt.Errorf("%q: $%s is not set (or not a plain variable)", line, name)
			}
			word.WriteString(v)
			i, inWord = i+n, true
		case quote == 0 && (c == ' ' || c == '\t'):
			if inWord {
				words, inWord = append(words, word.String()), false
				word.Reset()
			}
		case c == '\\' || c == '`' || c == '\n' || quote == 0 && strings.IndexByte(";|&<>()", c) >= 0:
			return nil, fmt.Errorf("%q: %q is more shell than this test reads", line, c)
		default:
			word.WriteByte(c)
			inWord = true
		}
	}
	if quote != 0 {
		return nil, fmt.Errorf("%q: unterminated quote", line)
	}
	if inWord {
		words = append(words, word.String())
	}
	return words, nil
}

// toggle opens quote c, or closes it when it is the one open.
func toggle(open, c byte) byte {
	switch open {
	case 0:
		return c
	case c:
		return 0
	}
	return open
}

// varName reads the variable name after a $: NAME or {NAME}; n is how many
// bytes it took.
func varName(s string) (name string, n int) {
	if rest, ok := strings.CutPrefix(s, "{"); ok {
		if end := strings.IndexByte(rest, '}'); end >= 0 {
			return rest[:end], end + 2
		}
		return "{", 0
	}
	for n < len(s) && (s[n] == '_' || 'A' <= s[n] && s[n] <= 'Z' || 'a' <= s[n] && s[n] <= 'z' || n > 0 && '0' <= s[n] && s[n] <= '9') {
		n++
	}
	return s[:n], n
}

// boolFlags are the parity flags that take no value.
var boolFlags = map[string]bool{
	"overwrite": true, "quiet": true, "resume": true, "dry-run": true, "no-cache": true,
	"sequential": true, "allow-missing": true,
}

// command is one parity command line: the subcommand, its flags by name
// (every value, in order) and its other arguments.
type command struct {
	Name  string
	Flags map[string][]string
	Args  []string
}

// flag is the last value of the flag, as parity's flag package keeps it.
func (c command) flag(name string) string {
	v := c.Flags[name]
	if len(v) == 0 {
		return ""
	}
	return v[len(v)-1]
}

// parseParity reads words as a parity command line.
func parseParity(words []string) (command, error) {
	if len(words) < 2 || path.Base(words[0]) != "parity" {
		return command{}, fmt.Errorf("%q is not a parity command", words)
	}
	c := command{Name: words[1], Flags: map[string][]string{}}
	for i := 2; i < len(words); i++ {
		w := words[i]
		name, ok := strings.CutPrefix(strings.TrimPrefix(w, "-"), "-")
		if !ok && !strings.HasPrefix(w, "-") {
			c.Args = append(c.Args, w)
			continue
		}
		if !ok {
			name = w[1:]
		}
		if n, v, hasValue := strings.Cut(name, "="); hasValue {
			c.Flags[n] = append(c.Flags[n], v)
			continue
		}
		if boolFlags[name] {
			c.Flags[name] = append(c.Flags[name], "true")
			continue
		}
		if i+1 == len(words) {
			return command{}, fmt.Errorf("%q: --%s has no value", words, name)
		}
		i++
		c.Flags[name] = append(c.Flags[name], words[i])
	}
	return c, nil
}

func TestShellWords(t *testing.T) {
	t.Parallel()
	env := map[string]string{"A": "x y", "B": "b", "B1": "one"}
	for _, c := range []struct {
		line string
		want []string // nil for an error
	}{
		{`parity run --out "out/$B" --x "$A"`, []string{"parity", "run", "--out", "out/b", "--x", "x y"}},
		{`a  ${B}c $B1 'lit $A' shards/*`, []string{"a", "bc", "one", "lit $A", "shards/*"}},
		{`a "it's" ""`, []string{"a", "it's", ""}},
		{`a $UNSET`, nil},        // an unset variable
		{`a; b`, nil},            // a command list
		{`a $(date)`, nil},       // a command substitution
		{`a "open`, nil},         // an open quote
		{"a \\\n b", nil},        // a continuation
		{`a | tee log`, nil},     // a pipe
		{`a > "$B"`, nil},        // a redirection
		{`a "x" && rm -rf`, nil}, // an and-list
		{`a ${B`, nil},           // a brace left open
	} {
		got, err := shellWords(c.line, env)
		if c.want == nil {
			if err == nil {
				t.Errorf("shellWords(%q) = %q, want an error", c.line, got)
			}
			continue
		}
		if err != nil || !reflect.DeepEqual(got, c.want) {
			t.Errorf("shellWords(%q) = %q, %v; want %q", c.line, got, err, c.want)
		}
	}
}

func TestParseParity(t *testing.T) {
	t.Parallel()
	got, err := parseParity([]string{"/usr/bin/parity", "run", "--shard=auto", "-run-id", "x", "--overwrite", "--out", "o", "--out", "p", "extra"})
	want := command{Name: "run", Flags: map[string][]string{
		"shard": {"auto"}, "run-id": {"x"}, "overwrite": {"true"}, "out": {"o", "p"},
	}, Args: []string{"extra"}}
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("parseParity = %+v, %v; want %+v", got, err, want)
	}
	if got.flag("out") != "p" {
		t.Errorf("flag(out) = %q, want the last value", got.flag("out"))
	}
	for _, bad := range [][]string{{"parity"}, {"go", "run"}, {"parity", "run", "--out"}} {
		if _, err := parseParity(bad); err == nil {
			t.Errorf("parseParity(%q) = nil error", bad)
		}
	}
}
