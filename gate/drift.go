package gate

import (
	"bytes"
	"fmt"

	"github.com/parity-eval/parity/stats"
)

// drift compares one group's two runs from its cases paired by repeat
// (the rows both runs have, summed per case) and each run's cases on
// their own; false when a run has no row of it.
func (d *Diff) drift(g diffGroup, paired []stats.PairedCase, sides [2][]stats.Cluster, discrete bool) (Drift, bool) {
	if len(sides[0]) == 0 || len(sides[1]) == 0 {
		return Drift{}, false
	}
	dr := Drift{Provider: g.provider, Suite: g.suite, OldCases: len(sides[0]), NewCases: len(sides[1])}
	var c stats.Comparison
	if len(paired) >= 2 {
		c = d.stats.Paired(paired, discrete)
		dr.Paired, dr.Cases = true, len(paired)
	} else {
		c = d.stats.Welch(sides[0], sides[1])
		dr.Cases = len(sides[0]) + len(sides[1])
	}
	dr.Score = scoreOf(&c, d.stats.Alpha)
	return dr, true
}

// diffTally folds the sorted rows into drifts: a group at a time, a
// group's rows case by case and a case's rows repeat by repeat, each
// sum taken in repeat order, so the figures do not depend on how the
// rows were buffered. What it holds is one group's cases.
type diffTally struct {
	d       *Diff
	res     *DiffResult
	started bool
	group   uint32
	caseID  []byte
	repeat  int32
	cell    [2]float64 // the current (case, repeat)'s scores
	present [2]bool
	pc      stats.PairedCase // the current case's sums
	cl      [2]stats.Cluster
	paired  []stats.PairedCase // the group's cases
	sides   [2][]stats.Cluster
	levels  stats.ScoreLevels
}

// add takes the next row in compareDiffRows order; a second row of the
// same key and run is a duplicate and ignored.
func (t *diffTally) add(r *diffRow) error {
	switch {
	case !t.started:
		t.started = true
	case r.group != t.group:
		t.endGroup()
	case !bytes.Equal(r.caseID, t.caseID):
		t.endCase()
	case r.repeat != t.repeat:
		t.endCell()
	}
	if !bytes.Equal(r.caseID, t.caseID) {
		t.caseID = append(t.caseID[:0], r.caseID...)
	}
	t.group, t.repeat = r.group, r.repeat
	if t.present[r.side] {
		t.d.dups[r.side]++
		return nil
	}
	t.cell[r.side], t.present[r.side] = r.score, true
	t.levels.Add(r.score, t.d.stats.DiscreteValues)
	return nil
}

// endCell adds the current (case, repeat) to its case's sums.
func (t *diffTally) endCell() {
	for i := range 2 {
		if t.present[i] {
			t.cl[i].Sum += t.cell[i]
			t.cl[i].N++
		}
	}
	if t.present[0] && t.present[1] {
		t.pc.Baseline += t.cell[0]
		t.pc.Candidate += t.cell[1]
		t.pc.N++
	}
	t.present = [2]bool{}
}

// endCase adds the current case to its group's.
func (t *diffTally) endCase() {
	t.endCell()
	for i := range 2 {
		if t.cl[i].N > 0 {
			t.sides[i] = append(t.sides[i], t.cl[i])
		}
	}
	if t.pc.N > 0 {
		t.paired = append(t.paired, t.pc)
	}
	t.pc, t.cl = stats.PairedCase{}, [2]stats.Cluster{}
}

// endGroup measures the current group's drift, or warns that it is in one
// run only, and makes room for the next group.
func (t *diffTally) endGroup() {
	t.endCase()
	g := t.d.groups[t.group]
	if dr, ok := t.d.drift(g, t.paired, t.sides, t.levels.Discrete()); ok {
		t.res.Drifts = append(t.res.Drifts, dr)
	} else {
		t.res.Warnings = append(t.res.Warnings, fmt.Sprintf("%s on %s: %s", g.provider, g.suite, onlyIn(t.sides)))
	}
	t.paired, t.sides, t.levels = t.paired[:0], [2][]stats.Cluster{t.sides[0][:0], t.sides[1][:0]}, stats.ScoreLevels{}
}

// finish ends the last group.
func (t *diffTally) finish() {
	if t.started {
		t.endGroup()
	}
}

// onlyIn says which run a group appears in when it is not in both.
func onlyIn(sides [2][]stats.Cluster) string {
	if len(sides[0]) > 0 {
		return "only in the old run"
	}
	return "only in the new run"
}

// test names a drift's method: "paired t", "paired bootstrap", "welch".
func (dr *Drift) test() string {
	if dr.Paired {
		return "paired " + dr.Score.Method
	}
	return dr.Score.Method
}
