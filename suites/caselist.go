package suites

import (
	"bytes"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"os"
	"sync"
)

// Cases are a suite's cases, in order: those held in memory (written
// inline in the suite, generated, or built in code), then those of its
// cases_file. A cases_file case is held as where its line starts, its
// line number, its index and a checksum of the line, 16 bytes, and read
// again from the file each time it is asked for, so a loaded suite costs
// what its cases take in flight, not what all of them take: the file is
// the store. A line that no longer matches its checksum is an error
// naming the file and line, never another case (the checksum is 24 bits
// of a CRC-32C: one changed line in 16 million would pass).
//
// The zero Cases has none. Cases is a value: a copy shares the file.
type Cases struct {
	held  []*Case
	file  *casesFile
	lines []lineRef
}

// NewCases holds cs, in order: the cases of a suite built in code.
func NewCases(cs ...*Case) Cases { return Cases{held: cs} }

// lineRef is where a cases_file case is: the offset its line starts at
// and the low 24 bits of the line's CRC-32C as it was loaded, packed in
// at (off<<24 | sum), its line number, and its index in the suite (which
// names a case without an id).
type lineRef struct {
	at          uint64
	line, index uint32
}

// maxCasesFile is the largest cases_file a lineRef can point into.
const maxCasesFile = 1 << 40

// newLineRef packs a lineRef.
func newLineRef(off int64, line, index int, text []byte) lineRef {
	return lineRef{at: uint64(off)<<24 | uint64(crc32.Checksum(text, castagnoli)&0xffffff), line: uint32(line), index: uint32(index)}
}

// off is the offset the line starts at.
func (r lineRef) off() int64 { return int64(r.at >> 24) }

// matches reports whether text is the line as it was loaded.
func (r lineRef) matches(text []byte) bool {
	return crc32.Checksum(text, castagnoli)&0xffffff == uint32(r.at&0xffffff)
}

// casesFile is a cases_file, opened when a case is first read again and
// closed when the suite is collected (as every os.File is).
type casesFile struct {
	path string
	once sync.Once
	f    *os.File
	err  error
}

// castagnoli is the CRC-32C table: the checksum of every line.
var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// Len returns the number of cases.
func (cs Cases) Len() int { return len(cs.held) + len(cs.lines) }

// CountCases returns the number of cases of every suite of ss.
func CountCases(ss []*Suite) int {
	n := 0
	for _, s := range ss {
		n += s.Cases.Len()
	}
	return n
}

// At returns the i-th case, 0 <= i < Len(). A cases_file case is read
// again and decoded afresh (see CaseReader for many in a row); the error
// says the file changed since the suite was loaded, or cannot be read.
func (cs Cases) At(i int) (*Case, error) {
	var r CaseReader
	return r.read(cs, i)
}

// Each calls fn with every case in order, reading the cases_file once
// from start to end; it stops at the first error, fn's or a read's.
func (cs Cases) Each(fn func(*Case) error) error {
	var r CaseReader
	for i := range cs.Len() {
		c, err := r.read(cs, i)
		if err != nil {
			return err
		}
		if err := fn(c); err != nil {
			return err
		}
	}
	return nil
}

// Filter returns the cases keep is true of, in order, sharing the file.
func (cs Cases) Filter(keep func(*Case) bool) (Cases, error) {
	out := Cases{file: cs.file}
	var r CaseReader
	for i := range cs.Len() {
		c, err := r.read(cs, i)
		if err != nil {
			return Cases{}, err
		}
		switch {
		case !keep(c):
		case i < len(cs.held):
			out.held = append(out.held, c)
		default:
			out.lines = append(out.lines, cs.lines[i-len(cs.held)])
		}
	}
	return out, nil
}

// add appends a loaded case: held, or (with line) read from the cases
// file at ref.
func (cs *Cases) add(c *Case, ref *lineRef) {
	if ref == nil {
		cs.held = append(cs.held, c)
		return
	}
	cs.lines = append(cs.lines, *ref)
}

// CaseReader reads the cases of suites one at a time through a buffer
// of its own, so that cases in the order of their file cost one read of
// the file between them, not one per case. It is not safe for
// concurrent use: give each goroutine its own. The zero CaseReader is
// ready to use.
type CaseReader struct {
	file *casesFile
	// buf holds the file's bytes from base on.
	buf  []byte
	base int64
	// end is set when buf reaches the file's end.
	end bool
	// next is where the line after the last one read starts.
	next int64
	// bytesRead counts the bytes read from files.
	bytesRead int64
}

// What a CaseReader reads of a file at a time: readChunk when it reads
// the file in its order, randomChunk (then twice as much, and so on, as
// the line needs) when it jumps, as a shuffled run does, so that a case
// read out of order costs a read of about its own size.
const (
	readChunk   = 64 << 10
	randomChunk = 4 << 10
	// seqGap is how far past the last line read a line may start, over
	// blank and comment lines, for a read to count as in the file's order.
	seqGap = 512
)

// Case returns the i-th case of cs, as Cases.At does.
func (r *CaseReader) Case(cs Cases, i int) (*Case, error) { return r.read(cs, i) }

func (r *CaseReader) read(cs Cases, i int) (*Case, error) {
	if i < len(cs.held) {
		return cs.held[i], nil
	}
	ref := cs.lines[i-len(cs.held)]
	pos := position{file: cs.file.path, line: int32(ref.line)}
	line, err := r.line(cs.file, ref.off())
	if err != nil {
		return nil, fmt.Errorf("%s: read the case again: %w", pos, err)
	}
	line = bytes.TrimSpace(line)
	if !ref.matches(line) {
		return nil, fmt.Errorf("%s: the line changed since the suite was loaded: leave a cases_file alone while parity runs", pos)
	}
	return readCase(line, pos, int(ref.index))
}

// line returns the line of f that starts at off, without its newline,
// valid until the next read.
func (r *CaseReader) line(f *casesFile, off int64) ([]byte, error) {
	if r.file != f {
		r.file, r.buf, r.base, r.end, r.next = f, r.buf[:0], 0, false, 0
	}
	want := randomChunk
	if off >= r.next && off-r.next < seqGap {
		want = readChunk // the file read in its order: the lines after are next
	}
	for ; ; want = min(2*want, maxLineRead) {
		if off >= r.base && off <= r.base+int64(len(r.buf)) {
			rest := r.buf[off-r.base:]
			if i := bytes.IndexByte(rest, '\n'); i >= 0 {
				r.next = off + int64(i) + 1
				return rest[:i], nil
			}
			if r.end || (off == r.base && len(r.buf) >= maxLineRead) {
				return rest, nil // the file's last line, or one too long: readCase says so
			}
		}
		if err := r.fill(off, want); err != nil {
			return nil, err
		}
	}
}

// maxLineRead is the most a CaseReader reads for one line: the longest
// line a cases_file may have, and its "\r\n".
const maxLineRead = MaxCaseLineBytes + 2

// fill reads up to want bytes of the file from off into the buffer,
// noting whether they reach the file's end.
func (r *CaseReader) fill(off int64, want int) error {
	f, err := r.file.open()
	if err != nil {
		return err
	}
	if cap(r.buf) < want {
		r.buf = make([]byte, want)
	}
	r.buf, r.base = r.buf[:want], off
	n, err := f.ReadAt(r.buf, off)
	r.buf, r.end = r.buf[:n], errors.Is(err, io.EOF)
	r.bytesRead += int64(n)
	if r.end && n == 0 {
		return io.ErrUnexpectedEOF
	}
	if r.end {
		return nil
	}
	return err
}

// open returns the file, opened on the first call.
func (f *casesFile) open() (*os.File, error) {
	f.once.Do(func() { f.f, f.err = os.Open(f.path) })
	return f.f, f.err
}
