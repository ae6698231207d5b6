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
	// later holds, for a cell with a repeat past the first, 1 + the index
	// of its scores in more; 0 (or nothing, while no cell has one) for a
	// cell whose scores are its first (routeCell.first).
	later paged[int32]
	more  [][]float64
}

// scores returns the score of every repeat of cell, the column's on case
// c, by repeat index: NaN where the repeat has no row.
func (col *cellColumn) scores(c int32, cell *routeCell) []float64 {
	if k := col.later.at(c); k != nil && *k > 0 {
		return col.more[*k-1]
	}
	return cell.first[:]
}

// moreScores lengthens the scores of cell, the column's on case c, to
// repeat rep: a cell's first repeat has room in the cell, the others in
// more.
func (col *cellColumn) moreScores(c int32, cell *routeCell, rep int) []float64 {
	k := col.later.grow(c, 0)
	if *k == 0 {
		col.more = append(col.more, []float64{cell.first[0]})
		*k = int32(len(col.more))
	}
	s := col.more[*k-1]
	for len(s) <= rep {
		s = append(s, math.NaN())
	}
	col.more[*k-1] = s
	return s
}
