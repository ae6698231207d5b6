package routing

import (
	"fmt"
	"hash/fnv"
	"math"
	"math/rand/v2"

	"github.com/parity-eval/parity/internal/format"
)

// SplitCost is what the training split's size costs. The rules shipped
// are chosen from every case, the proof's from a fold's training cases
// only; choosing from fewer cases again shows the trend. Each fold's rules
// are chosen again from HalfDraws seeded halves of its training cases and
// scored on the same held-out cases: Half is those rules, Full the proof's
// own, both against the same reference, and Gain is Full minus Half.
type SplitCost struct {
	Method string `yaml:"method" json:"method"`
	// Against names the reference of the percentages: the baseline when
	// there is one, else each rule's best (chosen on the whole fold).
	Against string    `yaml:"against" json:"against"`
	Half    SplitSize `yaml:"half" json:"half"`
	Full    SplitSize `yaml:"full" json:"full"`
	Gain    SplitGain `yaml:"gain" json:"gain"`
	// Summary says it in a sentence.
	Summary string `yaml:"summary" json:"summary"`
}

// SplitSize is the held-out proof of rules chosen from one training size.
type SplitSize struct {
	// TrainingShare is the mean share of a rule's cases its rules were
	// chosen from, over the held-out cases (the shipped rules': 1).
	TrainingShare  float64 `yaml:"training_share" json:"training_share"`
	Outcome        `yaml:",inline"`
	QualityKeptPct *float64 `yaml:"quality_kept_pct,omitempty" json:"quality_kept_pct,omitempty"`
	CostSavedPct   *float64 `yaml:"cost_saved_pct,omitempty" json:"cost_saved_pct,omitempty"`
}

// SplitGain is what the full training folds gain over their halves, in
// percentage points of quality kept and cost saved, with the bounds of the
// held-out bootstrap (HoldoutInterval) when it ran; the halves drawn are
// not drawn again.
type SplitGain struct {
	QualityKeptPts      *float64 `yaml:"quality_kept_pts,omitempty" json:"quality_kept_pts,omitempty"`
	CostSavedPts        *float64 `yaml:"cost_saved_pts,omitempty" json:"cost_saved_pts,omitempty"`
	QualityKeptInterval *Bounds  `yaml:"quality_kept_interval,omitempty" json:"quality_kept_interval,omitempty"`
	CostSavedInterval   *Bounds  `yaml:"cost_saved_interval,omitempty" json:"cost_saved_interval,omitempty"`
}

// trainingShares accumulate, per held-out case, the share of its rule's
// cases the full and the half training sets hold; halved counts the
// cases whose half was smaller than the full set.
type trainingShares struct {
	full, half float64
	n, halved  int
}

// add records one held-out case whose fold trained on train of the
// rule's cases, and its halves on half of them.
func (t *trainingShares) add(train, half, cases int) {
	t.full += float64(train) / float64(cases)
	t.half += float64(half) / float64(cases)
	t.n++
	if half < train {
		t.halved++
	}
}

// halfRNG is the seeded stream a rule's halves are drawn from, apart
// from the one its folds are.
func halfRNG(key Key, hs HoldoutSettings) *rand.Rand {
	h := fnv.New64a()
	h.Write([]byte("half/" + key.String()))
	return rand.New(rand.NewPCG(hs.Seed, h.Sum64()))
}

// halves chooses the rules again on HalfDraws seeded halves (rounded up)
// of a fold's training cases and returns their primaries at the
// tolerance, and the size of a half. A half nothing can be chosen on
// keeps the fold's own primary.
func (p *holdoutProof) halves(v routeView, train []int32, fc holdoutFold, rng *rand.Rand) ([]int, int) {
	size := (len(train) + 1) / 2
	prims := make([]int, 0, p.s.Holdout.HalfDraws)
	for range p.s.Holdout.HalfDraws {
		perm := perm32(rng, len(train))
		half := make([]int32, 0, size)
		for _, i := range perm[:size] {
			half = append(half, train[i])
		}
		hc, ok := p.choose(v, half)
		if !ok {
			hc = fc
		}
		prims = append(prims, hc.primaries[p.tol])
	}
	return prims, size
}

// splitCost returns the split cost from the held-out sums and the
// bootstrap's bounds (NaN when it did not run); nil when no fold's
// training cases could be halved.
func (p *holdoutProof) splitCost(lo, hi heldFigures) *SplitCost {
	t := p.held.total()
	if t.halfN == 0 || p.shares.halved == 0 {
		return nil
	}
	vsBase := p.s.Baseline != ""
	f := t.figures(vsBase)
	sc := &SplitCost{Against: "each rule's best, chosen on the whole fold", Gain: SplitGain{
		QualityKeptPts: pctOrNil(f[figKeptGain]), CostSavedPts: pctOrNil(f[figSavedGain]),
		QualityKeptInterval: bounds(lo, hi, figKeptGain), CostSavedInterval: bounds(lo, hi, figSavedGain),
	}}
	if vsBase {
		sc.Against = "the baseline " + p.s.Baseline
	}
	n := float64(p.shares.n)
	sc.Half = SplitSize{TrainingShare: format.RoundTo(p.shares.half/n, 4), Outcome: roundedOutcome(t.halfQ/t.halfN, t.halfC/t.halfN),
		QualityKeptPct: pctOrNil(f[figKeptHalf]), CostSavedPct: pctOrNil(f[figSavedHalf])}
	kept, saved := f[figKeptBest], f[figSavedBest]
	if vsBase {
		kept, saved = f[figKeptBase], f[figSavedBase]
	}
	sc.Full = SplitSize{TrainingShare: format.RoundTo(p.shares.full/n, 4), Outcome: roundedOutcome(t.rulesQ/t.n, t.rulesC/t.n),
		QualityKeptPct: pctOrNil(kept), CostSavedPct: pctOrNil(saved)}
	sc.Method = fmt.Sprintf("each fold's rules chosen again, with the same method, from %d seeded halves of its training cases "+
		"and scored on the same held-out cases", p.s.Holdout.HalfDraws)
	ref := "the best's"
	if vsBase {
		ref = "the baseline's"
	}
	sc.Summary = splitSummary(sc, ref)
	return sc
}

// pctOrNil returns v rounded to two decimals (roundPct), nil when NaN.
func pctOrNil(v float64) *float64 {
	return roundedOrNil(roundPct(v), !math.IsNaN(v))
}

// splitSummary says in a sentence what the split's size costs, against
// the reference ref names.
func splitSummary(sc *SplitCost, ref string) string {
	h, f, g := sc.Half, sc.Full, sc.Gain
	if g.QualityKeptPts == nil || g.CostSavedPts == nil {
		return "the reference costs or scores nothing on the held-out cases: no split cost"
	}
	s := fmt.Sprintf("choosing from half the training cases (%s of a rule's) keeps %s of %s quality and saves %s; "+
		"from all of them (%s), %s and %s: ", format.Pct(h.TrainingShare), pctText(*h.QualityKeptPct), ref,
		pctText(*h.CostSavedPct), format.Pct(f.TrainingShare), pctText(*f.QualityKeptPct), pctText(*f.CostSavedPct))
	trend, moved := splitTrend(*g.QualityKeptPts, *g.CostSavedPts)
	if moved {
		trend += splitNoise(g)
	}
	return s + trend
}

// pctText prints a percentage already in percent.
func pctText(v float64) string { return format.Pct(v / 100) }

// splitTrend reads the gains (percentage points, full minus half) as what
// they say of the shipped rules, chosen from every case; moved is false
// when neither figure moved.
func splitTrend(dq, ds float64) (trend string, moved bool) {
	const still = 0.05 // half a step of the percentages' rounding
	switch {
	case math.Abs(dq) < still && math.Abs(ds) < still:
		return "the training split's size changed nothing here; the shipped rules, chosen from all cases, likely do as this proof says", false
	case dq >= -still && ds >= -still:
		return "more training cases did better; the shipped rules, chosen from all cases, are likely a little better than this proof says", true
	case dq <= still && ds <= still:
		return "half the training cases did as well or better here; no sign that the shipped rules, chosen from all cases, do better than this proof says", true
	case ds > 0:
		return "more training cases let the rules take cheaper providers; the shipped rules, chosen from all cases, " +
			"likely save more than this proof says, at a little less quality", true
	default:
		return "more training cases made the rules keep more quality at a higher cost; the shipped rules, chosen from all cases, " +
			"likely keep a little more and save a little less than this proof says", true
	}
}

// splitNoise qualifies the trend by the gains' bounds: within the noise
// when both intervals hold 0, nothing when either excludes it, and says
// so when there is no interval.
func splitNoise(g SplitGain) string {
	q, c := g.QualityKeptInterval, g.CostSavedInterval
	if q == nil || c == nil {
		return " (no interval on the difference)"
	}
	if q.Low <= 0 && q.High >= 0 && c.Low <= 0 && c.High >= 0 {
		return " (the difference is within the noise of the held-out cases)"
	}
	return ""
}
