package routing

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"testing"

	"github.com/parity-eval/parity/runner"
)

// TestRouteCases checks the cells of a rule's cases against what their
// rows say: repeats in any order, a replayed row, failed ones, a row
// without a score, a provider that only answers cases past the first
// page, the tokens of the successful rows, and the order and keys of the
// cases.
func TestRouteCases(t *testing.T) {
	t.Parallel()
	var r routeCases
	var x caseIndex
	add := func(suite, id string, p, rep int, score float64, class runner.ErrorClass) int32 {
		c := r.caseOf(x.of(suite, id))
		r.add(c, p, &routeRow{repeat: rep, score: score, cost: 0.5, inTokens: 10, outTokens: 2, errorClass: class})
		return c
	}
	for i := range pageLen + 10 {
		add("s", strconv.Itoa(i), 0, 0, 1, "")
	}
	add("s", "0", 0, 0, 0, "")                     // a replayed row: ignored
	add("s", "1", 0, 2, 0.5, "")                   // a third repeat before the second
	add("s", "1", 0, 1, 0, runner.ClassTimeout)    // a failed second
	late := add("a", "x", 2, 0, 0.25, "")          // a new suite, a new provider
	add("s", strconv.Itoa(pageLen+3), 2, 0, 1, "") // past the first page
	add("s", strconv.Itoa(pageLen+3), 2, 1, 0, "") // and its second repeat
	add("s", "5", 1, 0, 0.25, runner.ClassTimeout) // a failed row, the cell's only
	add("s", "6", 1, 0, math.NaN(), "")            // a row without a score
	add("s", "7", 1, 0, 0.5, runner.ClassTimeout)  // a failed first repeat
	add("s", "7", 1, 1, 1, "")                     // and a second that did not fail
	tests := []struct {
		c      int32
		p      int
		scores string // "" when the provider has no row there
		rows   int32
		ok     int32
	}{
		{0, 0, "[1]", 1, 1},
		{1, 0, "[1 0 0.5]", 3, 2},
		{pageLen + 9, 0, "[1]", 1, 1},
		{0, 1, "", 0, 0},
		{5, 1, "[0.25]", 1, 0},
		{6, 1, "[NaN]", 1, 1},
		{7, 1, "[0.5 1]", 2, 1},
		{late, 2, "[0.25]", 1, 1},
		{pageLen + 3, 2, "[1 0]", 2, 2},
		{pageLen + 2, 2, "", 0, 0},
		{0, 2, "", 0, 0},
	}
	for _, tt := range tests {
		if !r.has(tt.c, tt.p) {
			if tt.scores != "" {
				t.Errorf("case %d, provider %d: no rows, want %s", tt.c, tt.p, tt.scores)
			}
			continue
		}
		cell := r.cell(tt.c, tt.p)
		got := fmt.Sprint(cell.scores)
		if got != tt.scores || cell.rows != tt.rows || cell.ok != tt.ok || cell.cost != 0.5*float64(tt.rows) {
			t.Errorf("case %d, provider %d: %s, %+v; want %s, %d rows, %d ok", tt.c, tt.p, got, cell, tt.scores, tt.rows, tt.ok)
		}
	}
	for p, ok := range []int64{pageLen + 11, 2, 3} {
		if col := r.cols[p]; col.okRows != ok || col.inTokens != 10*ok || col.outTokens != 2*ok {
			t.Errorf("provider %d: %d successful rows of %d+%d tokens, want %d", p, col.okRows, col.inTokens, col.outTokens, ok)
		}
	}
	if m := r.cell(1, 0).meanScore(); m != 0.5 {
		t.Errorf("mean score %v, want 0.5", m)
	}
	order := r.sortedCases(&x)
	if caseKey(&x, late) != "a/x" || order[0] != late || len(order) != pageLen+11 {
		t.Errorf("first of %d cases %v (%v), want %d (a/x)", len(order), order[0], caseKey(&x, order[0]), late)
	}
	if !slices.IsSortedFunc(order, func(a, b int32) int { return compareKeys(&x, a, b) }) {
		t.Error("cases not sorted by suite and id")
	}
	if !math.IsNaN(emptyCell.first[0]) {
		t.Error("an empty cell has a first score")
	}
}
