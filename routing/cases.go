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
	// later holds the scores of the cells with a repeat past the first
	// (see routeCell.first), nil while there are none.
	later map[cellID][]float64
}

// routeCell is one provider's rows on one case.
type routeCell struct {
	// first is the first repeat's score, NaN without a row; an array so
	// that it is the cell's scores (caseCell) until a later repeat moves
	// them to routeCases.later.
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

// cellID names provider p's cell on case c.
type cellID struct{ p, c int32 }

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
	cell := r.grow(c, p)
	scores, rep := r.scores(c, p, cell), max(o.repeat, 0)
	if rep >= len(scores) {
		scores = r.moveScores(c, p, scores, rep)
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

// grow returns provider p's cell on case c, lengthening the columns to
// it.
func (r *routeCases) grow(c int32, p int) *routeCell {
	for len(r.cols) <= p {
		r.cols = append(r.cols, cellColumn{})
	}
	return r.cols[p].grow(c)
}

// moveScores gives cell (c, p) scores up to repeat rep in later: a
// cell's first repeat has room in the cell, any other in a side table.
// The cell's own room has no capacity to spare, so that append copies it
// out; a slice of later grows as append grows it.
func (r *routeCases) moveScores(c int32, p int, scores []float64, rep int) []float64 {
	moved := scores
	for len(moved) <= rep {
		moved = append(moved, math.NaN())
	}
	if r.later == nil {
		r.later = map[cellID][]float64{}
	}
	r.later[cellID{int32(p), c}] = moved
	return moved
}

// scores returns the score of every repeat of cell, provider p's on case
// c, by repeat index: NaN where the repeat has no row.
func (r *routeCases) scores(c int32, p int, cell *routeCell) []float64 {
	if len(r.later) > 0 {
		if s, ok := r.later[cellID{int32(p), c}]; ok {
			return s
		}
	}
	return cell.first[:]
}

// has reports whether provider p has at least one row on case c.
func (r *routeCases) has(c int32, p int) bool {
	if p >= len(r.cols) {
		return false
	}
	cell := r.cols[p].at(c)
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
	cell := r.cols[p].at(c)
	return caseCell{cell, r.scores(c, p, cell)}
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
