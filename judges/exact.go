package judges

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/parity-eval/parity/suites"
)

// Contains passes when the output contains the expected text (the check's
// value rendered over the case's vars, or the case's reference). Both sides
// are whitespace-normalised; ignore_case compares case-insensitively.
type Contains struct {
	// Spec is the check as the suite declares it.
	Spec *suites.Check
}

// Score looks for the expected text in the output.
func (c Contains) Score(_ context.Context, in *Input) CheckScore {
	want := normalise(c.Spec.Expected(in.Result.Case), c.Spec.IgnoreCase)
	if want == "" {
		return failed(c.Spec, "nothing to look for: the check has no value and the case no reference")
	}
	got := normalise(in.Result.Output, c.Spec.IgnoreCase)
	if strings.Contains(got, want) {
		return binary(c.Spec, true, "")
	}
	return binary(c.Spec, false, fmt.Sprintf("does not contain %q", clip(want, 120)))
}

// Equals passes when the output equals the expected text once both are
// trimmed and their whitespace runs collapsed to one space; ignore_case
// compares case-insensitively.
type Equals struct {
	// Spec is the check as the suite declares it.
	Spec *suites.Check
}

// Score compares the normalised output with the expected text.
func (e Equals) Score(_ context.Context, in *Input) CheckScore {
	want := normalise(e.Spec.Expected(in.Result.Case), e.Spec.IgnoreCase)
	if normalise(in.Result.Output, e.Spec.IgnoreCase) == want {
		return binary(e.Spec, true, "")
	}
	return binary(e.Spec, false, fmt.Sprintf("expected %q", clip(want, 120)))
}

// Regex passes when the trimmed output matches the check's pattern
// (compiled at load time, case-insensitive with ignore_case).
type Regex struct {
	// Spec is the check as the suite declares it.
	Spec *suites.Check
	re   *regexp.Regexp
}

// Score matches the pattern against the trimmed output.
func (r Regex) Score(_ context.Context, in *Input) CheckScore {
	re := r.re
	if re == nil {
		re = r.Spec.Regexp
	}
	if re == nil {
		return failed(r.Spec, "pattern not compiled")
	}
	if re.MatchString(strings.TrimSpace(in.Result.Output)) {
		return binary(r.Spec, true, "")
	}
	return binary(r.Spec, false, fmt.Sprintf("no match for /%s/", clip(re.String(), 120)))
}

// normalise trims s, collapses its whitespace runs to one space and, when
// fold is set, lower-cases it. An output already so (most are) is
// returned as it is, without the copies of splitting and joining it.
func normalise(s string, fold bool) string {
	if !normalised(s) {
		s = strings.Join(strings.Fields(s), " ")
	}
	if fold {
		s = strings.ToLower(s)
	}
	return s
}

// normalised reports whether strings.Fields and a join with one space
// give s back: no leading, trailing or repeated space, and no white space
// (unicode.IsSpace, as Fields) but single ASCII spaces.
func normalised(s string) bool {
	space := true // at the start, a space would be leading
	for i := 0; i < len(s); {
		c, size := rune(s[i]), 1
		if c >= utf8.RuneSelf {
			c, size = utf8.DecodeRuneInString(s[i:])
		}
		i += size
		switch {
		case c == ' ':
			if space {
				return false
			}
			space = true
		case unicode.IsSpace(c):
			return false
		default:
			space = false
		}
	}
	return !space || s == ""
}

// clip shortens s to at most n runes for a detail message.
func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}
