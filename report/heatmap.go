package report

import (
	"fmt"

	"github.com/parity-eval/parity/internal/format"
)

// heatmapView is the suite×provider table of pass rates and mean scores,
// each cell shaded by its pass rate.
type heatmapView struct {
	Providers []provChip
	Rows      []heatRow
	Total     heatRow
}

// heatRow is one suite's cells, one per provider.
type heatRow struct {
	Suite string
	Cells []heatCell
}

// heatCell is one suite×provider cell; Empty when the provider has no
// rows on the suite.
type heatCell struct {
	Empty           bool
	PassRate, Score string
	Level           int
	Title           string
}

// heatLevels is how many shades the heatmap uses.
const heatLevels = 10

// heatmap lays the suite×provider statistics out, with a row of totals.
func heatmap(sum *Summary, provs []ProviderStats) heatmapView {
	ids := make([]string, len(provs))
	col := map[string]int{}
	for i, p := range provs {
		ids[i], col[p.Provider] = p.Provider, i
	}
	v := heatmapView{Providers: provChips(ids)}
	for _, c := range sum.SuiteProviders() {
		if n := len(v.Rows); n == 0 || v.Rows[n-1].Suite != c.Suite {
			v.Rows = append(v.Rows, heatRow{Suite: c.Suite, Cells: emptyCells(len(ids))})
		}
		v.Rows[len(v.Rows)-1].Cells[col[c.Provider]] = heatCellOf(c.Suite, c.Provider, c.GroupStats)
	}
	v.Total = heatRow{Suite: "all suites", Cells: make([]heatCell, len(provs))}
	for i, p := range provs {
		v.Total.Cells[i] = heatCellOf("all suites", p.Provider, p.GroupStats)
	}
	return v
}

// emptyCells returns n cells without rows.
func emptyCells(n int) []heatCell {
	out := make([]heatCell, n)
	for i := range out {
		out[i].Empty = true
	}
	return out
}

// heatCellOf shades a group's pass rate.
func heatCellOf(suite, provider string, g GroupStats) heatCell {
	return heatCell{
		PassRate: format.Pct(g.PassRate), Score: format.Score(g.MeanScore),
		Level: min(int(g.PassRate*heatLevels), heatLevels-1),
		Title: fmt.Sprintf("%s on %s: %s of %s passed, mean score %s ± %s, %s errors",
			provider, suite, formatCount(g.Pass), formatCount(g.N), format.Score(g.MeanScore),
			format.Score(g.ScoreStdErr), formatCount(g.N-g.OK)),
	}
}
