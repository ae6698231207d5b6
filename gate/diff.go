package gate

import (
	"cmp"
	"fmt"
	"maps"
	"math"
	"slices"
	"strings"

	"github.com/parity-eval/parity/results"
	"github.com/parity-eval/parity/stats"
)

// Diff accumulates the rows of two runs of the same suites (old, then
// new) and measures each provider's drift on each suite. Like Gate it
// keeps one small cell per distinct (provider, suite, case, repeat), so
// memory grows with the cases, never with the rows' contents. Not safe
// for concurrent use.
type Diff struct {
	stats  stats.Settings
	cells  map[diffKey]*diffCell
	levels map[diffGroup]*stats.ScoreLevels
	names  map[string]string
	runIDs [2]string
	dups   [2]int
}

// diffKey identifies a row of either run.
type diffKey struct {
	provider, suite, caseID string
	repeat                  int32
}

// diffGroup is one provider on one suite.
type diffGroup struct{ provider, suite string }

// diffCell holds both runs' scores of one key.
type diffCell struct {
	score   [2]float64
	present [2]bool
}

// NewDiff returns an empty comparison with the given statistics.
func NewDiff(s stats.Settings) *Diff {
	return &Diff{stats: s, cells: map[diffKey]*diffCell{}, levels: map[diffGroup]*stats.ScoreLevels{}, names: map[string]string{}}
}

// AddOld adds a row of the old run.
func (d *Diff) AddOld(r *results.Row) { d.add(0, r) }

// AddNew adds a row of the new run.
func (d *Diff) AddNew(r *results.Row) { d.add(1, r) }

// add records a row of run i (0 old, 1 new); a second row for the same
// key in one run is a duplicate and ignored.
func (d *Diff) add(i int, r *results.Row) {
	if d.runIDs[i] == "" {
		d.runIDs[i] = strings.Clone(r.RunID)
	}
	k := diffKey{provider: d.intern(r.Provider), suite: d.intern(r.Suite), caseID: r.CaseID, repeat: r.Repeat}
	c := d.cells[k]
	if c == nil {
		c = &diffCell{}
		k.caseID = strings.Clone(k.caseID) // not the reader's buffer
		d.cells[k] = c
	}
	if c.present[i] {
		d.dups[i]++
		return
	}
	c.score[i], c.present[i] = stats.RoundScore(r.Score), true
	g := diffGroup{k.provider, k.suite}
	if d.levels[g] == nil {
		d.levels[g] = &stats.ScoreLevels{}
	}
	d.levels[g].Add(c.score[i], d.stats.DiscreteValues)
}

// intern returns the one copy of s the comparison keeps: provider and
// suite names repeat on every row.
func (d *Diff) intern(s string) string {
	if v, ok := d.names[s]; ok {
		return v
	}
	v := strings.Clone(s)
	d.names[v] = v
	return v
}

// Drift is one provider's change on one suite between two runs. The
// comparison is paired by (case, repeat) over the cases both runs have
// (Paired), or, when fewer than two cases are shared, Welch's unpaired t
// over each run's cases. Score's Baseline is the old mean, its Candidate
// the new one.
type Drift struct {
	Provider string `json:"provider"`
	Suite    string `json:"suite"`
	Paired   bool   `json:"paired"`
	Cases    int    `json:"cases"`
	OldCases int    `json:"old_cases"`
	NewCases int    `json:"new_cases"`
	Score    Score  `json:"score"`
}

// DiffResult is every drift, the largest significant changes first.
type DiffResult struct {
	OldRun   string   `json:"old_run"`
	NewRun   string   `json:"new_run"`
	Alpha    float64  `json:"alpha"`
	Drifts   []Drift  `json:"drifts"`
	Warnings []string `json:"warnings"`
}

// Result compares every provider×suite the two runs share and lists the
// others in the warnings.
func (d *Diff) Result() *DiffResult {
	res := &DiffResult{OldRun: d.runIDs[0], NewRun: d.runIDs[1], Alpha: d.stats.Alpha, Drifts: []Drift{}, Warnings: []string{}}
	groups := d.byGroup()
	for _, g := range slices.SortedFunc(maps.Keys(groups), compareDiffGroups) {
		dr, ok := d.drift(g, groups[g])
		if !ok {
			res.Warnings = append(res.Warnings, fmt.Sprintf("%s on %s: %s", g.provider, g.suite, onlyIn(groups[g])))
			continue
		}
		res.Drifts = append(res.Drifts, dr)
	}
	slices.SortStableFunc(res.Drifts, func(a, b Drift) int { return compareDrifts(a, b) })
	for i, n := range d.dups {
		if n > 0 {
			res.Warnings = append(res.Warnings, fmt.Sprintf("%d duplicate rows in the %s run were ignored", n, [2]string{"old", "new"}[i]))
		}
	}
	return res
}

// compareDiffGroups orders groups by provider, then suite.
func compareDiffGroups(a, b diffGroup) int {
	return cmp.Or(strings.Compare(a.provider, b.provider), strings.Compare(a.suite, b.suite))
}

// compareDrifts puts significant changes first, larger ones before
// smaller, then the rest by size too.
func compareDrifts(a, b Drift) int {
	if a.Score.Significant != b.Score.Significant {
		if a.Score.Significant {
			return -1
		}
		return 1
	}
	size := func(d Drift) float64 {
		if !d.Score.Diff.Valid() {
			return -1
		}
		return math.Abs(float64(d.Score.Diff))
	}
	return cmp.Compare(size(b), size(a))
}

// diffCase is one case of a group: its cells in repeat order.
type diffCase struct{ cells []*diffCell }

// byGroup gathers the cells by provider×suite, each group's cases in case
// id order (the bootstrap's order, for reproducible intervals).
func (d *Diff) byGroup() map[diffGroup][]diffCase {
	keys := slices.SortedFunc(maps.Keys(d.cells), func(a, b diffKey) int {
		return cmp.Or(strings.Compare(a.provider, b.provider), strings.Compare(a.suite, b.suite),
			strings.Compare(a.caseID, b.caseID), cmp.Compare(a.repeat, b.repeat))
	})
	out := map[diffGroup][]diffCase{}
	var last diffKey
	for i, k := range keys {
		g := diffGroup{k.provider, k.suite}
		if i == 0 || g != (diffGroup{last.provider, last.suite}) || k.caseID != last.caseID {
			out[g] = append(out[g], diffCase{})
		}
		cs := out[g]
		cs[len(cs)-1].cells = append(cs[len(cs)-1].cells, d.cells[k])
		last = k
	}
	return out
}

// onlyIn says which run a group appears in when it is not in both.
func onlyIn(cases []diffCase) string {
	var in [2]bool
	for _, c := range cases {
		for _, cell := range c.cells {
			in[0], in[1] = in[0] || cell.present[0], in[1] || cell.present[1]
		}
	}
	if in[0] {
		return "only in the old run"
	}
	return "only in the new run"
}
