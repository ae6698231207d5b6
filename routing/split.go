package routing

import (
	"fmt"
	"github.com/parity-eval/parity/internal/format"
	"slices"
)

// proposeSplit spreads a rule's primary traffic when two or more
// providers are eligible (within the tolerance and non-inferior to the
// best): 1-share to the primary (the cheapest), share to the most reliable
// of the others. It returns nil when share is 0 or only one is eligible.
func proposeSplit(d routeDecision, share float64) *Split {
	if share <= 0 || share >= 1 || len(d.eligible) < 2 {
		return nil
	}
	others := slices.DeleteFunc(slices.Clone(d.eligible), func(c routeCandidate) bool { return c.idx == d.primary.idx })
	partner := slices.MinFunc(others, byReliability)
	return newSplit([]weightedTarget{{d.primary, 1 - share, "primary"}, {partner, share, "reliable"}})
}

// weightedTarget is a candidate with its share of a split.
type weightedTarget struct {
	c      routeCandidate
	weight float64
	role   string
}

// newSplit returns the split of targets with its expected mix: the
// weighted means of the targets' measured score, cost and error rate.
func newSplit(targets []weightedTarget) *Split {
	s := &Split{}
	var mix Mix
	for _, t := range targets {
		s.Targets = append(s.Targets, SplitTarget{Provider: t.c.provider, Model: t.c.model,
			Weight: format.RoundTo(t.weight, 4), Role: t.role})
		mix.MeanScore += t.weight * t.c.score.mean
		mix.CostPerCaseUSD += t.weight * t.c.cost
		mix.ErrorRate += t.weight * t.c.errorRate
	}
	s.Expected = Mix{roundedOutcome(mix.MeanScore, mix.CostPerCaseUSD), format.RoundTo(mix.ErrorRate, 4)}
	return s
}

// addCanary gives the gate's candidate its canary weight on a rule whose
// tag passed the gate, scaling the rest of the split down; on any other
// rule it records why there is none.
func addCanary(rule *TagRule, v routeView, cands []routeCandidate, s Settings) {
	g := s.Gate
	verdict, reasons := g.tagVerdict(rule.Tag)
	rule.Canary = &Canary{Candidate: g.Candidate, Verdict: verdict, Reasons: reasons}
	cand, ok := findCandidate(cands, g.Candidate)
	if why := noCanary(rule, v, verdict, cand, ok); why != "" {
		rule.Canary.Why = why
		return
	}
	targets := splitTargets(rule, cands)
	for i := range targets {
		targets[i].weight *= 1 - s.CanaryWeight
	}
	rule.Split = newSplit(append(targets, weightedTarget{cand, s.CanaryWeight, "canary"}))
	rule.Canary.Weight = s.CanaryWeight
	rule.Canary.Why = fmt.Sprintf("the gate passed on %s: %s of its traffic goes to %s", rule.Tag,
		format.Pct(s.CanaryWeight), g.Candidate)
}

// noCanary says why a rule gets no canary, "" when it does.
func noCanary(rule *TagRule, v routeView, verdict string, cand routeCandidate, measured bool) string {
	g := rule.Canary.Candidate
	switch {
	case verdict == "fail":
		return "the gate failed on " + rule.Tag + ": no canary"
	case verdict == "inconclusive":
		return "the gate is inconclusive on " + rule.Tag + " (non-inferiority not shown): no canary"
	case verdict != "pass":
		return "the gate has no verdict on " + rule.Tag + ": no canary"
	case rule.Primary == nil:
		return "no primary to share traffic with"
	case rule.Primary.Provider == g:
		return g + " is already the primary"
	case rule.Split != nil && slices.ContainsFunc(rule.Split.Targets, func(t SplitTarget) bool { return t.Provider == g }):
		return g + " already has a share of the split"
	}
	for _, e := range rule.Excluded {
		if e.Provider == g {
			return g + " is excluded: " + e.Reason
		}
	}
	if !measured || !cand.served() {
		return fmt.Sprintf("no answered results of %s on %s: run it on these suites first", g, v.route.key)
	}
	return ""
}

// splitTargets returns the rule's current split, or its primary alone.
func splitTargets(rule *TagRule, cands []routeCandidate) []weightedTarget {
	if rule.Split == nil {
		c, _ := findCandidate(cands, rule.Primary.Provider)
		return []weightedTarget{{c, 1, "primary"}}
	}
	var out []weightedTarget
	for _, t := range rule.Split.Targets {
		c, _ := findCandidate(cands, t.Provider)
		out = append(out, weightedTarget{c, t.Weight, t.Role})
	}
	return out
}

// findCandidate returns the candidate of a provider id.
func findCandidate(cands []routeCandidate, id string) (routeCandidate, bool) {
	i := slices.IndexFunc(cands, func(c routeCandidate) bool { return c.provider == id })
	if i < 0 {
		return routeCandidate{}, false
	}
	return cands[i], true
}
