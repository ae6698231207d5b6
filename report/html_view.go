package report

import (
	"fmt"
	"strconv"
	"time"
)

// htmlView is what the template renders.
type htmlView struct {
	RunID, GeneratedAt, Status string
	Planned, Done              int64
	Suites                     []string
	Providers                  []ProviderStats
	Totals                     GroupStats
	Matrix                     matrixView
	Rules                      *Rules
	Errors                     errorsView
	Failing, Passing           []sampleRow
	NFailing, NPassing         int64
	FailingQuery, PassingQuery string
}

// matrixView is the suite×provider table.
type matrixView struct {
	Providers []string
	Rows      []matrixRow
}

// matrixRow is one suite's cells, one per provider; nil where the
// provider has no rows on the suite.
type matrixRow struct {
	Suite string
	Cells []*GroupStats
}

// errorsView is the error class×provider table.
type errorsView struct {
	Providers []string
	Rows      []errorsRow
}

// errorsRow counts one error class per provider.
type errorsRow struct {
	Class  string
	Counts []int64
}

// view assembles the template's data.
func (h *HTMLReport) view(sum *Summary, rules *Rules, at time.Time) htmlView {
	provs := sum.Providers()
	ids := make([]string, len(provs))
	for i, p := range provs {
		ids[i] = p.Provider
	}
	v := htmlView{
		RunID: sum.RunID(), GeneratedAt: at.UTC().Format(time.RFC3339),
		Status:  status(sum),
		Planned: sum.Planned(), Done: sum.Done(),
		Providers: provs,
		Totals:    sum.Totals(),
		Matrix:    matrix(sum, ids),
		Rules:     rules,
		Errors:    errorTable(provs, ids),
		Failing:   sorted(h.sample.failing), Passing: sorted(h.sample.passing),
		NFailing: h.sample.nFailing, NPassing: h.sample.nPassing,
		FailingQuery: duckdbQuery(h.ParquetName, "NOT pass"),
		PassingQuery: duckdbQuery(h.ParquetName, "pass"),
	}
	for _, s := range sum.Suites() {
		v.Suites = append(v.Suites, s.Suite)
	}
	return v
}

// status says whether the run finished.
func status(sum *Summary) string {
	switch {
	case sum.Interrupted():
		return "interrupted"
	case sum.Complete():
		return "complete"
	}
	return "incomplete"
}

// matrix lays the suite×provider statistics out as a table.
func matrix(sum *Summary, ids []string) matrixView {
	col := map[string]int{}
	for i, id := range ids {
		col[id] = i
	}
	m := matrixView{Providers: ids}
	for _, c := range sum.SuiteProviders() {
		if n := len(m.Rows); n == 0 || m.Rows[n-1].Suite != c.Suite {
			m.Rows = append(m.Rows, matrixRow{Suite: c.Suite, Cells: make([]*GroupStats, len(ids))})
		}
		m.Rows[len(m.Rows)-1].Cells[col[c.Provider]] = &c.GroupStats
	}
	return m
}

// errorTable counts errors by class (sorted) and provider.
func errorTable(provs []ProviderStats, ids []string) errorsView {
	classes := map[string][]int64{}
	for i, p := range provs {
		for class, n := range p.Errors {
			if classes[class] == nil {
				classes[class] = make([]int64, len(provs))
			}
			classes[class][i] = n
		}
	}
	t := errorsView{Providers: ids}
	for _, class := range sortedKeys(classes) {
		t.Rows = append(t.Rows, errorsRow{class, classes[class]})
	}
	return t
}

// duckdbQuery is the command that lists the rows the sample leaves out.
func duckdbQuery(file, where string) string {
	return fmt.Sprintf(`duckdb -c "SELECT suite, case_id, provider, repeat, score, error_class, error, output FROM '%s' WHERE %s ORDER BY suite, case_id, provider, repeat"`, file, where)
}

// formatRaw prints a check's own measure compactly (0.913, 8, 1).
func formatRaw(x float64) string { return strconv.FormatFloat(roundSig(x, 3), 'g', -1, 64) }
