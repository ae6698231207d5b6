package main

import (
	"flag"
	"regexp"
	"strings"
)

// suggest returns the candidates typed was probably meant to be: those
// closest to it within two edits (fewer than typed has letters), else
// those it is a prefix of. None when nothing is that close.
func suggest(typed string, candidates []string) []string {
	best, near := 2, []string(nil)
	for _, c := range candidates {
		d := distance(typed, c)
		if d >= len(typed) || d > best {
			continue
		}
		if d < best {
			best, near = d, nil
		}
		near = append(near, c)
	}
	if len(near) > 0 || len(typed) < 2 {
		return near
	}
	for _, c := range candidates {
		if strings.HasPrefix(c, typed) {
			near = append(near, c)
		}
	}
	return near
}

// didYouMean says the suggestions for typed, each with prefix ("--" for
// a flag): "; did you mean --max-cost?"; "" when there are none.
func didYouMean(typed, prefix string, candidates []string) string {
	near := suggest(typed, candidates)
	if len(near) == 0 {
		return ""
	}
	for i := range near {
		near[i] = prefix + near[i]
	}
	if len(near) == 1 {
		return "; did you mean " + near[0] + "?"
	}
	return "; did you mean " + strings.Join(near[:len(near)-1], ", ") + " or " + near[len(near)-1] + "?"
}

// distance is the optimal string alignment distance between a and b:
// the insertions, deletions, substitutions and swaps of adjacent letters
// that make one the other ("rnu" is 1 from "run").
func distance(a, b string) int {
	x, y := []rune(a), []rune(b)
	// d[i][j] is the distance between x[:i] and y[:j].
	d := make([][]int, len(x)+1)
	for i := range d {
		d[i] = make([]int, len(y)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(x); i++ {
		for j := 1; j <= len(y); j++ {
			cost := 1
			if x[i-1] == y[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && x[i-1] == y[j-2] && x[i-2] == y[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(x)][len(y)]
}

// unknownFlag is the flag package's error for a flag fs does not define.
var unknownFlag = regexp.MustCompile(`flag provided but not defined: -(\S+)`)

// flagErrors are the flag package's other parse errors, each with how
// the CLI says it: a flag as --name, as help shows it.
var flagErrors = []struct {
	re   *regexp.Regexp
	repl string
}{
	{regexp.MustCompile(`flag needs an argument: -(\S+)`), "flag --$1 needs a value"},
	{regexp.MustCompile(`(invalid (?:boolean )?value ".*" for (?:flag )?)-([^\s:]+)`), "${1}--$2"},
	{regexp.MustCompile(`invalid boolean flag (\S+):`), "invalid boolean flag --$1:"},
	{regexp.MustCompile(`bad flag syntax: `), "bad flag syntax: "},
}

// flagMessage says err, if the flag package returned it parsing fs, in
// the CLI's terms, suggesting the flag an unknown one may have meant
// ("unknown flag --max-cots; did you mean --max-cost?"). ok is false
// when err is no flag error.
func flagMessage(fs *flag.FlagSet, err error) (msg string, ok bool) {
	if err == nil {
		return "", false
	}
	msg = err.Error()
	if m := unknownFlag.FindStringSubmatchIndex(msg); m != nil {
		name := msg[m[2]:m[3]]
		var names []string
		fs.VisitAll(func(f *flag.Flag) { names = append(names, f.Name) })
		return msg[:m[0]] + "unknown flag --" + name + didYouMean(name, "--", names) + msg[m[1]:], true
	}
	for _, f := range flagErrors {
		if f.re.MatchString(msg) {
			return f.re.ReplaceAllString(msg, f.repl), true
		}
	}
	return "", false
}
