package gate

import (
	"fmt"

	"github.com/parity-eval/parity/internal/format"
)

// globalWarnings are the warnings about the whole comparison.
func (g *Gate) globalWarnings() []string {
	out := []string{}
	if g.opts.Margin == 0 {
		out = append(out, "the margin is 0: the gate becomes a superiority test, and a candidate exactly as good as the baseline fails about 1 - alpha/2 of the time")
	}
	for side, n := range g.dups {
		if n > 0 {
			out = append(out, fmt.Sprintf("%d duplicate %s rows (same suite, case and repeat) were ignored; only the first of each counts", n, Side(side)))
		}
	}
	return out
}

// suiteWarnings are what a suite's verdict rests on that a reader should
// know: too few cases for its power, intervals of no width, rows left
// unpaired, missing cases that were allowed.
func (g *Gate) suiteWarnings(s *Suite) []string {
	out := []string{}
	if w := g.powerWarning(s); w != "" {
		out = append(out, w)
	}
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

// powerWarning says when a suite is too small to support its verdict:
// its cases all agree, so the interval has no width, or its score test
// failed inconclusively (the interval at the test's level straddles
// -margin) with fewer cases than the margin needs.
func (g *Gate) powerWarning(s *Suite) string {
	p, n, m := s.Power, s.PairedCases, g.opts.Margin
	if !p.Underpowered {
		return ""
	}
	if p.Basis == PowerBasisRuleOfThree {
		return fmt.Sprintf("every one of the %d paired cases scored the same on both sides, so the interval has no width; a difference on up to %s of cases (3/n, the rule of three) cannot be excluded, and excluding one of the margin %g takes %d cases",
			n, format.Pct(float64(p.MDE)), m, p.CasesNeeded)
	}
	if s.NonInferiority.Pass || !(s.cmp.UpperBound(s.NonInferiority.Level) > -m) {
		return "" // a pass stands at its level; an interval wholly below -margin is a regression
	}
	return fmt.Sprintf("inconclusive, too few cases: %d paired, about %d needed for %.0f%% power at the margin %g (sd of per-case differences %s; the smallest difference these cases detect is %s); this failure may be a lack of evidence rather than a regression",
		n, p.CasesNeeded, 100*p.Power, m, format.Score(float64(p.SD)), format.Score(float64(p.MDE)))
}
