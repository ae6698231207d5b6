package routing

import (
	"cmp"
	"math"
	"slices"
)

// routeCaseKey identifies a case across suites.
type routeCaseKey struct{ suite, id string }

// compareCaseKeys orders cases by suite, then id.
func compareCaseKeys(a, b routeCaseKey) int {
	return cmp.Or(cmp.Compare(a.suite, b.suite), cmp.Compare(a.id, b.id))
}

// routeCases holds a rule's rows by case and provider. Each case is
// interned to a dense index, in the order cases arrive, and each
// provider's cells are a column indexed by it: a case costs its entry in
// the index and a cell (40 bytes, no pointers for the collector to scan)
// per provider, not an object of its own. With one repeat and two
// providers that is about 117 bytes a case (BenchmarkEvidenceMemory).
type routeCases struct {
	// index maps suite, then case id, to the case's index; a suite's name
	// is stored once, not once per case.
	index map[string]map[string]int32
	n     int32
	// cols holds provider p's cells in cols[p].
	cols []cellColumn
}

// routeCell is one provider's rows on one case.
type routeCell struct {
	// first is the first repeat's score, NaN without a row; an array so
	// that it is the cell's scores (caseCell) until a later repeat moves
	// them to its column's more.
	first               [1]float64
	cost                float64
	inTokens, outTokens int64
	rows                int32
	// ok counts the successful rows, whose tokens are summed; the others
	// failed.
	ok int32
}

// emptyCell is a cell without rows.
var emptyCell = routeCell{first: [1]float64{math.NaN()}}

// caseOf returns the index of the case, interning it when new.
func (r *routeCases) caseOf(suite, id string) int32 {
	ids := r.index[suite]
	if ids == nil {
		if r.index == nil {
			r.index = map[string]map[string]int32{}
		}
		ids = map[string]int32{}
		r.index[suite] = ids
	}
	c, ok := ids[id]
	if !ok {
		c = r.n
		ids[id] = c
		r.n++
	}
	return c
}

// add records one row of provider p on case c; a second row of the same
// repeat (a replayed journal) is ignored.
func (r *routeCases) add(c int32, p int, o *routeRow) {
	for len(r.cols) <= p {
		r.cols = append(r.cols, cellColumn{})
	}
	col, rep := &r.cols[p], max(o.repeat, 0)
	cell := col.cells.grow(c, emptyCell)
	scores := col.scores(c, cell)
	if rep >= len(scores) {
		scores = col.moreScores(c, cell, rep)
	}
	if !math.IsNaN(scores[rep]) {
		return
	}
	cell.rows++
	scores[rep] = o.score
	cell.cost += o.cost
	if o.errorClass != "" {
		return
	}
	cell.ok++
	cell.inTokens += o.inTokens
	cell.outTokens += o.outTokens
}

// has reports whether provider p has at least one row on case c.
func (r *routeCases) has(c int32, p int) bool {
	if p >= len(r.cols) {
		return false
	}
	cell := r.cols[p].cells.at(c)
	return cell != nil && cell.rows > 0
}

// caseCell is one provider's rows on one case as the rules read them.
type caseCell struct {
	*routeCell
	// scores holds the score of each repeat by its index; NaN where the
	// repeat has no row.
	scores []float64
}

// cell returns provider p's rows on case c, which has(c, p).
func (r *routeCases) cell(c int32, p int) caseCell {
	col := &r.cols[p]
	cell := col.cells.at(c)
	return caseCell{cell, col.scores(c, cell)}
}

// meanScore is the mean score of the cell's repeats.
func (c caseCell) meanScore() float64 {
	var sum float64
	for _, s := range c.scores {
		if !math.IsNaN(s) {
			sum += s
		}
	}
	return sum / float64(c.rows)
}

// meanCost is the mean cost of the cell's rows.
func (c *routeCell) meanCost() float64 { return c.cost / float64(c.rows) }

// failed counts the cell's rows whose request failed.
func (c *routeCell) failed() int32 { return c.rows - c.ok }

// caseKeys returns every case's key, by case index.
func (r *routeCases) caseKeys() []routeCaseKey {
	keys := make([]routeCaseKey, r.n)
	for suite, ids := range r.index {
		for id, c := range ids {
			keys[c] = routeCaseKey{suite, id}
		}
	}
	return keys
}

// sortedCases returns the case indices ordered by suite then id, so that
// every computation over them is deterministic, and every case's key by
// its index.
func (r *routeCases) sortedCases() ([]int32, []routeCaseKey) {
	keys := r.caseKeys()
	order := make([]int32, len(keys))
	for i := range order {
		order[i] = int32(i)
	}
	slices.SortFunc(order, func(a, b int32) int { return compareCaseKeys(keys[a], keys[b]) })
	return order, keys
}
