package routing

// pageLen is the number of cells in a full page of a column (40 KiB).
const pageLen = 1024

// cellColumn is one provider's cells on a rule, by case index, in pages
// of pageLen cells. The first page grows as append grows a slice, so that
// a rule of few cases stays small; the others are allocated whole when
// their first cell is needed. A column so never copies more than a page
// as it grows, nor leaves more than a page unused, where a slice of
// every cell would copy all of them and leave up to a quarter unused.
type cellColumn struct {
	// pages holds the cells of cases [i·pageLen, (i+1)·pageLen) in
	// pages[i], as far as the last one with a row; a page without any
	// is nil.
	pages [][]routeCell
}

// at returns the cell of case c, nil when the column does not reach it.
func (col *cellColumn) at(c int32) *routeCell {
	i, j := uint32(c)/pageLen, uint32(c)%pageLen
	if int(i) >= len(col.pages) || int(j) >= len(col.pages[i]) {
		return nil
	}
	return &col.pages[i][j]
}

// grow returns the cell of case c, lengthening the column to it with
// empty cells.
func (col *cellColumn) grow(c int32) *routeCell {
	if cell := col.at(c); cell != nil {
		return cell
	}
	i, j := int(uint32(c)/pageLen), int(uint32(c)%pageLen)
	for len(col.pages) <= i {
		col.pages = append(col.pages, nil)
	}
	page := col.pages[i]
	if page == nil && i > 0 {
		page = make([]routeCell, 0, pageLen)
	}
	for len(page) <= j {
		page = append(page, emptyCell)
	}
	col.pages[i] = page
	return &page[j]
}
