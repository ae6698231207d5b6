package results

import (
	"strings"
	"unicode/utf8"

	"github.com/parity-eval/parity/judges"
	"github.com/parity-eval/parity/runner"
)

// MaxCellBytes caps the text of one cell of a row: the output, the finish
// reason, the error and the judge's reason each keep at most this many
// bytes, and the checks' details and errors, and the tool calls' names
// and arguments, share it within their cell. A text cut short keeps its
// first bytes up to a UTF-8 boundary and sets the row's Truncated flag.
// results.parquet, the journal and the report all store the capped text,
// so no row group grows past RowGroupBytes by more than one row.
const MaxCellBytes = 1 << 20

// MaxToolCalls caps the tool calls a row keeps; more set Truncated.
const MaxToolCalls = 1024

// minShare is the least a text in a shared cell may keep.
const minShare = 1 << 10

// Cap returns s with every text it stores within MaxCellBytes, and whether
// any was cut. When nothing is cut it returns s itself; otherwise a copy,
// its Result and Checks copied too, so s is never changed.
func Cap(s *judges.Scored) (*judges.Scored, bool) {
	if !needsCap(s) {
		return s, false
	}
	c := *s
	c.JudgeReason, _ = capText(s.JudgeReason, MaxCellBytes)
	c.Checks = capChecks(s.Checks)
	if s.Result != nil {
		res := *s.Result
		res.Output, _ = capText(res.Output, MaxCellBytes)
		res.FinishReason, _ = capText(res.FinishReason, MaxCellBytes)
		res.Error, _ = capText(res.Error, MaxCellBytes)
		res.ToolCalls = capToolCalls(res.ToolCalls)
		c.Result = &res
	}
	return &c, true
}

// needsCap reports whether any text of s is over its cap.
func needsCap(s *judges.Scored) bool {
	over := len(s.JudgeReason) > MaxCellBytes
	share := shareOf(len(s.Checks))
	for _, ch := range s.Checks {
		over = over || len(ch.Detail) > share || len(ch.Error) > share
	}
	if res := s.Result; res != nil {
		over = over || len(res.Output) > MaxCellBytes || len(res.FinishReason) > MaxCellBytes || len(res.Error) > MaxCellBytes ||
			len(res.ToolCalls) > MaxToolCalls
		share := shareOf(min(len(res.ToolCalls), MaxToolCalls))
		for _, tc := range res.ToolCalls {
			over = over || len(tc.Name) > share || len(tc.Arguments) > share
		}
	}
	return over
}

// shareOf is what each of n texts sharing a cell may keep: two texts each.
func shareOf(n int) int { return max(MaxCellBytes/max(2*n, 1), minShare) }

// capChecks returns the checks with their details and errors capped.
func capChecks(cs []judges.CheckScore) []judges.CheckScore {
	out := make([]judges.CheckScore, len(cs))
	share := shareOf(len(cs))
	for i, c := range cs {
		c.Detail, _ = capText(c.Detail, share)
		c.Error, _ = capText(c.Error, share)
		out[i] = c
	}
	return out
}

// capToolCalls keeps the first MaxToolCalls calls, names and arguments
// capped.
func capToolCalls(tcs []runner.ToolCall) []runner.ToolCall {
	if len(tcs) == 0 {
		return tcs
	}
	tcs = tcs[:min(len(tcs), MaxToolCalls)]
	out := make([]runner.ToolCall, len(tcs))
	share := shareOf(len(tcs))
	for i, tc := range tcs {
		tc.Name, _ = capText(tc.Name, share)
		tc.Arguments, _ = capText(tc.Arguments, share)
		out[i] = tc
	}
	return out
}

// capText keeps s's first n bytes, cut back to a UTF-8 boundary, copied
// so that the long original can be freed.
func capText(s string, n int) (string, bool) {
	if len(s) <= n {
		return s, false
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return strings.Clone(s[:n]), true
}
