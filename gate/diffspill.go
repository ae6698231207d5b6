package gate

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"slices"
)

// ErrSpill is wrapped by every failure of the diff's temporary file (a
// full or unwritable $TMPDIR): the tool's trouble, not the input's.
var ErrSpill = errors.New("diff: the temporary file in $TMPDIR failed")

// diffRunBuffer is the read buffer of each run being merged.
const diffRunBuffer = 64 << 10

// diffSpill is the temporary file a comparison's sorted runs go to, one
// after another. A row takes about 12 bytes plus its case id.
type diffSpill struct {
	dir  string // "" for the system's temporary directory
	f    *os.File
	w    *bufio.Writer
	end  int64      // bytes written
	runs [][2]int64 // each run's offset and length
	buf  []byte
}

// begin starts a run, creating the file the first time.
func (s *diffSpill) begin() error {
	if s.f == nil {
		f, err := os.CreateTemp(s.dir, "parity-diff-*.tmp")
		if err != nil {
			return fmt.Errorf("%w: spilling rows: %w", ErrSpill, err)
		}
		s.f, s.w = f, bufio.NewWriterSize(f, diffRunBuffer)
	}
	s.runs = append(s.runs, [2]int64{s.end, 0})
	return nil
}

// write appends a row to the current run.
func (s *diffSpill) write(r *diffRow) error {
	b := binary.AppendUvarint(s.buf[:0], uint64(r.group))
	b = binary.AppendVarint(b, int64(r.repeat))
	b = append(b, r.side)
	b = binary.LittleEndian.AppendUint64(b, math.Float64bits(r.score))
	b = binary.AppendUvarint(b, uint64(len(r.caseID)))
	b = append(b, r.caseID...)
	s.buf = b
	n, err := s.w.Write(b)
	s.end += int64(n)
	if err != nil {
		return fmt.Errorf("%w: spilling rows: %w", ErrSpill, err)
	}
	return nil
}

// finish ends the current run, its rows all on disk.
func (s *diffSpill) finish() error {
	run := &s.runs[len(s.runs)-1]
	run[1] = s.end - run[0]
	if err := s.w.Flush(); err != nil {
		return fmt.Errorf("%w: spilling rows: %w", ErrSpill, err)
	}
	return nil
}

// open returns a reader of run i.
func (s *diffSpill) open(i int) *fileRun {
	sec := io.NewSectionReader(s.f, s.runs[i][0], s.runs[i][1])
	return &fileRun{r: bufio.NewReaderSize(sec, diffRunBuffer)}
}

// close removes the file.
func (s *diffSpill) close() error {
	if s.f == nil {
		return nil
	}
	err := errors.Join(s.f.Close(), os.Remove(s.f.Name()))
	s.f, s.w, s.runs = nil, nil, nil
	return err
}

// fileRun reads a run from the spill file.
type fileRun struct {
	r    *bufio.Reader
	cur  diffRow
	fail error
}

// next implements diffRun.
func (r *fileRun) next() bool {
	group, err := binary.ReadUvarint(r.r)
	if errors.Is(err, io.EOF) {
		return false
	}
	repeat, err2 := binary.ReadVarint(r.r)
	side, err3 := r.r.ReadByte()
	var score [8]byte
	_, err4 := io.ReadFull(r.r, score[:])
	n, err5 := binary.ReadUvarint(r.r)
	if err := errors.Join(err, err2, err3, err4, err5); err != nil {
		r.fail = fmt.Errorf("%w: reading rows back: %w", ErrSpill, err)
		return false
	}
	r.cur = diffRow{caseID: slices.Grow(r.cur.caseID[:0], int(n))[:n], score: math.Float64frombits(binary.LittleEndian.Uint64(score[:])),
		group: uint32(group), repeat: int32(repeat), side: side}
	if _, err := io.ReadFull(r.r, r.cur.caseID); err != nil {
		r.fail = fmt.Errorf("%w: reading rows back: %w", ErrSpill, err)
		return false
	}
	return true
}

// row implements diffRun.
func (r *fileRun) row() *diffRow { return &r.cur }

// err implements diffRun.
func (r *fileRun) err() error { return r.fail }
