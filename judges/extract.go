package judges

import (
	"encoding/json"
	"regexp"
	"strings"
)

// maxStarts bounds how many opening brackets the JSON search tries, so a
// pathological output ("[[[[...") costs linear time, not quadratic.
const maxStarts = 256

// fence matches a Markdown code fence and captures its language and body.
var fence = regexp.MustCompile("(?s)```[ \\t]*([A-Za-z0-9_+-]*)[^\\n]*\\n(.*?)```")

// extractJSON finds the JSON document in a model's output: the first
// fenced json (or unlabelled) block that holds JSON, else the first
// balanced {...} or [...] in the text that parses.
func extractJSON(s string) ([]byte, bool) {
	var found []byte
	eachJSON(s, func(doc []byte) bool {
		found = doc
		return false
	})
	return found, found != nil
}

// eachJSON calls yield with every JSON document it finds in s, fenced
// blocks first, until yield returns false.
func eachJSON(s string, yield func([]byte) bool) {
	if !strings.Contains(s, "```") {
		// No fence to find: the regexp, which reads all of s, is skipped.
		eachBalanced(s, yield)
		return
	}
	for _, m := range fence.FindAllStringSubmatch(s, -1) {
		if lang := strings.ToLower(m[1]); lang != "" && lang != "json" && lang != "jsonc" {
			continue
		}
		if !eachBalanced(m[2], yield) {
			return
		}
	}
	eachBalanced(s, yield)
}

// eachBalanced calls yield with every balanced {...} or [...] of s that
// parses as JSON, in order of their opening bracket, skipping those nested
// in one already yielded. It returns false when yield asked to stop.
func eachBalanced(s string, yield func([]byte) bool) bool {
	starts := 0
	for i := 0; i < len(s) && starts < maxStarts; i++ {
		if s[i] != '{' && s[i] != '[' {
			continue
		}
		starts++
		end := balancedEnd(s, i)
		if end < 0 {
			continue
		}
		doc := []byte(s[i:end])
		if !json.Valid(doc) {
			continue
		}
		if !yield(doc) {
			return false
		}
		i = end - 1
	}
	return true
}

// balancedEnd returns the index just past the bracket closing the one at
// s[start], honouring JSON strings, or -1 when it is never closed or a
// closer does not match.
func balancedEnd(s string, start int) int {
	stack := make([]byte, 0, 8)
	inString, escaped := false, false
	for i := start; i < len(s); i++ {
		c := s[i]
		switch {
		case inString && escaped:
			escaped = false
		case inString && c == '\\':
			escaped = true
		case inString:
			inString = c != '"'
		case c == '"':
			inString = true
		case c == '{':
			stack = append(stack, '}')
		case c == '[':
			stack = append(stack, ']')
		case c == '}' || c == ']':
			if stack[len(stack)-1] != c {
				return -1
			}
			stack = stack[:len(stack)-1]
			if len(stack) == 0 {
				return i + 1
			}
		}
	}
	return -1
}
