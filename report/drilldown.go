package report

import (
	"cmp"
	"fmt"
	"regexp"
	"slices"
	"strings"
)

// maxDrillDownBytes bounds the drill-down's share of the page, estimated
// from its escaped texts: kept cases past it are left out, the least
// important first.
const maxDrillDownBytes = 6 << 20

// A word diff is shown when either text is at most shortText bytes, or
// when at least minSharedShare of the shorter text is kept as is.
const (
	shortText      = 80
	minSharedShare = 0.5
)

// drillDown is the drill-down: the kept cases with every provider's
// answer side by side.
type drillDown struct {
	Providers []provChip
	Cases     []drillView
	// NFailing and NPassing count every row of the run.
	NFailing, NPassing int64
	// FailingCases and FailingRows count the failing cases and rows shown.
	FailingCases       int
	FailingRows        int64
	MaxCases, PerSuite int
	// Omitted counts kept cases left out to bound the page's size.
	Omitted                  int
	FailingQuery, CaseQuery  string
	ParquetName, TextLimitKB string
}

// drillView is one case on one repeat.
type drillView struct {
	Suite, CaseID           string
	Repeat                  int
	Failing, Sampled        bool
	System, User, Reference string
	Cells                   []drillCell
	// FailingOn lists the providers whose row failed, for the filter.
	FailingOn string
	Query     string
}

// drillCell is one provider's answer to a case.
type drillCell struct {
	provChip
	// Status is "pass", "fail", "error" or "missing" (not kept).
	Status string
	Row    *sampleRow
	Diff   []diffSpan
	// DiffAgainst says what the diff compares with; DiffNote why there is
	// none.
	DiffAgainst, DiffNote string
	// Same is true when the answer equals what it is compared with.
	Same bool
}

// cases lays the kept cases out, most important first within the size
// budget, then in suite, case and repeat order.
func (h *HTMLReport) cases(ids []string) drillDown {
	s := h.sample
	v := drillDown{Providers: provChips(ids), NFailing: s.nFailing, NPassing: s.nPassing,
		MaxCases: s.maxCases, PerSuite: s.perSuite, ParquetName: h.ParquetName,
		TextLimitKB:  fmt.Sprint(maxTextBytes / 1024),
		FailingQuery: duckdbQuery(h.ParquetName, "NOT pass"),
		CaseQuery:    duckdbQuery(h.ParquetName, "suite = 'SUITE' AND case_id = 'CASE'"),
	}
	entries := s.kept()
	slices.SortFunc(entries, func(a, b *drillCase) int {
		if drillWorse(a, b) {
			return 1
		}
		if drillWorse(b, a) {
			return -1
		}
		return 0
	})
	budget := maxDrillDownBytes
	for _, e := range entries {
		cv := h.caseViewOf(e, ids)
		if budget -= cv.size(); budget < 0 {
			v.Omitted++
			continue
		}
		if cv.Failing {
			v.FailingCases++
			for _, c := range cv.Cells {
				if c.Row != nil && !c.Row.Pass {
					v.FailingRows++
				}
			}
		}
		v.Cases = append(v.Cases, cv)
	}
	slices.SortFunc(v.Cases, func(a, b drillView) int {
		return cmp.Or(cmp.Compare(a.Suite, b.Suite), cmp.Compare(a.CaseID, b.CaseID), cmp.Compare(a.Repeat, b.Repeat))
	})
	return v
}

// caseViewOf lays one kept case out, a cell per provider.
func (h *HTMLReport) caseViewOf(e *drillCase, ids []string) drillView {
	cv := drillView{Suite: e.key.suite, CaseID: e.key.caseID, Repeat: e.key.repeat,
		Failing: e.failing, Sampled: e.suiteAt >= 0,
		System: e.system, User: e.user, Reference: e.ref}
	if queryableName.MatchString(cv.Suite) && queryableName.MatchString(cv.CaseID) {
		cv.Query = duckdbQuery(h.ParquetName, fmt.Sprintf("suite = '%s' AND case_id = '%s'", cv.Suite, cv.CaseID))
	}
	rows := map[string]*sampleRow{}
	for _, r := range e.rows {
		rows[r.Provider] = r
	}
	var failingOn []string
	for i, id := range ids {
		c := drillCell{provChip: provChip{id, providerColor(i)}, Status: "missing", Row: rows[id]}
		if c.Row == nil && !h.ran[pair{e.key.suite, id}] {
			c.Status = "none" // the provider does not run this suite
		}
		if c.Row != nil {
			c.Status = rowStatus(c.Row)
			if !c.Row.Pass {
				failingOn = append(failingOn, id)
			}
			h.diffCell(&c, e, rows)
		}
		cv.Cells = append(cv.Cells, c)
	}
	cv.FailingOn = strings.Join(failingOn, " ")
	return cv
}

// queryableName matches names that can go in the printed DuckDB command
// without quoting trouble.
var queryableName = regexp.MustCompile(`^[A-Za-z0-9._:-]+$`)

// rowStatus says how a row ended.
func rowStatus(r *sampleRow) string {
	switch {
	case r.ErrorClass != "":
		return "error"
	case r.Pass:
		return "pass"
	}
	return "fail"
}

// diffCell diffs an answer with the case's reference, or else with the
// baseline provider's answer.
func (h *HTMLReport) diffCell(c *drillCell, e *drillCase, rows map[string]*sampleRow) {
	if c.Row.ErrorClass != "" {
		return
	}
	from := e.ref
	c.DiffAgainst = "reference"
	if from == "" {
		base := rows[h.Baseline]
		if h.Baseline == "" || h.Baseline == c.Name || base == nil || base.ErrorClass != "" {
			c.DiffAgainst = ""
			return
		}
		from, c.DiffAgainst = base.Output, "baseline "+h.Baseline
	}
	d, ok := wordDiff(from, c.Row.Output)
	if !ok || !diffHelps(d, from, c.Row.Output) {
		c.DiffNote = "mostly unlike the " + c.DiffAgainst + ", so shown without a diff"
		c.DiffAgainst = ""
		return
	}
	c.Diff = d
	c.Same = len(d) == 0 || len(d) == 1 && d[0].Op == "eq"
}

// size estimates the case's share of the page in bytes.
func (cv *drillView) size() int {
	n := 600 + escapedLen(cv.System) + escapedLen(cv.User) + escapedLen(cv.Reference)
	for _, c := range cv.Cells {
		n += 400
		if r := c.Row; r != nil {
			n += 800 + escapedLen(r.Error) + escapedLen(r.JudgeReason)
			for _, d := range c.Diff {
				n += escapedLen(d.Text) + 12
			}
			if c.Diff == nil {
				n += escapedLen(r.Output)
			}
			for _, ch := range r.Checks {
				n += 300 + escapedLen(ch.Detail) + escapedLen(ch.Error)
			}
		}
	}
	return n
}

// escapedLen is the length of s once HTML-escaped.
func escapedLen(s string) int {
	n := len(s)
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '<', '>', '&', '\'', '"', '+', 0:
			n += 4
		}
	}
	return n
}

// duckdbQuery is the command that lists the rows the drill-down leaves
// out.
func duckdbQuery(file, where string) string {
	return fmt.Sprintf(`duckdb -c "SELECT suite, case_id, provider, repeat, score, error_class, error, output FROM '%s' WHERE %s ORDER BY suite, case_id, provider, repeat"`, file, where)
}
