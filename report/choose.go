package report

import (
	"cmp"
	"fmt"
	"slices"

	"github.com/parity-eval/parity/suites"
)

// scoreEpsilon absorbs floating-point noise when comparing a score with
// the best minus the tolerance.
const scoreEpsilon = 1e-9

// minReliableN is the sample size under which a rule carries a warning.
const minReliableN = 10

// candidate is one provider's evidence on one tag.
type candidate struct {
	TagStats
	model string
	price *Price
	// listPrice is input + output USD per million tokens: it breaks ties
	// between providers of equal measured cost.
	listPrice float64
}

// newCandidate joins a provider's tag statistics with its configuration
// (p may be nil).
func newCandidate(ts TagStats, p *suites.Provider) candidate {
	c := candidate{TagStats: ts, model: ts.Model}
	if p == nil {
		return c
	}
	c.model = p.Model
	if p.Price != (suites.Price{}) {
		c.price = &Price{p.Price.Input, p.Price.Output, p.Price.Source, p.Price.Checked}
		c.listPrice = p.Price.Input + p.Price.Output
	}
	return c
}

// choice returns the candidate as rule evidence, rounded for reading.
func (c candidate) choice() Choice {
	return Choice{
		Provider:       c.Provider,
		Model:          c.model,
		MeanScore:      roundTo(c.MeanScore, 4),
		StdErr:         roundTo(c.StdErr, 4),
		CostPerCaseUSD: roundSig(c.CostPerCaseUSD, 4),
		ErrorRate:      roundTo(c.ErrorRate, 4),
		N:              c.N,
		Price:          c.price,
	}
}

// Orders over candidates; each ends on the provider id so that every
// choice is deterministic.
var (
	// byScore: best mean score first, then cheaper.
	byScore = func(x, y candidate) int {
		return cmp.Or(-cmp.Compare(x.MeanScore, y.MeanScore), byCost(x, y))
	}
	// byCost: cheaper first, then the better score and fewer errors.
	byCost = func(x, y candidate) int {
		return cmp.Or(cmp.Compare(x.CostPerCaseUSD, y.CostPerCaseUSD),
			-cmp.Compare(x.MeanScore, y.MeanScore), cmp.Compare(x.ErrorRate, y.ErrorRate),
			cmp.Compare(x.listPrice, y.listPrice), cmp.Compare(x.Provider, y.Provider))
	}
	// byFallback: best mean score first, then fewer errors, then cheaper.
	byFallback = func(x, y candidate) int {
		return cmp.Or(-cmp.Compare(x.MeanScore, y.MeanScore),
			cmp.Compare(x.ErrorRate, y.ErrorRate), byCost(x, y))
	}
	// byReliability: fewest errors first, then the better score.
	byReliability = func(x, y candidate) int {
		return cmp.Or(cmp.Compare(x.ErrorRate, y.ErrorRate), byScore(x, y))
	}
)

// chooseRule picks a tag's primary and fallbacks among its candidates.
func chooseRule(cands []candidate, tol float64, maxFallbacks int) TagRule {
	usable := slices.DeleteFunc(slices.Clone(cands), func(c candidate) bool {
		return c.N == 0 || c.ErrorRate >= 1
	})
	if len(usable) == 0 {
		return TagRule{Fallbacks: []Choice{}, Why: "no provider answered any case with this tag"}
	}
	best := slices.MinFunc(usable, byScore)
	within := slices.DeleteFunc(slices.Clone(usable), func(c candidate) bool {
		return c.MeanScore < best.MeanScore-tol-scoreEpsilon
	})
	primary := slices.MinFunc(within, byCost)
	fallbacks := chooseFallbacks(usable, primary, maxFallbacks)

	rule := TagRule{
		Primary:   ptr(primary.choice()),
		Fallbacks: make([]Choice, 0, len(fallbacks)),
		Best:      &Best{Provider: best.Provider, MeanScore: roundTo(best.MeanScore, 4)},
		Why:       why(primary, best, len(within), tol),
		Warnings:  warnings(primary, tol),
	}
	for _, f := range fallbacks {
		rule.Fallbacks = append(rule.Fallbacks, f.choice())
	}
	return rule
}

// chooseFallbacks orders the usable candidates other than the primary by
// mean score, keeps at most max of them, and makes the chain end on the
// most reliable provider when neither the primary nor a kept fallback is
// as reliable.
func chooseFallbacks(usable []candidate, primary candidate, limit int) []candidate {
	rest := slices.DeleteFunc(slices.Clone(usable), func(c candidate) bool {
		return c.Provider == primary.Provider
	})
	if limit <= 0 || len(rest) == 0 {
		return nil
	}
	slices.SortFunc(rest, byFallback)
	chain := rest[:min(limit, len(rest))]
	reliable := slices.MinFunc(rest, byReliability)
	if primary.ErrorRate <= reliable.ErrorRate ||
		slices.ContainsFunc(chain, func(c candidate) bool { return c.ErrorRate <= reliable.ErrorRate }) {
		return chain
	}
	chain[len(chain)-1] = reliable
	return chain
}

// why explains the choice of the primary in one line.
func why(primary, best candidate, nWithin int, tol float64) string {
	if primary.Provider == best.Provider {
		if nWithin == 1 {
			return fmt.Sprintf("best mean score (%s at %s/case); no other provider within %g of it",
				formatScore(best.MeanScore), formatUSD(best.CostPerCaseUSD), tol)
		}
		return fmt.Sprintf("best mean score (%s at %s/case) and the cheapest of the %d providers within %g",
			formatScore(best.MeanScore), formatUSD(best.CostPerCaseUSD), nWithin, tol)
	}
	s := fmt.Sprintf("cheapest within %g of the best (%s %s): %s at %s/case",
		tol, best.Provider, formatScore(best.MeanScore),
		formatScore(primary.MeanScore), formatUSD(primary.CostPerCaseUSD))
	switch {
	case primary.CostPerCaseUSD == 0 && best.CostPerCaseUSD > 0:
		return s + ", free"
	case primary.CostPerCaseUSD > 0 && best.CostPerCaseUSD > primary.CostPerCaseUSD:
		return s + ", " + formatRatio(best.CostPerCaseUSD/primary.CostPerCaseUSD) + " cheaper"
	}
	return s
}

// warnings says when the primary's evidence is too thin to trust.
func warnings(primary candidate, tol float64) []string {
	var w []string
	if primary.N < minReliableN {
		w = append(w, fmt.Sprintf("n = %d < %d: the standard error is unreliable", primary.N, minReliableN))
	}
	if half := halfWidth95(primary.StdErr, primary.N); tol > 0 && half > tol {
		w = append(w, fmt.Sprintf("the 95%% interval (±%.3f) is wider than the tolerance %g: the choice may be noise",
			half, tol))
	}
	return w
}

// ptr returns a pointer to a copy of v.
func ptr[T any](v T) *T { return &v }
