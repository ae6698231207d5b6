package gate

import (
	"fmt"
	"strings"

	"github.com/parity-eval/parity/internal/format"
	"github.com/parity-eval/parity/stats"
)

// limitSlack absorbs rounding in threshold comparisons: identical costs
// must compare equal however they were summed.
const limitSlack = 1e-9

// gateCheckIf returns a check with verdict Pass when ok, Fail
// otherwise.
func gateCheckIf(name string, ok bool, msg string) Check {
	if ok {
		return Check{Name: name, Verdict: Pass, Message: msg}
	}
	return Check{Name: name, Verdict: Fail, Message: msg}
}

// coverageCheck fails a suite with too few paired cases, or with cases
// one side lacks (unless they are allowed).
func (g *Gate) coverageCheck(s *Suite) Check {
	var problems []string
	if s.PairedCases < g.opts.MinCases {
		problems = append(problems, fmt.Sprintf("only %d paired cases, fewer than the %d a verdict needs (min_cases)", s.PairedCases, g.opts.MinCases))
	}
	if !g.opts.AllowMissing {
		problems = append(problems, missingLines(&s.Missing)...)
	}
	if len(problems) > 0 {
		return gateCheckIf(CheckCoverage, false, strings.Join(problems, "; "))
	}
	return gateCheckIf(CheckCoverage, true, fmt.Sprintf("%d paired cases, %d paired rows", s.PairedCases, s.PairedRows))
}

// missingLines describes the cases missing on either side.
func missingLines(m *Missing) []string {
	var out []string
	if m.OnCandidate > 0 {
		out = append(out, fmt.Sprintf("%d cases have no candidate row (%s)", m.OnCandidate, joinIDs(m.OnCandidateCases, m.OnCandidate)))
	}
	if m.OnBaseline > 0 {
		out = append(out, fmt.Sprintf("%d cases have no baseline row (%s)", m.OnBaseline, joinIDs(m.OnBaselineCases, m.OnBaseline)))
	}
	return out
}

// scoreCheck reports the non-inferiority test as decided.
func (g *Gate) scoreCheck(s *Suite, tests []Test) Check {
	t, c := s.NonInferiority, &s.cmp
	if c.Method == stats.MethodNone {
		return gateCheckIf(CheckScore, false, fmt.Sprintf("%d paired cases: no interval, no evidence of non-inferiority", c.Cases))
	}
	bound := fmt.Sprintf("diff %s, lower bound %s at one-sided level %.4g (Holm rank %d of %d, %s interval)",
		format.Signed(c.Diff), format.Signed(float64(t.LowerBound)), t.Level, t.Rank, len(tests), c.Method)
	above := float64(t.LowerBound) > -g.opts.Margin
	switch {
	case t.Pass:
		return gateCheckIf(CheckScore, true, fmt.Sprintf("%s, above -%g", bound, g.opts.Margin))
	case above:
		return gateCheckIf(CheckScore, false, fmt.Sprintf("%s is above -%g, but Holm's step-down stopped at a suite with a smaller p-value", bound, g.opts.Margin))
	}
	return gateCheckIf(CheckScore, false, fmt.Sprintf("%s, not above -%g: the candidate may score worse by more than the margin", bound, g.opts.Margin))
}

// costCheck bounds the relative rise in cost per case.
func (g *Gate) costCheck(s *Suite) Check {
	l, c := g.opts.MaxCostIncrease, s.CostPerCase
	if l.Off {
		return Check{Name: CheckCost, Verdict: Off, Message: "off"}
	}
	msg := fmt.Sprintf("cost per case %s -> %s", format.USD(float64(c.Baseline)), format.USD(float64(c.Candidate)))
	if s.PairedRows == 0 {
		return gateCheckIf(CheckCost, false, "no paired rows to compare costs on")
	}
	if c.Baseline == 0 {
		return gateCheckIf(CheckCost, c.Candidate <= 0, msg+" (the baseline costs nothing)")
	}
	rel := float64(c.Relative)
	return gateCheckIf(CheckCost, rel <= l.Max+limitSlack, fmt.Sprintf("%s (%s, at most %s allowed)", msg, format.Rel(rel), format.Rel(l.Max)))
}

// p95Check bounds the relative rise in p95 latency.
func (g *Gate) p95Check(s *Suite) Check {
	l, c := g.opts.MaxP95Increase, s.P95LatencyMS
	if l.Off {
		return Check{Name: CheckP95, Verdict: Off, Message: "off"}
	}
	if !c.Baseline.Valid() || !c.Candidate.Valid() || c.Baseline == 0 {
		return gateCheckIf(CheckP95, false, "no successful paired request on one side to measure latency on")
	}
	rel := float64(c.Relative)
	return gateCheckIf(CheckP95, rel <= l.Max+limitSlack, fmt.Sprintf("p95 latency %s -> %s (%s, at most %s allowed)",
		format.MS(float64(c.Baseline)), format.MS(float64(c.Candidate)), format.Rel(rel), format.Rel(l.Max)))
}

// errorCheck bounds the absolute rise in error rate.
func (g *Gate) errorCheck(s *Suite) Check {
	l, c := g.opts.MaxErrorIncrease, s.ErrorRate
	if l.Off {
		return Check{Name: CheckErrors, Verdict: Off, Message: "off"}
	}
	if s.PairedRows == 0 {
		return gateCheckIf(CheckErrors, false, "no paired rows to compare error rates on")
	}
	d := float64(c.Delta)
	return gateCheckIf(CheckErrors, d <= l.Max+limitSlack, fmt.Sprintf("error rate %s -> %s (%s, at most %s allowed)",
		format.Pct(float64(c.Baseline)), format.Pct(float64(c.Candidate)), format.Points(d), format.Points(l.Max)))
}
