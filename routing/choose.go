package routing

import (
	"cmp"
	"slices"
)

// scoreEpsilon absorbs floating-point noise when comparing a score with
// the best minus the tolerance.
const scoreEpsilon = 1e-9

// minReliableCases is the number of cases under which a rule carries a
// warning.
const minReliableCases = 10

// Orders over candidates; each ends on the provider id so that every
// choice is deterministic. Quality is the lower bound of the score's
// interval; latency only breaks ties.
var (
	// byQuality: the higher lower bound first, then the higher mean, then
	// cheaper.
	byQuality = func(x, y routeCandidate) int {
		return cmp.Or(-cmp.Compare(x.score.low, y.score.low), -cmp.Compare(x.score.mean, y.score.mean), byCost(x, y))
	}
	// byCost: priced before unpriced (unpricedRank), then cheaper, then the
	// better quality, fewer errors, the lower p95 latency, the lower list
	// price.
	byCost = func(x, y routeCandidate) int {
		return cmp.Or(unpricedRank(x, y), cmp.Compare(x.cost, y.cost), -cmp.Compare(x.score.low, y.score.low),
			cmp.Compare(x.errorRate, y.errorRate), cmp.Compare(x.p95, y.p95),
			cmp.Compare(x.listPrice, y.listPrice), cmp.Compare(x.provider, y.provider))
	}
	// byFallback: the better quality first, then fewer errors, then cheaper.
	byFallback = func(x, y routeCandidate) int {
		return cmp.Or(-cmp.Compare(x.score.low, y.score.low), cmp.Compare(x.errorRate, y.errorRate), byCost(x, y))
	}
	// byReliability: fewest errors first, then the better quality, then
	// cheaper (byCost: the lower p95 latency at equal cost).
	byReliability = func(x, y routeCandidate) int {
		return cmp.Or(cmp.Compare(x.errorRate, y.errorRate), -cmp.Compare(x.score.low, y.score.low), byCost(x, y))
	}
)

// unpricedRank orders a priced candidate before an unpriced one. A
// provider the config gives no price has rows that cost $0 because its
// price is unknown, not because it is free: it ranks as costing more than
// every priced candidate, so it is never primary on cost grounds. It is
// still primary where it is the best and no priced candidate is eligible
// (on quality grounds), and it still serves as a fallback or split target.
// Without a config nothing is known of prices: every cost is the rows'
// own, and $0 reads as free.
func unpricedRank(x, y routeCandidate) int {
	switch {
	case x.unpriced == y.unpriced:
		return 0
	case x.unpriced:
		return 1
	}
	return -1
}

// routeDecision is the outcome of choosing among one rule's candidates.
type routeDecision struct {
	ok            bool
	best, primary routeCandidate
	// eligible are the candidates the primary may be: within the tolerance
	// of the best on the lower bounds and, unless the best itself,
	// non-inferior to it on paired cases; cheapest first.
	eligible []routeCandidate
	// paired compares the primary with the best when they differ.
	paired *routePaired
	// rejected are cheaper than the primary and within the tolerance on
	// the lower bounds, but not shown non-inferior on paired cases.
	rejected []routeRejection
	// within counts the candidates within the tolerance on the lower
	// bounds, eligible or not.
	within int
	// unpriced are the candidates within the tolerance that have no price
	// in the config, cheapest first: ranked after every priced one.
	unpriced []routeCandidate
}

// routeRejection is a cheaper candidate the paired test turned down.
type routeRejection struct {
	c routeCandidate
	d routePaired
}

// decideRoute chooses a rule's best and primary among cands. The best has the
// highest lower bound of its score's interval. The primary is the cheapest
// candidate whose lower bound is within tol of the best's and that is
// non-inferior to the best on paired cases: the lower bound of the
// interval on (candidate - best), paired by suite, case and repeat and
// clustered by case, is at least -tol (REFERENCE.md §1, a gate is a
// non-inferiority test). Candidates that never answered take no part; an
// unpriced one is never cheaper than a priced one (unpricedRank).
func decideRoute(cands []routeCandidate, paired func(a, b routeCandidate) routePaired, tol float64) routeDecision {
	usable := usableOnly(cands)
	if len(usable) == 0 {
		return routeDecision{}
	}
	d := routeDecision{ok: true, best: slices.MinFunc(usable, byQuality)}
	slices.SortFunc(usable, byCost)
	for _, c := range usable {
		if c.score.low < d.best.score.low-tol-scoreEpsilon {
			continue
		}
		d.within++
		if c.unpriced {
			d.unpriced = append(d.unpriced, c)
		}
		if c.idx == d.best.idx {
			d.eligible = append(d.eligible, c)
			continue
		}
		if pd := paired(c, d.best); pd.nonInferior(tol) {
			d.eligible = append(d.eligible, c)
		} else if len(d.eligible) == 0 {
			d.rejected = append(d.rejected, routeRejection{c, pd})
		}
	}
	d.primary = d.eligible[0]
	if d.primary.idx != d.best.idx {
		pd := paired(d.primary, d.best)
		d.paired = &pd
	}
	return d
}

// chooseFallbacks returns the fallback chain of a primary: the other
// usable candidates by quality then reliability, at most limit of them,
// ending on one with the fewest errors. The chain stops at the last such
// provider within the limit (nothing less reliable follows it); when none
// is within the limit, the best of them takes the last place.
func chooseFallbacks(usable []routeCandidate, primary routeCandidate, limit int) []routeCandidate {
	rest := slices.DeleteFunc(slices.Clone(usable), func(c routeCandidate) bool { return c.idx == primary.idx })
	if limit <= 0 || len(rest) == 0 {
		return nil
	}
	slices.SortFunc(rest, byFallback)
	fewest := slices.MinFunc(rest, byReliability).errorRate
	reliable := func(c routeCandidate) bool { return c.errorRate <= fewest }
	chain := rest[:min(limit, len(rest))]
	if last := lastIndexFunc(chain, reliable); last >= 0 {
		return slices.Clone(chain[:last+1])
	}
	i := slices.IndexFunc(rest, reliable)
	return append(slices.Clone(chain[:len(chain)-1]), rest[i])
}

// lastIndexFunc returns the last index i with f(s[i]), -1 when none.
func lastIndexFunc[T any](s []T, f func(T) bool) int {
	for i := len(s) - 1; i >= 0; i-- {
		if f(s[i]) {
			return i
		}
	}
	return -1
}

// ptr returns a pointer to a copy of v.
func ptr[T any](v T) *T { return &v }
