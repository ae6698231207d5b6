package routing

import (
	"github.com/parity-eval/parity/internal/format"
)

// result turns the accumulated proof into its report; nil when no case
// was held out.
func (p *holdoutProof) result() *Holdout {
	if p.best.n == 0 {
		return nil
	}
	h := &Holdout{
		Method: describeHoldout(p.s.Holdout), Seed: p.s.Holdout.Seed, Cases: p.best.n,
		Tolerance: p.s.Tolerance,
		Rules:     p.rules[p.tol].outcome(), Best: p.best.outcome(), Cheapest: p.cheap.outcome(),
		Routes: p.routes, Warnings: p.warnings,
	}
	qr, cr := p.rules[p.tol].mean()
	qb, cb := p.best.mean()
	qw, cw := p.cheap.mean()
	h.QualityKeptVsBestPct, h.CostSavedVsBestPct = keptPct(qr, qb), savedPct(cr, cb)
	if p.s.Baseline != "" {
		h.Baseline = ptr(p.base.outcome())
		qa, ca := p.base.mean()
		h.QualityKeptVsBaselinePct, h.CostSavedVsBaselinePct = keptPct(qr, qa), savedPct(cr, ca)
	}
	h.PGR = roundedOrNil(pgr(qr, qw, qb))
	h.Curve = p.curve(qw, cw, qb, cb)
	h.APGR = roundedOrNil(apgr(p.points(cw, cb), qw, qb))
	h.CostToMatchBest = p.costToMatch(qb, cb)
	h.Warnings = append(h.Warnings, holdoutWarnings(h)...)
	if p.bestHits[p.tol] == p.rules[p.tol].n {
		h.Warnings = append(h.Warnings, "the rules sent every held-out case to its rule's best provider (the cheapest of the best when several tie): "+
			"they save nothing against the best by construction; the baseline comparison is the informative one")
	}
	return h
}

// curve returns the rules at every tolerance of the grid.
func (p *holdoutProof) curve(qw, cw, qb, cb float64) []CurvePoint {
	out := make([]CurvePoint, 0, len(p.grid))
	for i, tol := range p.grid {
		q, c := p.rules[i].mean()
		x, _ := costGapShare(c, cw, cb)
		out = append(out, CurvePoint{
			Tolerance: tol, Outcome: roundedOutcome(q, c),
			CostShare: format.RoundTo(x, 4), BestShare: format.RoundTo(float64(p.bestHits[i])/float64(p.rules[i].n), 4),
			PGR: roundedOrNil(pgr(q, qw, qb)),
		})
	}
	return out
}

// points places the curve on APGR's plane: x the share of the cost gap,
// y the quality; none when the best costs no more than the cheapest.
func (p *holdoutProof) points(cw, cb float64) []apgrPoint {
	var pts []apgrPoint
	for i := range p.grid {
		q, c := p.rules[i].mean()
		if x, ok := costGapShare(c, cw, cb); ok {
			pts = append(pts, apgrPoint{x, q})
		}
	}
	return pts
}

// costToMatch returns the cheapest curve point whose quality is at least
// the best's, nil when none is.
func (p *holdoutProof) costToMatch(qb, cb float64) *CostToMatch {
	best := -1
	for i := range p.grid {
		q, c := p.rules[i].mean()
		if q < qb-scoreEpsilon {
			continue
		}
		if _, cm := p.rules[max(best, 0)].mean(); best < 0 || c < cm {
			best = i
		}
	}
	if best < 0 {
		return nil
	}
	q, c := p.rules[best].mean()
	m := &CostToMatch{Tolerance: p.grid[best], Outcome: roundedOutcome(q, c)}
	if s := savedPct(c, cb); s != nil {
		m.CostSavedVsBestPct = *s
	}
	return m
}

// holdoutWarnings says which figures are undefined, and why.
func holdoutWarnings(h *Holdout) []string {
	var w []string
	if h.PGR == nil {
		w = append(w, "PGR and APGR are undefined: the best and the cheapest references score the same on the held-out cases")
	} else if h.APGR == nil {
		w = append(w, "APGR is undefined: the best reference costs no more than the cheapest")
	}
	if h.CostToMatchBest == nil {
		w = append(w, "no tolerance matches the best's held-out quality: FrugalGPT's cost to match the best is undefined")
	}
	return w
}

// keptPct is the quality kept in percent, rounded; nil when ref is 0.
func keptPct(q, ref float64) *float64 {
	v, ok := percentOf(q, ref)
	return roundedOrNil(format.RoundTo(v, 2), ok)
}

// savedPct is the cost saved in percent, rounded; nil when ref is 0.
func savedPct(c, ref float64) *float64 {
	v, ok := percentOf(ref-c, ref)
	return roundedOrNil(format.RoundTo(v, 2), ok)
}

// roundedOrNil returns a pointer to v rounded to four decimals when ok.
func roundedOrNil(v float64, ok bool) *float64 {
	if !ok {
		return nil
	}
	return ptr(format.RoundTo(v, 4))
}
