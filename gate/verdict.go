package gate

import (
	"fmt"
	"maps"
	"math"
	"slices"

	"github.com/parity-eval/parity/stats"
)

// Result judges the candidate: every suite's checks, Holm across the
// suites' score tests, then the tags and the overall verdict. It returns
// an error wrapping ErrProviderAbsent when either provider has no row.
func (g *Gate) Result() (*Result, error) {
	if err := g.absent(); err != nil {
		return nil, err
	}
	byCase := g.byCase()
	names := slices.Sorted(maps.Keys(g.suites))
	suites := make([]Suite, len(names))
	for i, name := range names {
		suites[i] = g.suite(g.suites[name], byCase[name], len(names))
	}
	g.decide(suites)
	res := g.newResult(suites)
	res.Tags = g.tags(suites, byCase)
	var all []*gateCase
	var levels stats.ScoreLevels
	for _, name := range names {
		all = append(all, byCase[name]...)
		levels.Merge(&g.suites[name].levels, g.opts.Stats.DiscreteValues)
	}
	res.Overall = Overall{Verdict: res.Verdict, Group: g.group(g.opts.Stats, all, levels.Discrete())}
	return res, nil
}

// newResult returns the result's frame: settings, suites, the overall
// verdict, failures and warnings.
func (g *Gate) newResult(suites []Suite) *Result {
	o := g.opts
	res := &Result{
		SchemaVersion: SchemaVersion, Baseline: o.Baseline, Candidate: o.Candidate,
		Verdict: Pass, Margin: o.Margin, Alpha: o.Stats.Alpha, Power: o.Power, MinCases: o.MinCases,
		Thresholds: Thresholds{limitJSON(o.MaxCostIncrease), limitJSON(o.MaxP95Increase), limitJSON(o.MaxErrorIncrease)},
		Holm:       Holm{Method: "holm", Family: len(suites), OneSidedAlpha: o.Stats.Alpha / 2},
		Suites:     suites, Failures: []string{}, Warnings: g.globalWarnings(),
	}
	if len(suites) == 0 {
		res.Verdict = Fail
		res.Failures = append(res.Failures, "no suite has rows from both providers")
	}
	for _, s := range suites {
		if s.Verdict != Pass {
			res.Verdict = Fail
		}
		for _, r := range s.Reasons {
			res.Failures = append(res.Failures, s.Suite+": "+r)
		}
		for _, w := range s.Warnings {
			res.Warnings = append(res.Warnings, s.Suite+": "+w)
		}
	}
	return res
}

// limitJSON returns a limit's value, null when off.
func limitJSON(l Limit) NullFloat {
	if l.Off {
		return NullFloat(math.NaN())
	}
	return NullFloat(l.Max)
}

// suite computes one suite's evidence; decide judges it. Of family
// suites, its test may be read at a level as small as alpha/2/family.
func (g *Gate) suite(info *gateSuiteInfo, cases []*gateCase, family int) Suite {
	st := g.opts.Stats
	st.MinLevel = st.Alpha / 2 / float64(family)
	return Suite{
		Suite: info.name, Tags: info.tags, Reasons: []string{}, Warnings: []string{},
		Missing: missingOf(cases),
		Group:   g.group(st, cases, info.levels.Discrete()),
	}
}

// decide runs the suites' score tests under Holm, then every check, and
// sets each suite's verdict, reasons and warnings.
func (g *Gate) decide(suites []Suite) {
	cmps := make([]*stats.Comparison, len(suites))
	for i := range suites {
		cmps[i] = &suites[i].cmp
	}
	tests := NonInferiority(cmps, g.opts.Margin, g.opts.Stats.Alpha)
	for i := range suites {
		s := &suites[i]
		s.NonInferiority = tests[i]
		s.Checks = []Check{g.coverageCheck(s), g.scoreCheck(s, tests), g.costCheck(s), g.p95Check(s), g.errorCheck(s)}
		s.Verdict = Pass
		for _, c := range s.Checks {
			if c.Verdict == Fail {
				s.Verdict = Fail
				s.Reasons = append(s.Reasons, c.Name+": "+c.Message)
			}
		}
		s.Warnings = g.suiteWarnings(s)
	}
}

// NonInferiority tests each comparison's H0 "the candidate is worse by
// margin or more" and adjusts for their number with Holm's step-down at
// family-wise one-sided level alpha/2: the level of "the lower bound of
// the two-sided 1-alpha interval", so that with one suite the gate passes
// exactly when the lower bound of its 95% interval (at alpha 0.05) is
// above -margin. The k-th smallest p-value of m is tested at
// alpha/2/(m-k+1): its lower bound is that of the two-sided interval at
// 1 - alpha/(m-k+1).
func NonInferiority(cmps []*stats.Comparison, margin, alpha float64) []Test {
	p := make([]float64, len(cmps))
	for i, c := range cmps {
		p[i] = c.NonInferiorityP(margin)
	}
	reject, level := stats.Holm(p, alpha/2)
	tests := make([]Test, len(cmps))
	for k, i := range stats.HolmOrder(p) {
		tests[i] = Test{P: NullFloat(p[i]), Level: level[i], Rank: k + 1,
			LowerBound: NullFloat(cmps[i].LowerBound(level[i])), Pass: reject[i]}
	}
	return tests
}

// missingOf counts the cases and rows one side has without the other.
func missingOf(cases []*gateCase) Missing {
	m := Missing{OnBaselineCases: []string{}, OnCandidateCases: []string{}}
	for _, gc := range cases {
		if len(gc.cells) > 0 {
			m.UnpairedBaseline += gc.only[SideBaseline]
			m.UnpairedCandidate += gc.only[SideCandidate]
			continue
		}
		if gc.only[SideBaseline] > 0 {
			m.OnCandidate++
			if len(m.OnCandidateCases) < MissingListed {
				m.OnCandidateCases = append(m.OnCandidateCases, gc.id)
			}
		}
		if gc.only[SideCandidate] > 0 {
			m.OnBaseline++
			if len(m.OnBaselineCases) < MissingListed {
				m.OnBaselineCases = append(m.OnBaselineCases, gc.id)
			}
		}
	}
	m.UnpairedRows = m.UnpairedBaseline + m.UnpairedCandidate
	return m
}

// tags judges each tag by its suites and pools their cases.
func (g *Gate) tags(suites []Suite, byCase map[string][]*gateCase) []Tag {
	bySuite := map[string][]*Suite{}
	for i := range suites {
		for _, t := range suites[i].Tags {
			bySuite[t] = append(bySuite[t], &suites[i])
		}
	}
	out := []Tag{}
	for _, tag := range slices.Sorted(maps.Keys(bySuite)) {
		t := Tag{Tag: tag, Suites: []string{}, Verdict: Pass, Reasons: []string{}}
		var cases []*gateCase
		var levels stats.ScoreLevels
		for _, s := range bySuite[tag] {
			t.Suites = append(t.Suites, s.Suite)
			cases = append(cases, byCase[s.Suite]...)
			levels.Merge(&g.suites[s.Suite].levels, g.opts.Stats.DiscreteValues)
			if s.Verdict != Pass {
				t.Verdict = Fail
				for _, r := range s.Reasons {
					t.Reasons = append(t.Reasons, fmt.Sprintf("suite %s: %s", s.Suite, r))
				}
			}
		}
		t.Group = g.group(g.opts.Stats, cases, levels.Discrete())
		out = append(out, t)
	}
	return out
}
