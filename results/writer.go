package results

import (
	"errors"
	"fmt"
	"io"

	"github.com/parquet-go/parquet-go"

	"github.com/parity-eval/parity/judges"
)

// RowsPerRowGroup bounds a Parquet row group. parquet-go buffers a whole
// row group in memory before writing it, so this is what keeps the writer's
// memory flat however many rows a run has.
const RowsPerRowGroup = 10_000

// Writer streams rows to a zstd-compressed Parquet file, flushing a
// row group every RowsPerRowGroup rows. It is not safe for concurrent use.
type Writer struct {
	w      *parquet.GenericWriter[Row]
	batch  [1]Row
	n      int64
	closed bool
}

// NewWriter returns a writer of Rows to w. Nothing is readable until
// Close has written the footer.
func NewWriter(w io.Writer) *Writer {
	return &Writer{w: parquet.NewGenericWriter[Row](w,
		parquet.Compression(&parquet.Zstd),
		parquet.MaxRowsPerRowGroup(RowsPerRowGroup),
		parquet.CreatedBy("parity", "", ""),
	)}
}

// ErrClosed is returned by Add after Close.
var ErrClosed = errors.New("report: writer is closed")

// Add writes the row of one scored result.
func (p *Writer) Add(s *judges.Scored) error {
	row := NewRow(s)
	return p.AddRow(&row)
}

// AddRow writes one row already flattened.
func (p *Writer) AddRow(r *Row) error {
	if p.closed {
		return ErrClosed
	}
	p.batch[0] = *r
	_, err := p.w.Write(p.batch[:])
	p.batch[0] = Row{} // drop references to the row's strings
	if err != nil {
		return fmt.Errorf("report: writing parquet row %d: %w", p.n, err)
	}
	p.n++
	return nil
}

// Rows returns the number of rows added.
func (p *Writer) Rows() int64 { return p.n }

// Close flushes the last row group and writes the footer. It does not
// close the underlying io.Writer.
func (p *Writer) Close() error {
	if p.closed {
		return nil
	}
	p.closed = true
	if err := p.w.Close(); err != nil {
		return fmt.Errorf("report: closing parquet: %w", err)
	}
	return nil
}
