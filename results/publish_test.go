package results

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// writeRun writes a results file of rows into dir, with a manifest of
// run id whose start is started (none when nil); no manifest at all when
// id is "".
func writeRun(t *testing.T, dir, id string, started *time.Time, rows ...Row) string {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, FileName)
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	w := NewWriter(f)
	for i := range rows {
		if err := w.AddRow(&rows[i]); err != nil {
			t.Fatal(err)
		}
	}
	if id != "" {
		m := NewManifest(id, nil, nil)
		m.Started = started
		if err := w.SetManifest(m); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

// at is a time on 2026-11-01 in UTC.
func at(hour, minute int) *time.Time {
	t := time.Date(2026, 11, 1, hour, minute, 0, 0, time.UTC)
	return &t
}

// TestPublish: a run's file lands at its partition, rows intact, with no
// temporary file left; publishing it again replaces it.
func TestPublish(t *testing.T) {
	t.Parallel()
	tmp := t.TempDir()
	// The first row's answer came from the cache, stored days before: the
	// manifest's start, not the rows', dates the run.
	old := time.Date(2026, 10, 20, 0, 0, 0, 0, time.UTC)
	src := writeRun(t, filepath.Join(tmp, "out"), "nightly-1", at(23, 59),
		Row{RunID: "nightly-1", CaseID: "c1", StartedAt: &old, Cached: true}, Row{RunID: "nightly-1", CaseID: "c2", StartedAt: at(23, 59)})
	root := filepath.Join(tmp, "runs")
	got, err := Publish(root, filepath.Dir(src))
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join(root, "date=2026-11-01", "run_id=nightly-1", FileName); got != want {
		t.Errorf("Publish = %s, want %s", got, want)
	}
	var cases []string
	if err := ReadRows(got, func(r *Row) error { cases = append(cases, r.CaseID); return nil }); err != nil {
		t.Fatal(err)
	}
	if strings.Join(cases, ",") != "c1,c2" {
		t.Errorf("published rows: %v, want c1,c2", cases)
	}
	if _, err := Publish(root, src); err != nil {
		t.Errorf("publishing again: %v", err)
	}
	entries, _ := os.ReadDir(filepath.Dir(got))
	if len(entries) != 1 {
		t.Errorf("the run's partition holds %d entries, want results.parquet alone", len(entries))
	}
}

// TestPublishDateFromRows: a manifest without a start (written before
// manifests held it) is dated by the earliest started_at, in UTC; a row
// never sent does not count.
func TestPublishDateFromRows(t *testing.T) {
	t.Parallel()
	tmp := t.TempDir()
	late := at(23, 0).Add(2 * time.Hour) // 2026-11-02 01:00
	src := writeRun(t, tmp, "r", nil, Row{RunID: "r", StartedAt: &late}, Row{RunID: "r", StartedAt: at(23, 30)}, Row{RunID: "r"})
	got, err := Publish(filepath.Join(tmp, "runs"), src)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(got, "date=2026-11-01") {
		t.Errorf("Publish = %s, want the day of the earliest start, 2026-11-01", got)
	}
}

// TestPublishRefuses: what a hive reader would misread or a path would
// break is refused as ErrUnpublishable, saying why, and writes nothing.
func TestPublishRefuses(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name string
		id   string
		rows []Row
		want string
	}{
		// Rows of two runs under one manifest: DuckDB would relabel b's.
		{"several runs", "a", []Row{{RunID: "a"}, {RunID: "b"}}, `row 2 is of run "b"`},
		// Rows of another run than the manifest's.
		{"another run", "a", []Row{{RunID: "b"}}, `row 1 is of run "b"`},
		// The id of parity report over several runs.
		{"merged id", "a+b", []Row{{RunID: "a"}}, "letters, digits"},
		// An id that climbs out of the history.
		{"parent", "..", nil, "letters, digits"},
		// Written before manifests.
		{"no manifest", "", []Row{{RunID: "a"}}, "before results files held a manifest"},
		// No start in the manifest and no row sent: no date.
		{"no date", "a", []Row{{RunID: "a"}}, "no date"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tmp := t.TempDir()
			src := writeRun(t, tmp, tt.id, nil, tt.rows...)
			root := filepath.Join(tmp, "runs")
			_, err := Publish(root, src)
			if !errors.Is(err, ErrUnpublishable) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Publish = %v, want ErrUnpublishable saying %q", err, tt.want)
			}
			if _, err := os.Stat(root); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("the history was created: %v", err)
			}
		})
	}
}

// TestPublishMissing: a source that is not there is an error, not
// ErrUnpublishable (nothing about the run is wrong).
func TestPublishMissing(t *testing.T) {
	t.Parallel()
	_, err := Publish(t.TempDir(), filepath.Join(t.TempDir(), "nope"))
	if err == nil || errors.Is(err, ErrUnpublishable) {
		t.Errorf("Publish(missing) = %v", err)
	}
}
