package results

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestReadRows writes more rows than one read batch and reads them back in
// order, from the file and from its directory.
func TestReadRows(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	f, err := os.Create(filepath.Join(dir, FileName))
	if err != nil {
		t.Fatal(err)
	}
	w := NewWriter(f)
	const n = readBatch*2 + 7
	for i := range n {
		if err := w.AddRow(&Row{Suite: "s", CaseID: "c", Repeat: int32(i), Score: float64(i) / n}); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	f.Close()
	for _, path := range []string{dir, filepath.Join(dir, FileName)} {
		i := 0
		err := ReadRows(path, func(r *Row) error {
			if int(r.Repeat) != i || r.Suite != "s" {
				t.Fatalf("row %d: %+v", i, r)
			}
			i++
			return nil
		})
		if err != nil || i != n {
			t.Fatalf("%s: read %d rows, err %v", path, i, err)
		}
	}
	if err := ReadRows(t.TempDir(), func(*Row) error { return nil }); err == nil || !strings.Contains(err.Error(), "holds no results.parquet") {
		t.Errorf("an empty directory: %v", err)
	}
	bad := filepath.Join(dir, "bad.parquet")
	os.WriteFile(bad, []byte("not parquet"), 0o644)
	if err := ReadRows(bad, func(*Row) error { return nil }); err == nil || !strings.Contains(err.Error(), "not a Parquet file") {
		t.Errorf("a bad file: %v", err)
	}
}
