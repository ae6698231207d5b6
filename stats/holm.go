package stats

import (
	"slices"
)

// Holm applies the Holm–Bonferroni step-down procedure (Holm 1979) to
// hypotheses with p-values p at family-wise level alpha: sort the p-values
// ascending; the k-th smallest (k = 1..m) is tested at alpha/(m-k+1) and
// rejected when below it; at the first that is not, it and every larger
// one are kept. The probability of rejecting any true hypothesis is at
// most alpha, whatever their dependence.
//
// It returns, in p's order, whether each hypothesis is rejected and the
// level it was (or, after the stop, would have been) tested at. A p-value
// equal to its level is kept, so that a test and the interval at that
// level agree (see Comparison.NonInferiorityP).
func Holm(p []float64, alpha float64) (reject []bool, level []float64) {
	m := len(p)
	reject = make([]bool, m)
	level = make([]float64, m)
	stopped := false
	for k, i := range HolmOrder(p) {
		level[i] = alpha / float64(m-k)
		if !stopped && p[i] < level[i] {
			reject[i] = true
			continue
		}
		stopped = true
	}
	return reject, level
}

// HolmAdjust returns Holm-adjusted p-values, in p's order: the k-th
// smallest becomes max over j <= k of min(1, (m-j+1)·p_(j)), as R's
// p.adjust(p, "holm"). A hypothesis is rejected at level alpha when its
// adjusted p-value is at most alpha.
func HolmAdjust(p []float64) []float64 {
	m := len(p)
	adj := make([]float64, m)
	running := 0.0
	for k, i := range HolmOrder(p) {
		running = max(running, min(1, float64(m-k)*p[i]))
		adj[i] = running
	}
	return adj
}

// HolmOrder returns the indexes of p by ascending p-value, ties in input
// order.
func HolmOrder(p []float64) []int {
	idx := make([]int, len(p))
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(a, b int) int {
		switch {
		case p[a] < p[b]:
			return -1
		case p[a] > p[b]:
			return 1
		}
		return 0
	})
	return idx
}
