package gate

import (
	"bytes"
	"cmp"
	"slices"
	"unsafe"

	"github.com/parity-eval/parity/results"
	"github.com/parity-eval/parity/stats"
)

// diffRow is what a comparison keeps of a row while sorting: its group
// (provider×suite, an index into Diff.groups), case, repeat and run (side
// 0 old, 1 new), and its score rounded.
type diffRow struct {
	caseID []byte
	score  float64
	group  uint32
	repeat int32
	side   uint8
}

// compareDiffRows orders rows by group (in rank order: provider, then
// suite, by name), case id, repeat and run: the order the drifts are
// computed in, one group after another, each group's cases in id order.
func compareDiffRows(rank []int, a, b *diffRow) int {
	return cmp.Or(cmp.Compare(rank[a.group], rank[b.group]), bytes.Compare(a.caseID, b.caseID),
		cmp.Compare(a.repeat, b.repeat), cmp.Compare(a.side, b.side))
}

// diffEntry is a buffered row: its case id is arena[off:off+n], and seq
// counts the rows added before it.
type diffEntry struct {
	score       float64
	group       uint32
	repeat      int32
	off, n, seq uint32
	side        uint8
}

// diffEntrySize is what an entry costs in the buffer.
const diffEntrySize = int(unsafe.Sizeof(diffEntry{}))

// diffChunk is the rows buffered since the last spill: fixed-size entries
// and, in one arena, their case ids, so a million rows are two
// allocations rather than a million.
type diffChunk struct {
	entries []diffEntry
	arena   []byte
}

// add buffers row r of group and run side, its case id copied.
func (c *diffChunk) add(r *results.Row, group uint32, side uint8) {
	c.entries = append(c.entries, diffEntry{score: stats.RoundScore(r.Score), group: group, repeat: r.Repeat,
		off: uint32(len(c.arena)), n: uint32(len(r.CaseID)), seq: uint32(len(c.entries)), side: side})
	c.arena = append(c.arena, r.CaseID...)
}

// bytes is the memory the buffered rows take.
func (c *diffChunk) bytes() int { return len(c.entries)*diffEntrySize + len(c.arena) }

// row returns entry i as a row whose case id points into the arena.
func (c *diffChunk) row(i int) diffRow {
	e := &c.entries[i]
	return diffRow{caseID: c.arena[e.off : e.off+e.n], score: e.score, group: e.group, repeat: e.repeat, side: e.side}
}

// sort orders the entries as compareDiffRows does, rows equal in every
// field but the score in the order they were added, so the first of
// duplicates stays first.
func (c *diffChunk) sort(rank []int) {
	slices.SortFunc(c.entries, func(a, b diffEntry) int {
		ra := diffRow{caseID: c.arena[a.off : a.off+a.n], group: a.group, repeat: a.repeat, side: a.side}
		rb := diffRow{caseID: c.arena[b.off : b.off+b.n], group: b.group, repeat: b.repeat, side: b.side}
		return cmp.Or(compareDiffRows(rank, &ra, &rb), cmp.Compare(a.seq, b.seq))
	})
}

// reset empties the chunk, keeping its memory for the next rows.
func (c *diffChunk) reset() { c.entries, c.arena = c.entries[:0], c.arena[:0] }

// chunkRun reads a sorted chunk as a run.
type chunkRun struct {
	c   *diffChunk
	i   int
	cur diffRow
}

// next implements diffRun.
func (r *chunkRun) next() bool {
	if r.i >= len(r.c.entries) {
		return false
	}
	r.cur = r.c.row(r.i)
	r.i++
	return true
}

// row implements diffRun.
func (r *chunkRun) row() *diffRow { return &r.cur }

// err implements diffRun: a chunk cannot fail.
func (r *chunkRun) err() error { return nil }
