package gate

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/parity-eval/parity/internal/format"
)

// gateTable is a table of the gate's report, rendered as text or
// Markdown.
type gateTable struct {
	title  string
	header []string
	rows   [][]string
}

// gateTables returns the report's tables: scores, operations, power and
// tags. Suites come first, then "all" for the pooled cases.
func gateTables(r *Result) []gateTable {
	q := gateTable{title: "scores", header: []string{"suite", "tags", "cases", "baseline", "candidate", ciHeader(r.Alpha), "delta", "method", "corr", "ratio", "verdict"}}
	o := gateTable{title: "operations", header: []string{"suite", "pass rate", "cost per case", "p95 latency", "error rate"}}
	p := gateTable{title: fmt.Sprintf("power (alpha %g, power %g over all %d suites under Holm; cases needed for the margin %g)", r.Alpha, r.Power, r.Holm.Family, r.Margin),
		header: []string{"suite", "cases", "sd diff", "MDE", "cases needed", "basis"}}
	for i := range r.Suites {
		s := &r.Suites[i]
		q.rows = append(q.rows, scoreRow(s.Suite, strings.Join(s.Tags, ","), &s.Group, s.Verdict))
		o.rows = append(o.rows, opsRow(s.Suite, &s.Group))
		p.rows = append(p.rows, powerRow(s.Suite, &s.Group))
	}
	all := &r.Overall.Group
	q.rows = append(q.rows, scoreRow("all", "", all, r.Overall.Verdict))
	o.rows = append(o.rows, opsRow("all", all))
	t := gateTable{title: "tags", header: []string{"tag", "cases", ciHeader(r.Alpha), "delta", "verdict", "suites"}}
	for i := range r.Tags {
		tg := &r.Tags[i]
		sc := tg.Score
		t.rows = append(t.rows, []string{tg.Tag, strconv.Itoa(tg.PairedCases), fmtDiffCI(sc), fmtDelta(sc, tg.PairedCases),
			verdictWord(tg.Verdict), strings.Join(tg.Suites, ", ")})
	}
	tables := []gateTable{q, o, p, t}
	if sq := r.Sequential; sq != nil {
		st := gateTable{title: "sequential (" + sq.String() + ")",
			header: []string{"suite", "cases", "sent", "decided after", "bounds on the diff", "level", "verdict"}}
		for _, s := range sq.Suites {
			st.rows = append(st.rows, []string{s.Suite, strconv.Itoa(s.Planned), strconv.Itoa(s.Admitted), strconv.Itoa(s.Decided),
				format.Interval(float64(s.LowerBound), float64(s.UpperBound)), fmt.Sprintf("%.4g", s.Level), verdictWord(s.Verdict)})
		}
		tables = append(tables, st)
	}
	return tables
}

// ciHeader names the difference column: "diff [95% CI]" at alpha 0.05.
func ciHeader(alpha float64) string { return fmt.Sprintf("diff [%g%% CI]", 100*(1-alpha)) }

// scoreRow is one line of the scores table.
func scoreRow(name, tags string, g *Group, verdict Verdict) []string {
	s := g.Score
	return []string{name, tags, strconv.Itoa(g.PairedCases), format.Score(float64(s.Baseline)), format.Score(float64(s.Candidate)),
		fmtDiffCI(s), fmtDelta(s, g.PairedCases), s.Method, fmtCorr(float64(s.Correlation)),
		fmtRatio(float64(s.Ratio), float64(s.RatioLow), float64(s.RatioHigh)), verdictWord(verdict)}
}

// fmtDiffCI prints a difference with its interval.
func fmtDiffCI(s Score) string {
	if !s.Diff.Valid() {
		return "n/a"
	}
	if !s.CILow.Valid() {
		return format.Signed(float64(s.Diff))
	}
	return format.Signed(float64(s.Diff)) + " " + format.Interval(float64(s.CILow), float64(s.CIHigh))
}

// opsRow is one line of the operations table.
func opsRow(name string, g *Group) []string {
	arrow := func(c Change, f func(float64) string, change string) string {
		return f(float64(c.Baseline)) + " -> " + f(float64(c.Candidate)) + " " + change
	}
	return []string{name,
		arrow(g.PassRate, format.Pct, format.Points(float64(g.PassRate.Delta))),
		arrow(g.CostPerCase, format.USD, format.Rel(float64(g.CostPerCase.Relative))),
		arrow(g.P95LatencyMS, format.MS, format.Rel(float64(g.P95LatencyMS.Relative))),
		arrow(g.ErrorRate, format.Pct, format.Points(float64(g.ErrorRate.Delta)))}
}

// powerRow is one line of the power table.
func powerRow(name string, g *Group) []string {
	p := g.Power
	needed := "n/a"
	if p.CasesNeeded > 0 {
		needed = strconv.Itoa(p.CasesNeeded)
	}
	basis := p.Basis
	if basis == "" {
		basis = "n/a"
	}
	return []string{name, strconv.Itoa(g.PairedCases), format.Score(float64(p.SD)), format.Score(float64(p.MDE)), needed, basis}
}

// verdictWord prints a verdict, a failure in capitals so it stands out.
func verdictWord(v Verdict) string {
	if v == Fail {
		return "FAIL"
	}
	return string(v)
}

// gateHeadline is the first line of every rendering: the verdict, and
// what it means in the gate's mode.
func gateHeadline(r *Result) string {
	return fmt.Sprintf("parity gate (%s): candidate %s vs baseline %s: %s, %s", r.Mode, r.Candidate, r.Baseline, verdictWord(r.Verdict), consequence(r))
}

// consequence says what the verdict does in the gate's mode.
func consequence(r *Result) string {
	switch {
	case r.Verdict == Pass:
		return "non-inferiority shown on every suite"
	case r.Verdict == Fail:
		return "shown worse (score, cost, latency or errors), or cases missing: blocks"
	case r.Blocks:
		return "not enough evidence either way: blocks (migration mode needs non-inferiority shown)"
	}
	return "not enough evidence either way: a warning (nightly mode alarms only on harm shown)"
}

// gateSettings describes the settings in one line, and what a
// sequential gate saved.
func gateSettings(r *Result) string {
	if r.Sequential != nil {
		return fmt.Sprintf("margin %g, alpha %g, power %g; %s; confidence sequences at one-sided alpha/2/%d each",
			r.Margin, r.Alpha, r.Power, r.Sequential.String(), r.Holm.Family)
	}
	return fmt.Sprintf("margin %g, alpha %g (%g%% intervals; Holm over %d suites at one-sided %g), power %g, at least %d paired cases a suite",
		r.Margin, r.Alpha, 100*(1-r.Alpha), r.Holm.Family, r.Holm.OneSidedAlpha, r.Power, r.MinCases)
}
