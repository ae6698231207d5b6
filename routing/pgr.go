package routing

import (
	"cmp"
	"math"
	"slices"
)

// Metric definitions of the held-out proof, over held-out cases. Q is a
// mean score (failed requests score 0) and C a mean cost per case; the
// references are "strong" (every case on its rule's best provider, chosen
// on the training cases) and "weak" (every case on its rule's cheapest
// provider, likewise).
//
//   - Quality kept (%) = 100 · Q_rules / Q_ref; cost saved (%) =
//     100 · (1 - C_rules / C_ref), against the best and the baseline.
//   - PGR, RouteLLM's performance gap recovered (Ong et al. 2024,
//     REFERENCE.md §2) = (Q_rules - Q_weak) / (Q_strong - Q_weak): 0 is no
//     better than all-cheapest, 1 as good as all-best; it can leave [0, 1].
//     Undefined when Q_strong = Q_weak.
//   - APGR, its average over the cost-quality curve: RouteLLM integrates
//     quality over the share of calls sent to the strong model and
//     normalises by the weak and strong areas (routellm/evals/evaluate.py).
//     parity routes among more than two providers, so its x axis is the
//     share of the cost gap spent, x = (C - C_weak) / (C_strong - C_weak)
//     clamped to [0, 1] (equal to the share of strong calls when a router
//     sends each call whole to the strong or the weak model and costs per
//     call do not depend on the case). The curve's points are the rules at
//     each tolerance plus the two references, (0, Q_weak) and
//     (1, Q_strong); APGR = (AUC - Q_weak) / (Q_strong - Q_weak) with AUC
//     the trapezoid area under quality over x in [0, 1]. A router that
//     mixes the two at random scores 0.5; one at strong quality for
//     nothing scores 1.
//   - Cost to match the best (FrugalGPT, Chen et al. 2023, REFERENCE.md
//     §2): the cheapest point of the curve whose held-out quality is at
//     least the best's, with its cost saved against the best; absent when
//     no tolerance matches it.
//   - The intervals of quality kept and cost saved: a cluster bootstrap
//     over the held-out cases, the folds' rules fixed (HoldoutInterval).
//   - The split cost: the same held-out cases under rules chosen from
//     half of each fold's training cases, against the proof's own
//     (SplitCost).

// apgrPoint is one router on the cost-quality plane.
type apgrPoint struct {
	x, q float64
}

// pgr is the performance gap recovered; ok is false when the gap is 0.
func pgr(q, weak, strong float64) (float64, bool) {
	if math.Abs(strong-weak) < scoreEpsilon {
		return 0, false
	}
	return (q - weak) / (strong - weak), true
}

// costGapShare is the share of the cost gap a router spends, in [0, 1]; ok is
// false when the strong reference costs no more than the weak one.
func costGapShare(c, weak, strong float64) (float64, bool) {
	if strong-weak <= 0 {
		return 0, false
	}
	return min(max((c-weak)/(strong-weak), 0), 1), true
}

// apgr averages PGR over the curve of points anchored at (0, weak) and
// (1, strong), as defined above; ok is false when PGR is undefined.
func apgr(points []apgrPoint, weak, strong float64) (float64, bool) {
	if math.Abs(strong-weak) < scoreEpsilon {
		return 0, false
	}
	pts := append([]apgrPoint{{0, weak}, {1, strong}}, points...)
	slices.SortStableFunc(pts, func(a, b apgrPoint) int { return cmp.Or(cmp.Compare(a.x, b.x), cmp.Compare(a.q, b.q)) })
	var auc float64
	for i := 1; i < len(pts); i++ {
		auc += (pts[i].x - pts[i-1].x) * (pts[i].q + pts[i-1].q) / 2
	}
	return (auc - weak) / (strong - weak), true
}

// percentOf returns 100·a/b, ok false when b is 0.
func percentOf(a, b float64) (float64, bool) {
	if b == 0 {
		return 0, false
	}
	return 100 * a / b, true
}
