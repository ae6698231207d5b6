package gate

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/parity-eval/parity/internal/format"
	"github.com/parity-eval/parity/stats"
)

// limitSlack absorbs rounding in threshold comparisons: identical costs
// must compare equal however they were summed.
const limitSlack = 1e-9

// newCheck returns a check with no numbers.
func newCheck(name string, v Verdict, msg string) Check {
	nan := NullFloat(math.NaN())
	return Check{Name: name, Verdict: v, Message: msg, Estimate: nan, Lower: nan, Upper: nan, Level: nan, Threshold: nan}
}

// passIf returns Pass when ok, else otherwise.
func passIf(ok bool, otherwise Verdict) Verdict {
	if ok {
		return Pass
	}
	return otherwise
}

// coverageCheck fails a suite with cases one side lacks (unless they are
// allowed), and leaves one with too few paired cases inconclusive.
func (g *Gate) coverageCheck(s *Suite) Check {
	if !g.opts.AllowMissing {
		if missing := missingLines(&s.Missing); len(missing) > 0 {
			return newCheck(CheckCoverage, Fail, strings.Join(missing, "; "))
		}
	}
	if s.PairedCases < g.opts.MinCases && !sequentiallyDecided(s) {
		return newCheck(CheckCoverage, Inconclusive, fmt.Sprintf("only %d paired cases, fewer than the %d any verdict needs (min_cases)", s.PairedCases, g.opts.MinCases))
	}
	return newCheck(CheckCoverage, Pass, fmt.Sprintf("%d paired cases, %d paired rows", s.PairedCases, s.PairedRows))
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

// scoreCheck reports the score tests as decided: pass when
// non-inferiority is shown, fail when harm is, inconclusive otherwise
// (and always with fewer than min_cases cases, or cases that all agree
// but are too few to exclude a disagreement of the margin).
func (g *Gate) scoreCheck(s *Suite, family int) Check {
	ni, h, c, m := s.NonInferiority, s.Harm, &s.cmp, g.opts.Margin
	ck := newCheck(CheckScore, Inconclusive, "")
	ck.Estimate, ck.Lower, ck.Upper, ck.Threshold = NullFloat(c.Diff), ni.LowerBound, h.UpperBound, NullFloat(-m)
	if s.Sequential != nil {
		return g.sequentialScoreCheck(s, ck)
	}
	switch {
	case c.Method == stats.MethodNone:
		ck.Message = fmt.Sprintf("%d paired cases: no interval, no evidence either way", c.Cases)
		return ck
	case s.PairedCases < g.opts.MinCases:
		ck.Message = fmt.Sprintf("not judged on %d paired cases (min_cases %d)", s.PairedCases, g.opts.MinCases)
		return ck
	case s.Power.Basis == PowerBasisRuleOfThree && s.Power.Underpowered:
		ck.Message = fmt.Sprintf("all %d paired cases scored the same on both sides, too few to exclude a disagreement on %s of cases (3/n); %d cases would (the rule of three)",
			c.Cases, format.Pct(float64(s.Power.MDE)), s.Power.CasesNeeded)
		return ck
	}
	diff := fmt.Sprintf("diff %s", format.Signed(c.Diff))
	lower := fmt.Sprintf("lower bound %s at one-sided level %.4g (Holm rank %d of %d, %s interval)", format.Signed(float64(ni.LowerBound)), ni.Level, ni.Rank, family, c.Method)
	upper := fmt.Sprintf("upper bound %s at one-sided level %.4g (Holm rank %d of %d)", format.Signed(float64(h.UpperBound)), h.Level, h.Rank, family)
	switch {
	case ni.Pass:
		ck.Verdict, ck.Message = Pass, fmt.Sprintf("%s, %s, above -%g: non-inferiority shown", diff, lower, m)
		if h.Shown {
			ck.Message += fmt.Sprintf("; the candidate is lower (%s), by less than the margin", upper)
		}
	case h.Shown:
		ck.Verdict, ck.Message = Fail, fmt.Sprintf("%s, %s, below 0: harm shown, the candidate scores lower", diff, upper)
	default:
		ck.Message = fmt.Sprintf("%s, %s, not above -%g, and %s, not below 0: neither non-inferiority nor harm shown; %s",
			diff, lower, m, upper, g.deciding(s))
	}
	return ck
}

// sequentiallyDecided reports whether a sequential gate decided the
// suite: its tests are valid at any number of cases.
func sequentiallyDecided(s *Suite) bool {
	return s.Sequential != nil && s.Sequential.Verdict != Inconclusive
}

// sequentialScoreCheck reports a suite's score as its confidence
// sequences decided it.
func (g *Gate) sequentialScoreCheck(s *Suite, ck Check) Check {
	q := s.Sequential
	ck.Lower, ck.Upper, ck.Level = q.LowerBound, q.UpperBound, NullFloat(q.Level)
	bounds := fmt.Sprintf("after %d of %d cases the confidence sequence bounds the mean difference at %s to %s (each one-sided at %.4g, anytime-valid)",
		q.Decided, q.Planned, format.Signed(float64(q.LowerBound)), format.Signed(float64(q.UpperBound)), q.Level)
	ck.Verdict = q.Verdict
	switch q.Verdict {
	case Pass:
		ck.Message = fmt.Sprintf("%s: the lower bound is above -%g, non-inferiority shown; the suite stopped there", bounds, g.opts.Margin)
	case Fail:
		ck.Message = fmt.Sprintf("%s: the upper bound is below 0, harm shown; the suite stopped there", bounds)
	default:
		ck.Message = fmt.Sprintf("%s: neither non-inferiority nor harm shown; %s (a fixed design's figures: a sequential one may need more)", bounds, g.deciding(s))
	}
	return ck
}

// deciding says what an inconclusive suite's cases can show and how many
// would decide it.
func (g *Gate) deciding(s *Suite) string {
	p := s.Power
	if !p.MDE.Valid() || p.CasesNeeded == 0 {
		return "no planning figures without a spread"
	}
	return fmt.Sprintf("%d cases show non-inferiority only from a margin of %s (MDE at %.0f%% power); about %d cases would decide the margin %g (sd of per-case differences %s)",
		s.PairedCases, format.Score(float64(p.MDE)), 100*p.Power, p.CasesNeeded, g.opts.Margin, format.Score(float64(p.SD)))
}

// guardCheck judges an operational metric: it fails when the lower bound
// of its rise at one-sided level q is above the limit, and passes
// otherwise. est, lo and hi are the rise and its bounds; show prints them.
func guardCheck(name string, l Limit, q, est, lo, hi float64, what string, show func(float64) string) Check {
	ck := newCheck(name, Pass, "")
	ck.Estimate, ck.Lower, ck.Upper, ck.Level, ck.Threshold = NullFloat(est), NullFloat(lo), NullFloat(hi), NullFloat(q), NullFloat(l.Max)
	shown := lo > l.Max+limitSlack
	ck.Verdict = passIf(!shown, Fail)
	bounds := "too few rows to bound it"
	if !math.IsNaN(lo) {
		bounds = fmt.Sprintf("at one-sided level %.4g it is at least %s and at most %s", q, show(lo), show(hi))
	}
	verb := "not shown above"
	if shown {
		verb = "shown above"
	}
	ck.Message = fmt.Sprintf("%s: rise %s (%s), %s the %s allowed", what, show(est), bounds, verb, show(l.Max))
	return ck
}

// unjudged returns the verdict of a guard check that does not look at
// the rows: off, or no paired rows to compare what on; done is false when
// the check has rows to judge.
func unjudged(name string, l Limit, s *Suite, what string) (ck Check, done bool) {
	switch {
	case l.Off:
		return newCheck(name, Off, "off"), true
	case s.PairedRows == 0:
		return newCheck(name, Inconclusive, "no paired rows to compare "+what+" on"), true
	}
	return Check{}, false
}

// costCheck fails a suite whose cost per case is shown to rise by more
// than MaxCostIncrease: the ratio of the candidate's to the baseline's
// cost over the paired cases, by the delta method.
func (g *Gate) costCheck(s *Suite, q float64) Check {
	l, c := g.opts.MaxCostIncrease, s.CostPerCase
	if ck, done := unjudged(CheckCost, l, s, "costs"); done {
		return ck
	}
	what := fmt.Sprintf("cost per case %s -> %s", format.USD(float64(c.Baseline)), format.USD(float64(c.Candidate)))
	if c.Baseline == 0 {
		return newCheck(CheckCost, passIf(c.Candidate <= 0, Fail), what+" (the baseline costs nothing)")
	}
	ratio, lo, hi := stats.RatioBounds(s.ops.cost, q)
	return guardCheck(CheckCost, l, q, ratio-1, lo-1, hi-1, what, format.Rel)
}

// p95Check fails a suite whose p95 latency, over successful requests
// sent in this run, is shown to rise by more than MaxP95Increase: the
// lower bound at level q of the ratio of the two p95s, by a bootstrap of
// each side (stats.QuantileRatioBounds). Rows answered from the cache
// measure an earlier run, so they are left out; with fewer than
// min_cases measured rows on a side the check cannot judge.
func (g *Gate) p95Check(s *Suite, q float64) Check {
	l, c, m := g.opts.MaxP95Increase, s.P95LatencyMS, s.P95Measured
	if l.Off {
		return newCheck(CheckP95, Off, "off")
	}
	if m.Baseline < g.opts.MinCases || m.Candidate < g.opts.MinCases {
		return newCheck(CheckP95, Skip, fmt.Sprintf("cannot judge: %d baseline and %d candidate successful rows were sent in this run (%d and %d answered from the cache are left out), fewer than min_cases %d on a side",
			m.Baseline, m.Candidate, m.CachedBaseline, m.CachedCandidate, g.opts.MinCases))
	}
	base, cand := s.ops.latency[SideBaseline], s.ops.latency[SideCandidate]
	slices.Sort(base)
	slices.Sort(cand)
	ratio, lo, hi := stats.QuantileRatioBounds(base, cand, latencyQuantile, q, g.opts.Stats.Seed)
	what := fmt.Sprintf("p95 latency %s -> %s over %d and %d rows sent in this run", format.MS(float64(c.Baseline)), format.MS(float64(c.Candidate)), m.Baseline, m.Candidate)
	if m.CachedBaseline+m.CachedCandidate > 0 {
		what += fmt.Sprintf(" (%d and %d cached rows left out)", m.CachedBaseline, m.CachedCandidate)
	}
	return guardCheck(CheckP95, l, q, ratio-1, lo-1, hi-1, what, format.Rel)
}

// errorCheck fails a suite whose share of failed requests is shown to
// rise by more than MaxErrorIncrease (points): the paired difference of
// the per-case failure shares, clustered by case.
func (g *Gate) errorCheck(s *Suite, q float64) Check {
	l, c := g.opts.MaxErrorIncrease, s.ErrorRate
	if ck, done := unjudged(CheckErrors, l, s, "error rates"); done {
		return ck
	}
	d, lo, hi := stats.DiffBounds(s.ops.failed, q)
	what := fmt.Sprintf("error rate %s -> %s", format.Pct(float64(c.Baseline)), format.Pct(float64(c.Candidate)))
	return guardCheck(CheckErrors, l, q, d, lo, hi, what, format.Points)
}
