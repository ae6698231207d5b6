package results

import (
	"github.com/klauspost/compress/zstd"
	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/format"
)

// zstdWindow is the window of the pages' zstd frames: a page is about
// parquet.DefaultPageBufferSize (256 KiB), and a cell at most 1 MiB (see
// Cap), so a larger window finds no more matches.
const zstdWindow = 1 << 20

// zstdCodec is parquet-go's zstd codec (the same frames, level and
// settings) with a window of zstdWindow and the encoder's low-memory
// mode. parquet-go's keeps klauspost's default 8 MiB window, for which
// each encoder holds a 16 MiB history: three of them were a quarter of
// a run's live heap. Decoding is parquet-go's.
//
// Its encoders are kept in a free list, not a sync.Pool: a run collects
// garbage every few dozen milliseconds, and a pool emptied by each
// collection had an encoder (tables and history, about 1.3 MB) built
// afresh for most pages.
type zstdCodec struct{ free chan *zstd.Encoder }

// String names the codec as parquet-go's does.
func (*zstdCodec) String() string { return parquet.Zstd.String() }

// CompressionCodec is zstd's code in the Parquet format.
func (*zstdCodec) CompressionCodec() format.CompressionCodec { return format.Zstd }

// Encode writes src compressed to dst, reallocating it when too small.
func (c *zstdCodec) Encode(dst, src []byte) ([]byte, error) {
	var e *zstd.Encoder
	select {
	case e = <-c.free:
	default:
		var err error
		e, err = zstd.NewWriter(nil,
			zstd.WithEncoderConcurrency(1),
			zstd.WithEncoderLevel(zstd.SpeedDefault),
			zstd.WithWindowSize(zstdWindow),
			zstd.WithLowerEncoderMem(true),
			zstd.WithZeroFrames(true),
			zstd.WithEncoderCRC(false),
		)
		if err != nil {
			return dst, err
		}
	}
	dst = e.EncodeAll(src, dst[:0])
	select {
	case c.free <- e:
	default: // as many are kept as were ever needed at once, up to keptEncoders
	}
	return dst, nil
}

// Decode writes src decompressed to dst.
func (c *zstdCodec) Decode(dst, src []byte) ([]byte, error) { return parquet.Zstd.Decode(dst, src) }

// keptEncoders bounds the encoders the free list keeps: a file is written
// by one goroutine, and a process writes a few files at once at most.
const keptEncoders = 4

// pageCodec is the codec of every results file parity writes.
var pageCodec = &zstdCodec{free: make(chan *zstd.Encoder, keptEncoders)}
