package gate

import (
	"github.com/parity-eval/parity/stats"
)

// drift compares one group's two runs; false when a run has no row of it.
func (d *Diff) drift(g diffGroup, cases []diffCase) (Drift, bool) {
	paired, sides := diffSamples(cases)
	if len(sides[0]) == 0 || len(sides[1]) == 0 {
		return Drift{}, false
	}
	dr := Drift{Provider: g.provider, Suite: g.suite, OldCases: len(sides[0]), NewCases: len(sides[1])}
	var c stats.Comparison
	if len(paired) >= 2 {
		c = d.stats.Paired(paired, d.levels[g].Discrete())
		dr.Paired, dr.Cases = true, len(paired)
	} else {
		c = d.stats.Welch(sides[0], sides[1])
		dr.Cases = len(sides[0]) + len(sides[1])
	}
	dr.Score = scoreOf(&c, d.stats.Alpha)
	return dr, true
}

// diffSamples returns a group's cases paired by repeat index (the rows
// both runs have, summed per case) and each run's cases on their own.
func diffSamples(cases []diffCase) (paired []stats.PairedCase, sides [2][]stats.Cluster) {
	for _, c := range cases {
		var pc stats.PairedCase
		var cl [2]stats.Cluster
		for _, cell := range c.cells {
			for i := range 2 {
				if cell.present[i] {
					cl[i].Sum += cell.score[i]
					cl[i].N++
				}
			}
			if cell.present[0] && cell.present[1] {
				pc.Baseline += cell.score[0]
				pc.Candidate += cell.score[1]
				pc.N++
			}
		}
		for i := range 2 {
			if cl[i].N > 0 {
				sides[i] = append(sides[i], cl[i])
			}
		}
		if pc.N > 0 {
			paired = append(paired, pc)
		}
	}
	return paired, sides
}

// test names a drift's method: "paired t", "paired bootstrap", "welch".
func (dr *Drift) test() string {
	if dr.Paired {
		return "paired " + dr.Score.Method
	}
	return dr.Score.Method
}
