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
	st := g.groupSettings(len(names))
	g.nc = stats.HolmNoncentrality(max(len(names), 1), g.opts.Stats.Alpha/2, g.opts.Power)
	suites := make([]Suite, len(names))
	for i, name := range names {
		info := g.suites[name]
		suites[i] = Suite{
			Suite: info.name, Tags: info.tags, Reasons: []string{}, Warnings: []string{},
			Missing: missingOf(byCase[name]),
			Group:   g.group(st, byCase[name], info.levels.Discrete()),
		}
	}
	var seq *SequentialSummary
	if g.opts.Sequential != nil {
		seq = g.opts.Sequential.Summary()
		for i := range suites {
			for j := range seq.Suites {
				if seq.Suites[j].Suite == suites[i].Suite {
					suites[i].Sequential = &seq.Suites[j]
				}
			}
		}
	}
	g.decide(suites)
	res := g.newResult(suites)
	res.Sequential = seq
	res.Tags = g.tags(st, suites, byCase)
	var all []*gateCase
	var levels stats.ScoreLevels
	for _, name := range names {
		all = append(all, byCase[name]...)
		levels.Merge(&g.suites[name].levels, g.opts.Stats.DiscreteValues)
	}
	res.Overall = Overall{Verdict: res.Verdict, Group: g.group(st, all, levels.Discrete())}
	return res, nil
}

// groupSettings returns the statistics settings of every group of a gate
// over family suites: one computation for a suite, a tag and all cases,
// so a tag of one suite reports exactly its suite's interval. A suite's
// test may be read at a level as small as alpha/2/family.
func (g *Gate) groupSettings(family int) stats.Settings {
	st := g.opts.Stats
	st.MinLevel = st.Alpha / 2 / float64(max(family, 1))
	return st
}

// newResult returns the result's frame: settings, suites, the overall
// verdict, failures, what is undecided and warnings.
func (g *Gate) newResult(suites []Suite) *Result {
	o := g.opts
	res := &Result{
		SchemaVersion: SchemaVersion, Baseline: o.Baseline, Candidate: o.Candidate, Mode: o.Mode,
		Verdict: Pass, Margin: o.Margin, Alpha: o.Stats.Alpha, Power: o.Power, MinCases: o.MinCases,
		Thresholds: Thresholds{limitJSON(o.MaxCostIncrease), limitJSON(o.MaxP95Increase), limitJSON(o.MaxErrorIncrease)},
		Holm:       Holm{Method: "holm", Family: len(suites), OneSidedAlpha: o.Stats.Alpha / 2},
		Suites:     suites, Failures: []string{}, Undecided: []string{}, Warnings: g.globalWarnings(),
	}
	if len(suites) == 0 {
		res.Verdict = Fail
		res.Failures = append(res.Failures, "no suite has rows from both providers")
	}
	for _, s := range suites {
		res.Verdict = worse(res.Verdict, s.Verdict)
		for _, c := range s.Checks {
			switch c.Verdict {
			case Fail:
				res.Failures = append(res.Failures, s.Suite+": "+c.Name+": "+c.Message)
			case Inconclusive:
				res.Undecided = append(res.Undecided, s.Suite+": "+c.Name+": "+c.Message)
			}
		}
		for _, w := range s.Warnings {
			res.Warnings = append(res.Warnings, s.Suite+": "+w)
		}
	}
	res.Blocks = o.Mode.Blocks(res.Verdict)
	return res
}

// limitJSON returns a limit's value, null when off.
func limitJSON(l Limit) NullFloat {
	if l.Off {
		return NullFloat(math.NaN())
	}
	return NullFloat(l.Max)
}

// decide runs the suites' score tests under Holm, then every check, and
// sets each suite's verdict, reasons and warnings.
func (g *Gate) decide(suites []Suite) {
	cmps := make([]*stats.Comparison, len(suites))
	for i := range suites {
		cmps[i] = &suites[i].cmp
	}
	ni := NonInferiority(cmps, g.opts.Margin, g.opts.Stats.Alpha)
	harm := Harm(cmps, g.opts.Stats.Alpha)
	// The operational checks are Bonferroni-split: each suite's bound is
	// read at one-sided alpha/2/m.
	q := g.opts.Stats.Alpha / 2 / float64(len(suites))
	for i := range suites {
		s := &suites[i]
		s.NonInferiority, s.Harm = ni[i], harm[i]
		s.Checks = []Check{g.coverageCheck(s), g.scoreCheck(s, len(suites)), g.costCheck(s, q), g.p95Check(s, q), g.errorCheck(s, q)}
		s.Verdict = Pass
		for _, c := range s.Checks {
			s.Verdict = worse(s.Verdict, c.Verdict)
			if c.Verdict == Fail || c.Verdict == Inconclusive {
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
	tests := make([]Test, len(cmps))
	holm(cmps, alpha, func(c *stats.Comparison) float64 { return c.NonInferiorityP(margin) },
		func(i int, p, level float64, rank int, reject bool) {
			tests[i] = Test{P: NullFloat(p), Level: level, Rank: rank, LowerBound: NullFloat(cmps[i].LowerBound(level)), Pass: reject}
		})
	return tests
}

// Harm tests each comparison's H0 "the candidate scores at least as well
// as the baseline" under Holm's step-down at family-wise one-sided level
// alpha/2, the mirror of NonInferiority: harm is shown on a suite when
// the upper bound of its interval at Holm's level is below 0, and the
// chance that a candidate as good as its baseline is shown harmful on any
// suite is at most alpha/2.
func Harm(cmps []*stats.Comparison, alpha float64) []HarmTest {
	tests := make([]HarmTest, len(cmps))
	holm(cmps, alpha, func(c *stats.Comparison) float64 { return c.HarmP(0) },
		func(i int, p, level float64, rank int, reject bool) {
			tests[i] = HarmTest{P: NullFloat(p), Level: level, Rank: rank, UpperBound: NullFloat(cmps[i].UpperBound(level)), Shown: reject}
		})
	return tests
}

// holm runs Holm's step-down at family-wise one-sided level alpha/2 over
// the comparisons' p-values (pOf) and hands set each test's index,
// p-value, level, rank (1 = smallest p) and whether it was rejected.
func holm(cmps []*stats.Comparison, alpha float64, pOf func(*stats.Comparison) float64, set func(i int, p, level float64, rank int, reject bool)) {
	p := make([]float64, len(cmps))
	for i, c := range cmps {
		p[i] = pOf(c)
	}
	reject, level := stats.Holm(p, alpha/2)
	for k, i := range stats.HolmOrder(p) {
		set(i, p[i], level[i], k+1, reject[i])
	}
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

// tags judges each tag by its suites (the worst of their verdicts) and
// pools their cases.
func (g *Gate) tags(st stats.Settings, suites []Suite, byCase map[string][]*gateCase) []Tag {
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
			t.Verdict = worse(t.Verdict, s.Verdict)
			if s.Verdict != Pass {
				for _, r := range s.Reasons {
					t.Reasons = append(t.Reasons, fmt.Sprintf("suite %s: %s", s.Suite, r))
				}
			}
		}
		if len(t.Suites) == 1 {
			t.Group = bySuite[tag][0].Group // the same rows: the same numbers
		} else {
			t.Group = g.group(st, cases, levels.Discrete())
		}
		out = append(out, t)
	}
	return out
}
