package results

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/klauspost/compress/zstd"
	"github.com/parquet-go/parquet-go"
)

// TestZstdCodec holds the page codec to its promise: frames any zstd
// decoder reads within a 1 MiB window (a decoder refusing larger windows
// reads them), back byte for byte, and no larger than parquet-go's
// default codec makes them, by more than 2%, on page-sized text.
func TestZstdCodec(t *testing.T) {
	t.Parallel()
	var page bytes.Buffer
	for i := 0; page.Len() < 256<<10; i++ {
		fmt.Fprintf(&page, `{"order": %d, "label": "shipping", "note": "case %d of the suite"}`, i*7919%100_003, i)
	}
	strict, err := zstd.NewReader(nil, zstd.WithDecoderMaxWindow(zstdWindow))
	if err != nil {
		t.Fatal(err)
	}
	defer strict.Close()
	for _, src := range [][]byte{nil, []byte("x"), page.Bytes(), bytes.Repeat(page.Bytes(), 5)} {
		ours, err := pageCodec.Encode(nil, src)
		if err != nil {
			t.Fatal(err)
		}
		back, err := strict.DecodeAll(ours, nil)
		if err != nil {
			t.Fatalf("%d bytes: a 1 MiB-window decoder: %v", len(src), err)
		}
		if !bytes.Equal(back, src) {
			t.Fatalf("%d bytes came back as %d", len(src), len(back))
		}
		if viaParquet, err := pageCodec.Decode(nil, ours); err != nil || !bytes.Equal(viaParquet, src) {
			t.Fatalf("parquet-go's decoder: %v", err)
		}
		theirs, _ := parquet.Zstd.Encode(nil, src)
		if len(src) > 1000 && float64(len(ours)) > 1.02*float64(len(theirs)) {
			t.Errorf("%d bytes: %d compressed, parquet-go's codec %d", len(src), len(ours), len(theirs))
		}
	}
}
