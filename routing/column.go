package routing

import "math"

// pageLen is the number of elements in a full page of a paged slice
// (40 KiB of cells).
const pageLen = 1024

// paged is a slice indexed by case in pages of pageLen elements. The
// first page grows as append grows a slice, so that a rule of few cases
// stays small; the others are allocated whole when their first element
// is needed. It so never copies more than a page as it grows, nor leaves
// more than a page unused, where one slice of every element would copy
// all of them and leave up to a quarter unused.
type paged[T any] struct {
	// pages holds the elements of cases [i·pageLen, (i+1)·pageLen) in
	// pages[i], as far as the last one set; a page without any is nil.
	pages [][]T
}

// at returns the element of case c, nil when the slice does not reach it.
func (s *paged[T]) at(c int32) *T {
	i, j := uint32(c)/pageLen, uint32(c)%pageLen
	if int(i) >= len(s.pages) || int(j) >= len(s.pages[i]) {
		return nil
	}
	return &s.pages[i][j]
}

// grow returns the element of case c, lengthening the slice to it with
// copies of empty.
func (s *paged[T]) grow(c int32, empty T) *T {
	if e := s.at(c); e != nil {
		return e
	}
	i, j := int(uint32(c)/pageLen), int(uint32(c)%pageLen)
	for len(s.pages) <= i {
		s.pages = append(s.pages, nil)
	}
	page := s.pages[i]
	if page == nil && i > 0 {
		page = make([]T, 0, pageLen)
	}
	for len(page) <= j {
		page = append(page, empty)
	}
	s.pages[i] = page
	return &page[j]
}

// cellColumn is one provider's cells on a rule, by case index.
type cellColumn struct {
	cells paged[routeCell]
	// failed holds a bit a case, by case index, set where the cell's
	// own row failed: word c/64, bit c%64.
	failed paged[uint64]
	// later holds, for a wide cell, 1 + its index in wide; 0 (or nothing,
	// while no cell is wide) for a cell of its own.
	later paged[int32]
	wide  paged[wideCell]
	nWide int32
	// inTokens and outTokens sum the tokens of the successful rows, okRows
	// counts them, over every case.
	inTokens, outTokens, okRows int64
}

// setFailed marks the row of case c's own cell as failed.
func (col *cellColumn) setFailed(c int32) { *col.failed.grow(c/64, 0) |= 1 << (c % 64) }

// isFailed reports whether the row of case c's own cell failed.
func (col *cellColumn) isFailed(c int32) bool {
	w := col.failed.at(c / 64)
	return w != nil && *w&(1<<(c%64)) != 0
}

// countTokens adds a row just recorded to the column's tokens.
func (col *cellColumn) countTokens(o *routeRow) {
	if o.errorClass == "" {
		col.okRows++
		col.inTokens += o.inTokens
		col.outTokens += o.outTokens
	}
}

// wideOf returns the wide cell of case c, nil when its cell is its own.
func (col *cellColumn) wideOf(c int32) *wideCell {
	if k := col.later.at(c); k != nil && *k > 0 {
		return col.wide.at(*k - 1)
	}
	return nil
}

// widen moves the rows of cell, the column's on case c, to a new wide
// cell and returns it.
func (col *cellColumn) widen(c int32, cell *routeCell) *wideCell {
	w := col.wide.grow(col.nWide, wideCell{})
	col.nWide++
	if !math.IsNaN(cell.first[0]) {
		ok := int32(1)
		if col.isFailed(c) {
			ok = 0
		}
		*w = wideCell{[]float64{cell.first[0]}, cell.cost, 1, ok}
	}
	*col.later.grow(c, 0) = col.nWide
	*cell = emptyCell
	return w
}
