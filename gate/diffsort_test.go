package gate

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"maps"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/parity-eval/parity/results"
	"github.com/parity-eval/parity/stats"
)

// diffTestRows returns two runs' rows in a shuffled order: three
// providers on three suites, pass/fail and continuous scores, repeats
// missing from one run, duplicates, an empty case id, a provider only in
// the new run, one only in the old, and a suite whose case ids all
// changed.
func diffTestRows(seed uint64) (old, cur []*results.Row) {
	rng := rand.New(rand.NewPCG(seed, 1))
	for run := range 2 {
		var rows []*results.Row
		for _, p := range []string{"b", "a", "c", "d"} {
			for _, s := range []string{"pass", "sim", "renamed"} {
				if p == "c" && run == 0 || p == "d" && run == 1 {
					continue
				}
				for c := range 30 {
					id := fmt.Sprint("case-", c%7, "-", c)
					if c == 0 {
						id = ""
					}
					if s == "renamed" {
						id = fmt.Sprint(run, "-", c)
					}
					for rep := range 3 {
						if rng.IntN(10) == 0 {
							continue // a repeat one run lacks
						}
						score := rng.Float64()
						if s == "pass" {
							score = float64(rng.IntN(2))
						}
						r := gateRow(s, id, p, int32(rep), score)
						r.RunID = fmt.Sprint("run-", run)
						rows = append(rows, r)
						if rng.IntN(20) == 0 {
							dup := *r
							dup.Score = rng.Float64() // ignored: the first row counts
							rows = append(rows, &dup)
						}
					}
				}
			}
		}
		rng.Shuffle(len(rows), func(i, j int) { rows[i], rows[j] = rows[j], rows[i] })
		if run == 0 {
			old = rows
		} else {
			cur = rows
		}
	}
	return old, cur
}

// diffJSON runs a Diff over the rows with the given buffer and fan-in
// and returns its result as JSON.
func diffJSON(t *testing.T, old, cur []*results.Row, limit, fanIn int) string {
	t.Helper()
	d := NewDiff(stats.DefaultSettings())
	d.limit, d.fanIn, d.spill.dir = limit, fanIn, t.TempDir()
	for _, r := range old {
		if err := d.AddOld(r); err != nil {
			t.Fatal(err)
		}
	}
	for _, r := range cur {
		if err := d.AddNew(r); err != nil {
			t.Fatal(err)
		}
	}
	res, err := d.Result()
	if err != nil {
		t.Fatal(err)
	}
	if left, _ := os.ReadDir(d.spill.dir); len(left) > 0 {
		t.Errorf("the temporary files are left: %v", left)
	}
	var b bytes.Buffer
	if err := res.WriteJSON(&b); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// TestDiffSpillMatchesMemory checks that spilling changes nothing: the
// same rows give the same JSON held in memory, spilled every few rows,
// spilled every row and merged two or three runs at a time, and as the
// map of every (provider, suite, case, repeat) that Diff kept before it
// spilled.
func TestDiffSpillMatchesMemory(t *testing.T) {
	t.Parallel()
	for seed := range uint64(4) {
		old, cur := diffTestRows(seed)
		want := diffOracle(t, old, cur)
		for _, tt := range []struct{ limit, fanIn int }{
			{1 << 30, diffFanIn}, // in memory
			{500, diffFanIn},     // a run every dozen rows, one merge
			{500, 2},             // merged two runs at a time
			{1, 3},               // a run per row
		} {
			if got := diffJSON(t, old, cur, tt.limit, tt.fanIn); got != want {
				t.Errorf("seed %d, buffer %d, fan-in %d:\n%s\nwant\n%s", seed, tt.limit, tt.fanIn, got, want)
			}
		}
	}
}

// diffOracle is how Diff worked before it spilled: a map of cells, sorted
// once, the first row of a key and run kept.
func diffOracle(t *testing.T, old, cur []*results.Row) string {
	t.Helper()
	type key struct {
		g      diffGroup
		caseID string
		repeat int32
	}
	type cell struct {
		score   [2]float64
		present [2]bool
	}
	d := NewDiff(stats.DefaultSettings())
	cells, levels := map[key]*cell{}, map[diffGroup]*stats.ScoreLevels{}
	for side, rows := range [][]*results.Row{old, cur} {
		d.runIDs[side] = rows[0].RunID
		for _, r := range rows {
			k := key{diffGroup{r.Provider, r.Suite}, r.CaseID, r.Repeat}
			if cells[k] == nil {
				cells[k] = &cell{}
			}
			if c := cells[k]; c.present[side] {
				d.dups[side]++
			} else {
				c.score[side], c.present[side] = stats.RoundScore(r.Score), true
				if levels[k.g] == nil {
					levels[k.g] = &stats.ScoreLevels{}
				}
				levels[k.g].Add(c.score[side], d.stats.DiscreteValues)
			}
		}
	}
	keys := slices.SortedFunc(maps.Keys(cells), func(a, b key) int {
		return cmp.Or(compareDiffGroups(a.g, b.g), strings.Compare(a.caseID, b.caseID), cmp.Compare(a.repeat, b.repeat))
	})
	res := &DiffResult{OldRun: d.runIDs[0], NewRun: d.runIDs[1], Alpha: d.stats.Alpha, Drifts: []Drift{}, Warnings: []string{}}
	for len(keys) > 0 {
		g := keys[0].g
		n := slices.IndexFunc(keys, func(k key) bool { return k.g != g })
		if n < 0 {
			n = len(keys)
		}
		var paired []stats.PairedCase
		var sides [2][]stats.Cluster
		for i := 0; i < n; {
			j := i
			var pc stats.PairedCase
			var cl [2]stats.Cluster
			for ; j < n && keys[j].caseID == keys[i].caseID; j++ {
				c := cells[keys[j]]
				for side := range 2 {
					if c.present[side] {
						cl[side].Sum += c.score[side]
						cl[side].N++
					}
				}
				if c.present[0] && c.present[1] {
					pc.Baseline += c.score[0]
					pc.Candidate += c.score[1]
					pc.N++
				}
			}
			for side := range 2 {
				if cl[side].N > 0 {
					sides[side] = append(sides[side], cl[side])
				}
			}
			if pc.N > 0 {
				paired = append(paired, pc)
			}
			i = j
		}
		if dr, ok := d.drift(g, paired, sides, levels[g].Discrete()); ok {
			res.Drifts = append(res.Drifts, dr)
		} else {
			res.Warnings = append(res.Warnings, fmt.Sprintf("%s on %s: %s", g.provider, g.suite, onlyIn(sides)))
		}
		keys = keys[n:]
	}
	slices.SortStableFunc(res.Drifts, compareDrifts)
	for i, n := range d.dups {
		if n > 0 {
			res.Warnings = append(res.Warnings, fmt.Sprintf("%d duplicate rows in the %s run were ignored", n, [2]string{"old", "new"}[i]))
		}
	}
	var b bytes.Buffer
	if err := res.WriteJSON(&b); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// TestDiffSpillFailure checks that a temporary directory that cannot be
// written is Add's error, then Result's, and that Close after Adds
// removes the file.
func TestDiffSpillFailure(t *testing.T) {
	t.Parallel()
	d := NewDiff(stats.DefaultSettings())
	d.limit, d.spill.dir = 1, filepath.Join(t.TempDir(), "missing")
	if err := d.AddOld(gateRow("s", "1", "p", 0, 1)); err == nil || !errors.Is(err, ErrSpill) || !strings.Contains(err.Error(), "spilling rows") {
		t.Fatalf("add: %v", err)
	}
	if _, err := d.Result(); err == nil {
		t.Error("Result after a failed spill: no error")
	}
	d = NewDiff(stats.DefaultSettings())
	d.limit, d.spill.dir = 1, t.TempDir()
	for i := range 10 {
		if err := d.AddOld(gateRow("s", fmt.Sprint(i), "p", 0, 1)); err != nil {
			t.Fatal(err)
		}
	}
	if err := d.Close(); err != nil {
		t.Fatal(err)
	}
	if left, _ := os.ReadDir(d.spill.dir); len(left) > 0 {
		t.Errorf("Close left %v", left)
	}
}
