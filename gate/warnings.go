package gate

import (
	"fmt"
)

// globalWarnings are the warnings about the whole comparison.
func (g *Gate) globalWarnings() []string {
	out := []string{}
	if g.opts.Margin == 0 {
		out = append(out, "the margin is 0: non-inferiority becomes superiority, so a candidate exactly as good as the baseline passes only about alpha/2 of the time and is otherwise inconclusive")
	}
	for side, n := range g.dups {
		if n > 0 {
			out = append(out, fmt.Sprintf("%d duplicate %s rows (same suite, case and repeat) were ignored; only the first of each counts", n, Side(side)))
		}
	}
	return out
}

// suiteWarnings are what a suite's verdict rests on that a reader should
// know: rows left unpaired, missing cases that were allowed.
func (g *Gate) suiteWarnings(s *Suite) []string {
	out := []string{}
	if m := s.Missing; m.UnpairedRows > 0 {
		out = append(out, fmt.Sprintf("%d rows of paired cases (%d baseline, %d candidate) have no row with the same repeat index on the other side and were left out",
			m.UnpairedRows, m.UnpairedBaseline, m.UnpairedCandidate))
	}
	if g.opts.AllowMissing {
		for _, l := range missingLines(&s.Missing) {
			out = append(out, l+": left out, as missing cases are allowed")
		}
	}
	return out
}
