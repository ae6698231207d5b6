package routing

import (
	"fmt"

	"github.com/parity-eval/parity/internal/format"
)

// ruleWhy explains the choice of the primary in one line, saying when a
// provider without a price took part.
func ruleWhy(d routeDecision, tol float64) string {
	return primaryWhy(d, tol) + unpricedWhy(d)
}

// unpricedWhy says how the unpriced candidates within the tolerance were
// ranked, "" when there are none.
func unpricedWhy(d routeDecision) string {
	var s string
	for _, c := range d.unpriced {
		if c.idx == d.primary.idx {
			s += fmt.Sprintf("; %s has no price in the config: chosen on quality, as no priced provider qualified; its cost is unknown, not free", c.provider)
			continue
		}
		s += fmt.Sprintf("; %s has no price in the config: ranked as costing more than every priced provider, not as free", c.provider)
	}
	return s
}

// unpricedWarning is the rule set's warning about a provider the config
// gives no price.
func unpricedWarning(id string) string {
	return fmt.Sprintf("%s has no price in the config: its rows cost $0 because its price is unknown; the rules rank it as costing more than every priced provider (never primary on cost), and the projections count it at $0", id)
}

// primaryWhy explains the choice of the primary on quality and cost.
func primaryWhy(d routeDecision, tol float64) string {
	p, b := d.primary, d.best
	if p.idx == b.idx {
		s := fmt.Sprintf("best quality (lower bound %s, mean %s, %s/case)",
			format.Score(b.score.low), format.Score(b.score.mean), format.USD(b.cost))
		switch {
		case len(d.rejected) > 0:
			r := d.rejected[0]
			return s + fmt.Sprintf("; cheaper %s was not shown non-inferior on %d paired cases (difference %s, lower bound %s < -%g)",
				r.c.provider, r.d.clusters, format.Signed(r.d.mean), format.Signed(r.d.low), tol)
		case d.within == 1:
			return s + fmt.Sprintf("; no other provider within %g of it", tol)
		case len(d.eligible) == 1 && d.within == 2:
			return s + fmt.Sprintf("; the other provider within %g costs more and is not shown non-inferior", tol)
		case len(d.eligible) == 1:
			return s + fmt.Sprintf("; the %d other providers within %g cost more and are not shown non-inferior", d.within-1, tol)
		}
		return s + fmt.Sprintf(" and the cheapest of the %d providers within %g", len(d.eligible), tol)
	}
	s := fmt.Sprintf("cheapest within %g of the best (%s, lower bound %s) and non-inferior on %d paired cases (difference %s, lower bound %s): %s at %s/case",
		tol, b.provider, format.Score(b.score.low), d.paired.clusters, format.Signed(d.paired.mean), format.Signed(d.paired.low),
		format.Score(p.score.mean), format.USD(p.cost))
	switch {
	case p.cost == 0 && b.cost > 0:
		return s + ", free"
	case p.cost > 0 && b.cost > p.cost:
		return s + ", " + format.Ratio(b.cost/p.cost) + " cheaper"
	}
	return s
}

// ruleWarnings says when the primary's evidence is too thin to trust, and
// which cheaper providers more cases might admit.
func ruleWarnings(d routeDecision, tol float64) []string {
	var w []string
	p := d.primary
	if p.unpriced {
		w = append(w, fmt.Sprintf("the primary %s has no price in the config: the rule's cost is unknown (counted at $0)", p.provider))
	}
	if p.cases < minReliableCases {
		w = append(w, fmt.Sprintf("%d cases < %d: the interval is unreliable", p.cases, minReliableCases))
	}
	if half := intervalHalfWidth(p.score); tol > 0 && half > tol {
		w = append(w, fmt.Sprintf("the 95%% interval (±%s) is wider than the tolerance %g: the choice may be noise", format.Score(half), tol))
	}
	for _, r := range d.rejected {
		w = append(w, fmt.Sprintf("%s is cheaper and within %g on the lower bounds, but not shown non-inferior on %d paired cases (lower bound %s): more cases may settle it",
			r.c.provider, tol, r.d.clusters, format.Signed(r.d.low)))
	}
	return w
}

// intervalHalfWidth is the half width of the interval's 95% bounds, 0 below two
// clusters (where the warning on the number of cases applies).
func intervalHalfWidth(iv scoreInterval) float64 {
	if iv.clusters < 2 {
		return 0
	}
	return studentT975(iv.clusters-1) * iv.stdErr
}
