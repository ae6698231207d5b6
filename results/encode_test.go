package results

import (
	"bytes"
	"encoding/json"
	"math"
	"testing"
	"time"

	"github.com/parity-eval/parity/internal/testkit"
	"github.com/parity-eval/parity/judges"
)

// hostileTexts are strings a provider may send that encoders treat
// apart: HTML, line and paragraph separators, invalid UTF-8, controls,
// escapes, astral runes.
var hostileTexts = []string{
	"", "<script>alert(1)</script> & more", "a\u2028b\u2029c", "bad \xff\xfe utf8", "ctl \x00\x01\x1f\x7f",
	`quote " backslash \ slash /`, "emoji \U0001F600 and é", "\t\r\n", "surrogate \xed\xa0\x80",
}

// TestEncodersAgree holds the journal's and the row cells' encoder
// (segmentio/encoding) to encoding/json, byte for byte: the journal and
// results.parquet read the same whichever wrote them, hostile text
// included, and a value encoding/json refuses (NaN) is refused too.
func TestEncodersAgree(t *testing.T) {
	t.Parallel()
	gen := testkit.GenRows()
	var rows []Row
	for i := range 200 {
		rows = append(rows, NewRow(gen(i)))
	}
	at := time.Date(2026, 12, 1, 0, 0, 0, 123456789, time.FixedZone("x", 3600))
	for _, h := range hostileTexts {
		r := NewRow(gen(0))
		r.Output, r.Error, r.CaseID, r.StartedAt = h, h, h, &at
		r.Metadata = map[string]string{h: h, "z": h, "a": h}
		r.Tags = []string{h, "t"}
		rows = append(rows, r)
	}
	j := mustJournal(t)
	for _, r := range rows {
		want, errWant := json.Marshal(&r)
		j.buf.Reset()
		errGot := j.enc.Encode(&r)
		got := bytes.TrimSuffix(j.buf.Bytes(), []byte("\n"))
		if (errWant == nil) != (errGot == nil) || !bytes.Equal(want, got) {
			t.Fatalf("row %q:\nencoding/json %s (%v)\nsegmentio     %s (%v)", r.CaseID, want, errWant, got, errGot)
		}
	}
	var f Flattener
	for _, h := range hostileTexts {
		cs := []judges.CheckScore{{Name: h, Type: "equals", Score: 0.5, Raw: 1.0 / 3, Detail: h, Error: h}}
		want, _ := json.Marshal(cs)
		if got := f.checksJSON(cs); got != string(want) {
			t.Errorf("checks %q: %s, encoding/json %s", h, got, want)
		}
	}
	nan := []judges.CheckScore{{Name: "x", Score: math.NaN()}}
	if got := f.checksJSON(nan); got != "[]" {
		t.Errorf("a NaN score encoded as %s", got)
	}
}

// mustJournal is a Journal writing nowhere, for its encoder.
func mustJournal(t *testing.T) *Journal {
	t.Helper()
	j, err := OpenJournal(t.TempDir() + "/" + JournalFile)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { j.Close() })
	return j
}
