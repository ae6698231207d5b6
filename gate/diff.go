package gate

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/parity-eval/parity/results"
	"github.com/parity-eval/parity/stats"
)

// Diff accumulates the rows of two runs of the same suites (old, then
// new) and measures each provider's drift on each suite. The runs' rows
// arrive in completion order, not sorted, and pairing them by (suite,
// case, repeat) needs both runs' rows of a key side by side: so Diff
// keeps a compact copy of each row (its case id, repeat and score) in a
// buffer of bounded size, sorts the buffer and spills it to a temporary
// file whenever it fills, and Result merges the sorted runs in one pass,
// a provider×suite at a time. Memory is bounded by the buffer and the
// largest provider×suite's cases, never by the rows; the disk holds
// about 12 bytes a row plus its case id until Result or Close. Not safe
// for concurrent use.
type Diff struct {
	stats  stats.Settings
	groups []diffGroup          // by id, in the order first seen
	ids    map[diffGroup]uint32 // id by group
	chunk  diffChunk
	spill  diffSpill
	limit  int // bytes of buffered rows that trigger a spill
	fanIn  int // the most runs merged at once
	runIDs [2]string
	dups   [2]int
	err    error // the first spill's failure
}

// diffBufferBytes is how much memory a Diff buffers rows in before it
// spills them: some 400,000 rows.
const diffBufferBytes = 16 << 20

// diffGroup is one provider on one suite.
type diffGroup struct{ provider, suite string }

// NewDiff returns an empty comparison with the given statistics.
func NewDiff(s stats.Settings) *Diff {
	return &Diff{stats: s, ids: map[diffGroup]uint32{}, limit: diffBufferBytes, fanIn: diffFanIn}
}

// AddOld adds a row of the old run. Its error, like AddNew's, is a failure
// to spill rows to the temporary file, and every later call returns it.
func (d *Diff) AddOld(r *results.Row) error { return d.add(0, r) }

// AddNew adds a row of the new run.
func (d *Diff) AddNew(r *results.Row) error { return d.add(1, r) }

// add buffers a row of run side (0 old, 1 new), spilling the buffer when
// it is full.
func (d *Diff) add(side uint8, r *results.Row) error {
	if d.err != nil {
		return d.err
	}
	if d.runIDs[side] == "" {
		d.runIDs[side] = strings.Clone(r.RunID)
	}
	d.chunk.add(r, d.groupID(r.Provider, r.Suite), side)
	if d.chunk.bytes() >= d.limit {
		d.err = d.spillChunk()
	}
	return d.err
}

// groupID returns the id of a provider×suite, assigning the next the
// first time.
func (d *Diff) groupID(provider, suite string) uint32 {
	if id, ok := d.ids[diffGroup{provider, suite}]; ok {
		return id
	}
	g := diffGroup{strings.Clone(provider), strings.Clone(suite)} // not the reader's buffers
	id := uint32(len(d.groups))
	d.groups = append(d.groups, g)
	d.ids[g] = id
	return id
}

// rank returns each group id's position in name order.
func (d *Diff) rank() []int {
	order := make([]int, len(d.groups))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int { return compareDiffGroups(d.groups[a], d.groups[b]) })
	rank := make([]int, len(order))
	for r, id := range order {
		rank[id] = r
	}
	return rank
}

// spillChunk sorts the buffer and writes it to the temporary file as a
// run, emptying it.
func (d *Diff) spillChunk() error {
	d.chunk.sort(d.rank())
	if err := d.spill.begin(); err != nil {
		return err
	}
	for i := range d.chunk.entries {
		r := d.chunk.row(i)
		if err := d.spill.write(&r); err != nil {
			return err
		}
	}
	d.chunk.reset()
	return d.spill.finish()
}

// Close removes the temporary file, if rows were spilled to one. Result
// calls it; call it when a comparison is abandoned before its Result.
func (d *Diff) Close() error { return d.spill.close() }

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
// others in the warnings. It reads the rows back sorted and removes the
// temporary file: call it once, after the last Add. Its error is a
// failure of the temporary file.
func (d *Diff) Result() (*DiffResult, error) {
	res := &DiffResult{OldRun: d.runIDs[0], NewRun: d.runIDs[1], Alpha: d.stats.Alpha, Drifts: []Drift{}, Warnings: []string{}}
	t := &diffTally{d: d, res: res}
	err := d.sorted(t.add)
	if err == nil {
		t.finish()
	}
	if err = errors.Join(err, d.Close()); err != nil {
		return nil, err
	}
	slices.SortStableFunc(res.Drifts, func(a, b Drift) int { return compareDrifts(a, b) })
	for i, n := range d.dups {
		if n > 0 {
			res.Warnings = append(res.Warnings, fmt.Sprintf("%d duplicate rows in the %s run were ignored", n, [2]string{"old", "new"}[i]))
		}
	}
	return res, nil
}

// sorted calls emit with every row added, in compareDiffRows order: the
// runs on disk and the buffer merged, the earliest runs first merged into
// one while there are more than fanIn.
func (d *Diff) sorted(emit func(*diffRow) error) error {
	if d.err != nil {
		return d.err
	}
	rank := d.rank()
	for len(d.spill.runs) >= d.fanIn {
		if err := d.mergeEarliest(rank); err != nil {
			return err
		}
	}
	runs := make([]diffRun, 0, len(d.spill.runs)+1)
	for i := range d.spill.runs {
		runs = append(runs, d.spill.open(i))
	}
	d.chunk.sort(rank)
	runs = append(runs, &chunkRun{c: &d.chunk})
	return mergeDiffRuns(rank, runs, emit)
}

// mergeEarliest merges the earliest fanIn runs into one at the end of the
// file, which takes their place.
func (d *Diff) mergeEarliest(rank []int) error {
	runs := make([]diffRun, d.fanIn)
	for i := range runs {
		runs[i] = d.spill.open(i)
	}
	rest := slices.Clone(d.spill.runs[d.fanIn:])
	if err := d.spill.begin(); err != nil {
		return err
	}
	if err := mergeDiffRuns(rank, runs, d.spill.write); err != nil {
		return err
	}
	if err := d.spill.finish(); err != nil {
		return err
	}
	merged := d.spill.runs[len(d.spill.runs)-1]
	d.spill.runs = append([][2]int64{merged}, rest...)
	return nil
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
