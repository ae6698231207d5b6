package report

import (
	"encoding/json"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/parity-eval/parity/internal/testkit"
	"github.com/parity-eval/parity/results"
	"github.com/parity-eval/parity/routing"

	"github.com/goccy/go-yaml"
	"github.com/parquet-go/parquet-go"
)

func TestWriter(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "runs", "run-test")
	w, err := NewWriter(dir, testkit.Config(), "run-test", WithClock(func() time.Time { return testkit.T0 }))
	if err != nil {
		t.Fatal(err)
	}
	w.SetPlanned(400)
	gen := testkit.GenRows()
	var wg sync.WaitGroup
	for g := range 4 { // Add is safe for concurrent use
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := g * 100; i < (g+1)*100; i++ {
				if err := w.Add(gen(i)); err != nil {
					t.Error(err)
				}
			}
		}()
	}
	wg.Wait()
	if _, err := os.Stat(w.Paths()[0]); !os.IsNotExist(err) {
		t.Errorf("results.parquet exists before Close: %v", err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if err := w.Add(gen(0)); err == nil {
		t.Error("Add after Close succeeded")
	}
	if err := w.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
	checkOutputs(t, w.Paths(), dir)
}

// checkOutputs reads back the four files of a 400-row run.
func checkOutputs(t *testing.T, paths []string, dir string) {
	t.Helper()
	wantNames := []string{results.FileName, SummaryFile, ReportFile, RulesFile}
	for i, p := range paths {
		if filepath.Base(p) != wantNames[i] || filepath.Dir(p) != dir {
			t.Errorf("path %d = %s", i, p)
		}
		if fi, err := os.Stat(p); err != nil || fi.Size() == 0 || fi.Mode().Perm() != 0o644 && i > 0 {
			t.Errorf("%s: %v %v", p, err, fi)
		}
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 4 {
		t.Errorf("%d files in the directory, want 4 (no temporary file left)", len(entries))
	}

	rows, err := parquet.ReadFile[results.Row](paths[0])
	if err != nil || len(rows) != 400 {
		t.Fatalf("results.parquet: %d rows, %v", len(rows), err)
	}
	var sum struct {
		Done     int64 `json:"done"`
		Complete bool  `json:"complete"`
	}
	readJSON(t, paths[1], &sum)
	if sum.Done != 400 || !sum.Complete {
		t.Errorf("summary: %+v", sum)
	}
	var rules routing.Rules
	b, _ := os.ReadFile(paths[3])
	if err := yaml.Unmarshal(b, &rules); err != nil || len(rules.Tags) != 3 || rules.GeneratedAt != "2025-06-01T12:00:00Z" {
		t.Errorf("rules: %v %+v", err, rules)
	}
	html, _ := os.ReadFile(paths[2])
	if !strings.Contains(string(html), "run-test") || !strings.Contains(string(html), "status-complete") {
		t.Error("report.html lacks the run id or the status")
	}
}

// readJSON decodes a JSON file.
func readJSON(t *testing.T, path string, v any) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatal(err)
	}
}

func TestWriterBadDir(t *testing.T) {
	t.Parallel()
	file := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := NewWriter(filepath.Join(file, "sub"), nil, "r"); err == nil {
		t.Error("NewWriter under a file succeeded")
	}
}

// heapAfter adds n generated rows to a new writer and returns the live heap
// once they are in, before Close.
func heapAfter(t testing.TB, n int) (heap uint64) {
	w, err := NewWriter(t.TempDir(), testkit.Config(), "run-mem")
	if err != nil {
		t.Fatal(err)
	}
	gen := testkit.GenRows()
	for i := range n {
		if err := w.Add(gen(i)); err != nil {
			t.Fatal(err)
		}
	}
	// Two collections empty the sync.Pools (their victim caches too), so
	// what remains is what the writer holds.
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	runtime.KeepAlive(w)
	return m.HeapAlloc
}

// TestWriterMemoryFlat checks that the live heap after 200k rows of about
// 1 KB is close to the heap after 20k rows. It takes a few seconds: skipped
// with -short.
func TestWriterMemoryFlat(t *testing.T) {
	if testing.Short() {
		t.Skip("writes 220k rows")
	}
	small, big := heapAfter(t, 20_000), heapAfter(t, 200_000)
	t.Logf("live heap: %.1f MB after 20k rows, %.1f MB after 200k rows", float64(small)/1e6, float64(big)/1e6)
	// 180k more rows hold about 180 MB of text: keeping even 5% of it would
	// show. What does grow is the footer's per-page index, about 60 KB per
	// row group.
	if big > small+8<<20 {
		t.Errorf("heap grew from %d to %d bytes", small, big)
	}
}
