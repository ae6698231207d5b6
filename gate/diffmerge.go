package gate

import "container/heap"

// diffFanIn is the most runs merged at once: past it, the earliest runs
// are first merged into one, so the merge's buffers stay within
// diffFanIn × diffRunBuffer however many rows spilled.
const diffFanIn = 64

// diffRun is a sorted run of rows: on disk, or the last chunk in memory.
type diffRun interface {
	// next moves to the run's next row; false at its end or on an error.
	next() bool
	// row is the current row, valid until next.
	row() *diffRow
	// err is the error that ended the run, if any.
	err() error
}

// diffMerge is a heap of the runs not yet exhausted, by their current
// rows; between equal rows the earlier run first, so duplicates come out
// in the order they were added.
type diffMerge struct {
	rank []int
	runs []diffRun
	live []int // indexes into runs
}

// Len implements heap.Interface.
func (m *diffMerge) Len() int { return len(m.live) }

// Less implements heap.Interface.
func (m *diffMerge) Less(a, b int) bool {
	i, j := m.live[a], m.live[b]
	c := compareDiffRows(m.rank, m.runs[i].row(), m.runs[j].row())
	return c < 0 || c == 0 && i < j
}

// Swap implements heap.Interface.
func (m *diffMerge) Swap(a, b int) { m.live[a], m.live[b] = m.live[b], m.live[a] }

// Push implements heap.Interface.
func (m *diffMerge) Push(x any) { m.live = append(m.live, x.(int)) }

// Pop implements heap.Interface.
func (m *diffMerge) Pop() any {
	x := m.live[len(m.live)-1]
	m.live = m.live[:len(m.live)-1]
	return x
}

// mergeDiffRuns calls emit with every row of runs in compareDiffRows
// order. The row is the run's: emit copies what it keeps.
func mergeDiffRuns(rank []int, runs []diffRun, emit func(*diffRow) error) error {
	m := &diffMerge{rank: rank, runs: runs}
	for i, r := range runs {
		if r.next() {
			m.live = append(m.live, i)
		} else if err := r.err(); err != nil {
			return err
		}
	}
	heap.Init(m)
	for m.Len() > 0 {
		r := runs[m.live[0]]
		if err := emit(r.row()); err != nil {
			return err
		}
		if r.next() {
			heap.Fix(m, 0)
			continue
		}
		if err := r.err(); err != nil {
			return err
		}
		heap.Pop(m)
	}
	return nil
}
