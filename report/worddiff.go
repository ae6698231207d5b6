package report

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// maxDiffEdits bounds the word diff: texts further apart than this many
// inserted and deleted tokens are shown without one.
const maxDiffEdits = 300

// diffSpan is a run of tokens that both texts share ("eq"), that only the
// output has ("ins") or that only the text compared with has ("del").
type diffSpan struct {
	Op, Text string
}

// wordDiff returns the edits from the text compared with (from) to the
// output (to), by words, spaces and single punctuation marks; false when
// they differ by more than maxDiffEdits tokens.
func wordDiff(from, to string) ([]diffSpan, bool) {
	a, b := diffTokens(from), diffTokens(to)
	pre := 0
	for pre < len(a) && pre < len(b) && a[pre] == b[pre] {
		pre++
	}
	suf := 0
	for suf < len(a)-pre && suf < len(b)-pre && a[len(a)-1-suf] == b[len(b)-1-suf] {
		suf++
	}
	mid, ok := myersDiff(a[pre:len(a)-suf], b[pre:len(b)-suf], maxDiffEdits)
	if !ok {
		return nil, false
	}
	var d diffBuilder
	for _, t := range a[:pre] {
		d.emit("eq", t)
	}
	for _, e := range mid {
		d.emit(e.Op, e.Text)
	}
	for _, t := range a[len(a)-suf:] {
		d.emit("eq", t)
	}
	return tidyDiff(d.spans), true
}

// tidyDiff makes a diff read as whole phrases: a short equality between
// edits ("the", a space) joins the edits, and within a run of edits the
// deleted text comes before the inserted text.
func tidyDiff(spans []diffSpan) []diffSpan {
	var out []diffSpan
	var del, ins strings.Builder
	flush := func() {
		if del.Len() > 0 {
			out = append(out, diffSpan{"del", del.String()})
		}
		if ins.Len() > 0 {
			out = append(out, diffSpan{"ins", ins.String()})
		}
		del.Reset()
		ins.Reset()
	}
	for i, sp := range spans {
		switch {
		case sp.Op == "del":
			del.WriteString(sp.Text)
		case sp.Op == "ins":
			ins.WriteString(sp.Text)
		case del.Len()+ins.Len() > 0 && i+1 < len(spans) && len(strings.TrimSpace(sp.Text)) <= 3:
			del.WriteString(sp.Text)
			ins.WriteString(sp.Text)
		default:
			flush()
			out = append(out, sp)
		}
	}
	flush()
	return out
}

// diffHelps reports whether a diff of from and to would help a reader:
// when either text is short, or most of the shorter one is kept as is
// (an answer cut short, a field changed). Two unrelated paragraphs only
// share their small words, and their diff shreds both.
func diffHelps(spans []diffSpan, from, to string) bool {
	n := min(len(from), len(to))
	if n <= shortText {
		return true
	}
	eq := 0
	for _, sp := range spans {
		if sp.Op == "eq" {
			eq += len(sp.Text)
		}
	}
	return float64(eq) >= minSharedShare*float64(n)
}

// diffBuilder merges consecutive tokens of one kind into spans.
type diffBuilder struct{ spans []diffSpan }

// emit appends a token.
func (d *diffBuilder) emit(op, tok string) {
	if n := len(d.spans); n > 0 && d.spans[n-1].Op == op {
		d.spans[n-1].Text += tok
		return
	}
	d.spans = append(d.spans, diffSpan{op, tok})
}

// diffTokens splits s into words (letters, digits and _), runs of white
// space, and single other characters.
func diffTokens(s string) []string {
	var out []string
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		kind := diffRuneKind(r)
		j := i + n
		for kind != 0 && j < len(s) {
			r2, n2 := utf8.DecodeRuneInString(s[j:])
			if diffRuneKind(r2) != kind {
				break
			}
			j += n2
		}
		out = append(out, s[i:j])
		i = j
	}
	return out
}

// diffRuneKind is 1 for word characters, 2 for white space, 0 for others.
func diffRuneKind(r rune) int {
	switch {
	case unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_':
		return 1
	case unicode.IsSpace(r):
		return 2
	}
	return 0
}

// myersDiff returns the token edits from a to b (Myers' O(ND) algorithm),
// false when more than maxD edits are needed.
func myersDiff(a, b []string, maxD int) ([]diffSpan, bool) {
	n, m := len(a), len(b)
	limit := min(n+m, maxD)
	off := limit + 1
	v := make([]int, 2*limit+3)
	// trace[d] holds v[-d-1..d+1] as it was before round d.
	var trace [][]int
	for d := 0; d <= limit; d++ {
		trace = append(trace, append([]int(nil), v[off-d-1:off+d+2]...))
		for k := -d; k <= d; k += 2 {
			x := v[off+k-1] + 1
			if k == -d || (k != d && v[off+k-1] < v[off+k+1]) {
				x = v[off+k+1]
			}
			y := x - k
			for x < n && y < m && a[x] == b[y] {
				x, y = x+1, y+1
			}
			v[off+k] = x
			if x >= n && y >= m {
				return myersBacktrack(trace, a, b), true
			}
		}
	}
	return nil, false
}

// myersBacktrack walks the trace back from the end of both sequences and
// returns the edits in order.
func myersBacktrack(trace [][]int, a, b []string) []diffSpan {
	var rev []diffSpan
	x, y := len(a), len(b)
	for d := len(trace) - 1; d >= 0; d-- {
		at := func(k int) int { return trace[d][k+d+1] }
		k := x - y
		prevK := k - 1
		if k == -d || (k != d && at(k-1) < at(k+1)) {
			prevK = k + 1
		}
		prevX := at(prevK)
		prevY := prevX - prevK
		for x > prevX && y > prevY {
			rev = append(rev, diffSpan{"eq", a[x-1]})
			x, y = x-1, y-1
		}
		if d > 0 {
			if x == prevX {
				rev = append(rev, diffSpan{"ins", b[y-1]})
			} else {
				rev = append(rev, diffSpan{"del", a[x-1]})
			}
		}
		x, y = prevX, prevY
	}
	out := make([]diffSpan, len(rev))
	for i, e := range rev {
		out[len(rev)-1-i] = e
	}
	return out
}
