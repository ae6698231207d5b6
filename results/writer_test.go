package results

import (
	"bytes"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/parity-eval/parity/internal/testkit"

	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/deprecated"
	"github.com/parquet-go/parquet-go/format"

	"github.com/parity-eval/parity/judges"
	"github.com/parity-eval/parity/runner"
)

// writeParquet writes rows and returns the file's bytes.
func writeParquet(t testing.TB, rows ...*judges.Scored) []byte {
	t.Helper()
	var buf bytes.Buffer
	w := NewWriter(&buf)
	for _, r := range rows {
		if err := w.Add(r); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// openParquet opens a file held in memory.
func openParquet(t testing.TB, b []byte) *parquet.File {
	t.Helper()
	f, err := parquet.OpenFile(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func TestRowSchema(t *testing.T) {
	t.Parallel()
	// Building the schema panics on a bad struct tag.
	schema := parquet.SchemaOf(Row{})
	f := openParquet(t, writeParquet(t, testkit.Scored(testkit.Extract, testkit.Case("c1", nil), testkit.Frontier, 1)))
	elems := map[string]format.SchemaElement{}
	for _, e := range f.Metadata().Schema {
		elems[e.Name] = e
	}
	tests := []struct {
		column     string
		repetition format.FieldRepetitionType
		logical    string // the footer's LogicalType, "" for none
	}{
		{"run_id", format.Required, "STRING"},
		{"error_class", format.Required, "STRING"},                                     // a named string type, stored as a plain string
		{"tags", format.Required, "LIST"},                                              // a real LIST of strings
		{"repeat", format.Required, "INT(32,true)"},                                    // int32
		{"started_at", format.Optional, "TIMESTAMP(isAdjustedToUTC=true,unit=MILLIS)"}, // null when never sent
		{"similarity", format.Optional, ""},                                            // nullable double
		{"json_valid", format.Optional, ""},                                            // nullable boolean
		{"judge_score", format.Optional, ""},                                           // nullable double
		{"checks", format.Required, "STRING"},                                          // JSON text
		{"metadata", format.Required, "MAP"},                                           // a real MAP<string,string>
		{"key", format.Required, "STRING"},                                             // the map's key
		{"truncated", format.Required, ""},                                             // a plain boolean
		{"usage_estimated", format.Required, ""},                                       // a plain boolean
	}
	for _, tt := range tests {
		e, ok := elems[tt.column]
		if !ok {
			t.Errorf("column %s missing from\n%s", tt.column, schema)
			continue
		}
		if rep, _ := e.RepetitionType.Get(); rep != tt.repetition {
			t.Errorf("%s: repetition %v, want %v", tt.column, rep, tt.repetition)
		}
		if got := e.LogicalType.String(); got != tt.logical {
			t.Errorf("%s: logical type %q, want %q", tt.column, got, tt.logical)
		}
	}
	// Older readers need the converted types of LIST and MAP too.
	for name, want := range map[string]deprecated.ConvertedType{"tags": deprecated.List, "metadata": deprecated.Map} {
		if ct, ok := elems[name].ConvertedType.Get(); !ok || ct != want {
			t.Errorf("%s: converted type %v (set %v), want %v", name, ct, ok, want)
		}
	}
	if n := len(schema.Fields()); n != 37 {
		t.Errorf("%d top-level columns, want 37", n)
	}
}

func TestParquetRoundTrip(t *testing.T) {
	t.Parallel()
	full := testkit.Scored(testkit.Extract, testkit.Case("inv-001", map[string]string{"customer": "acme", "step": "review"}), testkit.Frontier, 0.875)
	full.Result.Started = time.Date(2025, 6, 1, 12, 0, 0, 123_456_789, time.FixedZone("CEST", 2*3600))
	full.Similarity, full.JSONValid, full.JudgeScore = testkit.Ptr(0.91), testkit.Ptr(true), testkit.Ptr(8.0)
	full.JudgeReason, full.ScoringCostUSD = "names the vendor", 0.00002
	full.Result.UsageEstimated = true
	full.Checks = append(full.Checks, judges.CheckScore{Name: "judge", Type: "judge", Score: 0.78, Raw: 8, Pass: true, Detail: "ok"})

	failedRow := testkit.FailedScored(testkit.Classify, testkit.Case("c-2", nil), testkit.Flaky, runner.ClassServer)
	failedRow.Result.Started = time.Time{} // never sent

	tests := []struct {
		name string
		in   *judges.Scored
		want Row
	}{
		// Every column set; case metadata overrides the suite's.
		{"full", full, Row{
			RunID: "run-test", Suite: "extract-invoice", CaseID: "inv-001", Tags: []string{"extract"},
			Tier: "default", Provider: "sim-frontier", Model: "frontier-1",
			Output: `{"vendor": "Acme"}`, FinishReason: "stop",
			LatencyMS: 800, TTFTMS: 120, InputTokens: 100, OutputTokens: 20,
			CostUSD: testkit.Frontier.Price.Cost(100, 20), UsageEstimated: true, ScoringCostUSD: 0.00002, Attempts: 1,
			StartedAt:  testkit.Ptr(time.Date(2025, 6, 1, 10, 0, 0, 123_000_000, time.UTC)),
			Similarity: testkit.Ptr(0.91), JSONValid: testkit.Ptr(true), JudgeScore: testkit.Ptr(8.0), JudgeReason: "names the vendor",
			Score: 0.875, Pass: true,
			Checks:   `[{"name":"json_schema","type":"json_schema","score":0.875,"raw":0.875,"pass":true},{"name":"judge","type":"judge","score":0.78,"raw":8,"pass":true,"detail":"ok"}]`,
			Metadata: map[string]string{"feature": "invoices", "step": "review", "customer": "acme"},
		}},
		// A failed request: optionals null, no metadata, no checks.
		{"failed", failedRow, Row{
			RunID: "run-test", Suite: "classify-sentiment", CaseID: "c-2", Tags: []string{"classify", "short"},
			Tier: "high", Provider: "sim-flaky", Model: "flaky/v2:latest",
			ErrorClass: "server_error", Error: "HTTP 500: upstream exploded",
			LatencyMS: 800, TTFTMS: 120, Attempts: 3, Checks: "[]", Metadata: map[string]string{},
		}},
	}
	var in []*judges.Scored
	for _, tt := range tests {
		in = append(in, tt.in)
	}
	file := writeParquet(t, in...)
	got, err := parquet.Read[Row](bytes.NewReader(file), int64(len(file)))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(tests) {
		t.Fatalf("read %d rows, want %d", len(got), len(tests))
	}
	for i, tt := range tests {
		if !reflect.DeepEqual(got[i], tt.want) {
			t.Errorf("%s:\ngot  %+v\nwant %+v", tt.name, show(got[i]), show(tt.want))
		}
	}
	if got[1].Similarity != nil || got[1].JSONValid != nil || got[1].JudgeScore != nil || got[1].StartedAt != nil {
		t.Errorf("failed row: optional columns are not null")
	}
}

// show prints a row with its pointers followed.
func show(r Row) string {
	deref := func(p any) string {
		v := reflect.ValueOf(p)
		if v.IsNil() {
			return "<nil>"
		}
		return fmt.Sprint(v.Elem())
	}
	return fmt.Sprintf("%+v similarity=%s json_valid=%s judge=%s started=%s", r,
		deref(r.Similarity), deref(r.JSONValid), deref(r.JudgeScore), deref(r.StartedAt))
}

func TestParquetRowGroupsAndZstd(t *testing.T) {
	t.Parallel()
	const n = 2*RowsPerRowGroup + 1
	gen := testkit.GenRows()
	var buf bytes.Buffer
	w := NewWriter(&buf)
	for i := range n {
		if err := w.Add(gen(i)); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if w.Rows() != n {
		t.Errorf("Rows() = %d, want %d", w.Rows(), n)
	}
	f := openParquet(t, buf.Bytes())
	if f.NumRows() != n {
		t.Errorf("%d rows, want %d", f.NumRows(), n)
	}
	if g := len(f.RowGroups()); g != 3 {
		t.Errorf("%d row groups, want 3", g)
	}
	for _, rg := range f.Metadata().RowGroups {
		for _, c := range rg.Columns {
			if c.MetaData.Codec != format.Zstd {
				t.Fatalf("column %s: codec %v, want ZSTD", strings.Join(c.MetaData.PathInSchema, "."), c.MetaData.Codec)
			}
		}
	}
	// The last row reads back as written.
	rows := make([]Row, 1)
	r := parquet.NewGenericReader[Row](bytes.NewReader(buf.Bytes()))
	if err := r.SeekToRow(n - 1); err != nil {
		t.Fatal(err)
	}
	if k, _ := r.Read(rows); k != 1 || rows[0].CaseID != NewRow(gen(n-1)).CaseID || rows[0].Score != gen(n-1).Score {
		t.Errorf("last row: read %d, %+v", k, rows[0])
	}
}

func TestParquetAddAfterClose(t *testing.T) {
	t.Parallel()
	w := NewWriter(&bytes.Buffer{})
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if err := w.Add(testkit.Scored(testkit.Extract, testkit.Case("c", nil), testkit.Mini, 1)); err == nil {
		t.Error("Add after Close succeeded")
	}
	if err := w.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
}

// TestBatchesKeepRowGroups: handing rows to parquet-go in batches cuts
// the row groups where rows one by one did: every RowsPerRowGroup rows,
// and after the row that brings the text since the last cut to
// RowGroupBytes, even in the middle of a batch.
func TestBatchesKeepRowGroups(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		n      int
		output int // bytes of each row's output
	}{
		// Short rows: RowsPerRowGroup rows a group, the last one short.
		{"rows", 2*RowsPerRowGroup + 1, 10},
		// 90 KB rows: batches of 3 rows, a group of 746 rows whose last
		// row is the second of its batch.
		{"text", 750, 90_000},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var buf bytes.Buffer
			w := NewWriter(&buf)
			s := testkit.Scored(testkit.Extract, testkit.Case("c1", nil), testkit.Frontier, 1)
			s.Result.Output = strings.Repeat("x", tt.output)
			row := NewRow(s)
			var want []int64
			var rows int64
			pending := 0
			for range tt.n {
				if err := w.AddRow(&row); err != nil {
					t.Fatal(err)
				}
				rows++
				pending += textBytes(&row)
				switch {
				case pending >= RowGroupBytes: // the Writer flushes
					want, rows, pending = append(want, rows), 0, 0
				case rows == RowsPerRowGroup: // parquet-go cuts the group
					want, rows = append(want, rows), 0
				}
			}
			if err := w.Close(); err != nil {
				t.Fatal(err)
			}
			if rows > 0 {
				want = append(want, rows)
			}
			var got []int64
			for _, rg := range openParquet(t, buf.Bytes()).RowGroups() {
				got = append(got, rg.NumRows())
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("row groups of %v rows, want %v", got, want)
			}
		})
	}
}
