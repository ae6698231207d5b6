package report

import (
	"github.com/parity-eval/parity/internal/format"
)

// attributesView is the cost-by-attribute section: per metadata key a
// table of its values against the providers.
type attributesView struct {
	Providers []provChip
	Keys      []attributeKeyView
	Warnings  []string
}

// attributeKeyView is one metadata key's table.
type attributeKeyView struct {
	Key  string
	Rows []attributeRowView
}

// attributeRowView is one value of a key: a cell per provider, and the
// value's cost over all providers.
type attributeRowView struct {
	Value string
	Total string
	Cells []attributeCell
	total float64
}

// attributeCell is one value × provider; Empty when the provider has no
// row with that value.
type attributeCell struct {
	Empty                          bool
	PerCall, Cost, Calls, PassRate string
	Score                          string
}

// attributesOf lays the summary's breakdown out by key and value, one
// column per provider of ids. Attributes come sorted by key, then value.
func attributesOf(sum *Summary, ids []string) attributesView {
	v := attributesView{Providers: provChips(ids), Warnings: sum.AttributeWarnings()}
	col := make(map[string]int, len(ids))
	for i, id := range ids {
		col[id] = i
	}
	for _, st := range sum.Attributes() {
		if n := len(v.Keys); n == 0 || v.Keys[n-1].Key != st.Key {
			v.Keys = append(v.Keys, attributeKeyView{Key: st.Key})
		}
		key := &v.Keys[len(v.Keys)-1]
		if n := len(key.Rows); n == 0 || key.Rows[n-1].Value != st.Value {
			key.Rows = append(key.Rows, attributeRowView{Value: st.Value, Cells: emptyAttributeCells(len(ids))})
		}
		row := &key.Rows[len(key.Rows)-1]
		i, ok := col[st.Provider]
		if !ok {
			continue
		}
		row.total += st.CostUSD
		row.Total = format.USD(row.total)
		row.Cells[i] = attributeCell{PerCall: format.USD(st.CostPerCall), Cost: format.USD(st.CostUSD),
			Calls: formatCount(st.Calls), PassRate: format.Pct(st.PassRate), Score: format.Score(st.MeanScore)}
	}
	return v
}

// emptyAttributeCells returns n empty cells.
func emptyAttributeCells(n int) []attributeCell {
	out := make([]attributeCell, n)
	for i := range out {
		out[i].Empty = true
	}
	return out
}
