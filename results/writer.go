package results

import (
	"errors"
	"fmt"
	"io"

	"github.com/parquet-go/parquet-go"

	"github.com/parity-eval/parity/internal/version"
	"github.com/parity-eval/parity/judges"
)

// RowsPerRowGroup bounds a Parquet row group. parquet-go buffers a whole
// row group in memory before writing it, so this is what keeps the writer's
// memory flat however many rows a run has.
const RowsPerRowGroup = 10_000

// RowGroupBytes bounds a row group by its rows' text too: once the rows
// buffered since the last row group hold this many bytes of text, the
// writer flushes them, so a run of long answers neither holds gigabytes
// nor overflows a column chunk. With cells capped at MaxCellBytes, a row
// group passes it by at most one row.
const RowGroupBytes = 64 << 20

// Writer streams rows to a zstd-compressed Parquet file, flushing a
// row group every RowsPerRowGroup rows or RowGroupBytes of text. It hands
// rows to parquet-go batchRows at a time (or batchBytes of text), since
// parquet-go sets up its buffers for the metadata map once per call, at a
// few allocations each time. It is not safe for concurrent use. Once a
// write fails, every later Add and Close returns that error: the file is
// not to be kept.
type Writer struct {
	w *parquet.GenericWriter[Row]
	// batch holds the rows added and not yet handed to parquet-go, and
	// batchText the bytes of their texts.
	batch     []Row
	batchText int
	flat      Flattener
	n         int64
	pending   int // bytes of text buffered since the last row group
	err       error
	closed    bool
}

// Bounds of a Writer's batch: a batch of long texts is written sooner, so
// that parquet-go's pages stay near their usual size.
const (
	batchRows  = 64
	batchBytes = parquet.DefaultPageBufferSize
)

// NewWriter returns a writer of Rows to w. Nothing is readable until
// Close has written the footer.
func NewWriter(w io.Writer) *Writer {
	return &Writer{batch: make([]Row, 0, batchRows), w: parquet.NewGenericWriter[Row](w,
		parquet.Compression(pageCodec),
		parquet.MaxRowsPerRowGroup(RowsPerRowGroup),
		// The file says which build wrote it, as parity --version does.
		&parquet.WriterConfig{CreatedBy: version.String()},
	)}
}

// ErrClosed is returned by Add after Close.
var ErrClosed = errors.New("report: writer is closed")

// Add writes the row of one scored result.
func (p *Writer) Add(s *judges.Scored) error {
	row := p.flat.Row(s)
	return p.AddRow(&row)
}

// AddRow writes one row already flattened. The Writer copies the Row but
// keeps what it points to (its texts, tags, metadata and pointers) until
// the row is written, at most batchRows rows later or at Close: the
// caller must not change them.
func (p *Writer) AddRow(r *Row) error {
	if p.closed {
		return ErrClosed
	}
	if p.err != nil {
		return p.err
	}
	p.batch = append(p.batch, *r)
	text := textBytes(r)
	p.batchText += text
	p.pending += text
	p.n++
	full := p.pending >= RowGroupBytes
	if !full && len(p.batch) < batchRows && p.batchText < batchBytes {
		return nil
	}
	err := p.writeBatch()
	if err == nil && full {
		p.pending, err = 0, p.w.Flush()
	}
	if err != nil {
		p.err = fmt.Errorf("report: writing parquet row %d: %w", p.n-1, err)
	}
	return p.err
}

// writeBatch hands the batch to parquet-go and empties it.
func (p *Writer) writeBatch() error {
	if len(p.batch) == 0 {
		return nil
	}
	_, err := p.w.Write(p.batch)
	clear(p.batch) // drop references to the rows' strings
	p.batch, p.batchText = p.batch[:0], 0
	return err
}

// textBytes counts the bytes of a row's longest texts.
func textBytes(r *Row) int {
	return len(r.Output) + len(r.Error) + len(r.FinishReason) + len(r.JudgeReason) + len(r.Checks) + len(r.ToolCalls)
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
	if p.err != nil {
		return p.err
	}
	if err := p.writeBatch(); err != nil {
		p.err = fmt.Errorf("report: writing parquet row %d: %w", p.n-1, err)
		return p.err
	}
	if err := p.w.Close(); err != nil {
		return fmt.Errorf("report: closing parquet: %w", err)
	}
	return nil
}
