package routing

import "math"

// routeCases holds a rule's rows by case and provider. The rule's cases
// have dense indices of their own, in the order they arrive, and each
// provider's cells are a column indexed by them: a case costs a cell (16
// bytes, no pointers for the collector to scan) per provider, not an
// object of its own. A rule's case is the evidence's case of the same
// index (caseIndex) for as long as the rule has had every case of the
// evidence, in order (one rule, or every suite of the same tags); past
// that the rule maps its cases to the evidence's and back.
type routeCases struct {
	n int32
	// sparse is set once the rule has missed one of the evidence's cases;
	// then global holds the evidence's index of the rule's case c, and
	// slots is an open-addressing table of 1 + the rule's index by the
	// evidence's (0 in a free slot), a power of two long.
	sparse bool
	global paged[int32]
	slots  []int32
	// cols holds provider p's cells in cols[p].
	cols []cellColumn
}

// caseOf returns the rule's index of the evidence's case g, adding it
// to the rule when new.
func (r *routeCases) caseOf(g int32) int32 {
	if !r.sparse {
		switch {
		case g < r.n:
			return g
		case g == r.n:
			r.n++
			return g
		}
		r.becomeSparse()
	}
	mask := uint64(len(r.slots) - 1)
	for i := slotHash(g) & mask; ; i = (i + 1) & mask {
		c := r.slots[i] - 1
		if c < 0 {
			break
		}
		if *r.global.at(c) == g {
			return c
		}
	}
	c := r.n
	r.n++
	*r.global.grow(c, 0) = g
	if int(r.n) > len(r.slots)/4*3 {
		r.rehash(2 * len(r.slots))
	} else {
		r.place(c)
	}
	return c
}

// becomeSparse maps the rule's cases, so far the evidence's first r.n,
// to the evidence's indices and back.
func (r *routeCases) becomeSparse() {
	r.sparse = true
	for c := range r.n {
		*r.global.grow(c, 0) = c
	}
	r.rehash(16)
}

// slotHash spreads an evidence's case index over a table's slots
// (Fibonacci hashing).
func slotHash(g int32) uint64 { return uint64(uint32(g)) * 0x9e3779b97f4a7c15 >> 32 }

// rehash rebuilds the table of the rule's cases with size slots (at
// least one per case).
func (r *routeCases) rehash(size int) {
	for size/4*3 < int(r.n) {
		size *= 2
	}
	r.slots = make([]int32, size)
	for c := range r.n {
		r.place(c)
	}
}

// place puts the rule's case c in the table's first free slot from its
// hash.
func (r *routeCases) place(c int32) {
	mask := uint64(len(r.slots) - 1)
	i := slotHash(*r.global.at(c)) & mask
	for r.slots[i] != 0 {
		i = (i + 1) & mask
	}
	r.slots[i] = c + 1
}

// globalOf returns the evidence's index of the rule's case c.
func (r *routeCases) globalOf(c int32) int32 {
	if !r.sparse {
		return c
	}
	return *r.global.at(c)
}

// routeCell is one provider's rows on one case in 16 bytes, when they
// are one row, the first repeat's, of a score that is a number: a run of
// one repeat. Whether the row failed is a bit of its column's (failed).
// Any other rows make the cell wide (wideCell): its column holds them, and
// the cell's fields go unused. The rows' tokens are only read over all a
// rule's cases: the column sums them (cellColumn).
type routeCell struct {
	// first is the row's score, NaN without a row (or when wide); an array
	// so that it is the cell's scores (caseCell).
	first [1]float64
	cost  float64
}

// emptyCell is a cell without rows.
var emptyCell = routeCell{first: [1]float64{math.NaN()}}

// wideCell is one provider's rows on one case as they come: any repeats,
// any scores.
type wideCell struct {
	// scores holds the score of each repeat by its index; NaN where the
	// repeat has no row.
	scores []float64
	cost   float64
	// rows counts the rows, ok the successful ones; the others failed.
	rows, ok int32
}

// add records one row of provider p on case c; a second row of the same
// repeat (a replayed journal) is ignored.
func (r *routeCases) add(c int32, p int, o *routeRow) {
	for len(r.cols) <= p {
		r.cols = append(r.cols, cellColumn{})
	}
	col := &r.cols[p]
	cell := col.cells.grow(c, emptyCell)
	w := col.wideOf(c)
	switch {
	case w != nil:
	case math.IsNaN(cell.first[0]) && o.repeat <= 0 && !math.IsNaN(o.score):
		cell.first[0], cell.cost = o.score, o.cost
		if o.errorClass != "" {
			col.setFailed(c)
		}
		col.countTokens(o)
		return
	case !math.IsNaN(cell.first[0]) && o.repeat <= 0:
		return // a replayed row
	default:
		w = col.widen(c, cell)
	}
	if w.add(o) {
		col.countTokens(o)
	}
}

// add records one row in the cell, unless its repeat already has one;
// it reports whether it did.
func (w *wideCell) add(o *routeRow) bool {
	rep := max(o.repeat, 0)
	for len(w.scores) <= rep {
		w.scores = append(w.scores, math.NaN())
	}
	if !math.IsNaN(w.scores[rep]) {
		return false
	}
	w.rows++
	w.scores[rep] = o.score
	w.cost += o.cost
	if o.errorClass == "" {
		w.ok++
	}
	return true
}

// has reports whether provider p has at least one row on case c.
func (r *routeCases) has(c int32, p int) bool {
	if p >= len(r.cols) {
		return false
	}
	col := &r.cols[p]
	cell := col.cells.at(c)
	if cell == nil {
		return false
	}
	if w := col.wideOf(c); w != nil {
		return w.rows > 0
	}
	return !math.IsNaN(cell.first[0])
}

// caseCell is one provider's rows on one case as the rules read them.
type caseCell struct {
	// scores holds the score of each repeat by its index; NaN where the
	// repeat has no row.
	scores []float64
	cost   float64
	// rows counts the rows, ok the successful ones.
	rows, ok int32
}

// cell returns provider p's rows on case c, which has(c, p).
func (r *routeCases) cell(c int32, p int) caseCell {
	col := &r.cols[p]
	if w := col.wideOf(c); w != nil {
		return caseCell{w.scores, w.cost, w.rows, w.ok}
	}
	cell := col.cells.at(c)
	if col.isFailed(c) {
		return caseCell{cell.first[:], cell.cost, 1, 0}
	}
	return caseCell{cell.first[:], cell.cost, 1, 1}
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
func (c caseCell) meanCost() float64 { return c.cost / float64(c.rows) }

// failed counts the cell's rows whose request failed.
func (c caseCell) failed() int32 { return c.rows - c.ok }

// sortedCases returns the rule's case indices ordered by suite then id
// (x holds the keys of the evidence's cases), so that every computation
// over them is deterministic.
func (r *routeCases) sortedCases(x *caseIndex) []int32 {
	order := make([]int32, r.n)
	for i := range order {
		order[i] = int32(i)
	}
	x.sortCases(order, r.globalOf)
	return order
}
