package results

import (
	"sync"

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
type zstdCodec struct{ encoders sync.Pool }

// String names the codec as parquet-go's does.
func (*zstdCodec) String() string { return parquet.Zstd.String() }

// CompressionCodec is zstd's code in the Parquet format.
func (*zstdCodec) CompressionCodec() format.CompressionCodec { return format.Zstd }

// Encode writes src compressed to dst, reallocating it when too small.
func (c *zstdCodec) Encode(dst, src []byte) ([]byte, error) {
	e, _ := c.encoders.Get().(*zstd.Encoder)
	if e == nil {
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
	defer c.encoders.Put(e)
	return e.EncodeAll(src, dst[:0]), nil
}

// Decode writes src decompressed to dst.
func (c *zstdCodec) Decode(dst, src []byte) ([]byte, error) { return parquet.Zstd.Decode(dst, src) }

// pageCodec is the codec of every results file parity writes.
var pageCodec = &zstdCodec{}
