package results

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

// TestCheckRunID: ids that are safe directory names and hive values pass;
// the rest fail with ErrUnpublishable and say what is allowed.
func TestCheckRunID(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("a", maxRunIDBytes)
	for _, tt := range []struct {
		id string
		ok bool
	}{
		{"20261101T020000Z", true},     // the default, the start time
		{"nightly-2026.11.01_a", true}, // every allowed punctuation
		{"42", true},                   // digits alone (DuckDB infers BIGINT; the README pins VARCHAR)
		{long, true},                   // the longest
		{long + "a", false},            // too long for a directory name
		{"", false},                    // empty: run_id= would be null
		{"a/b", false},                 // a path separator
		{"..", false},                  // the parent directory
		{".hidden", false},             // hidden, and skipped by Spark's listing
		{"_x", false},                  // Spark skips _-prefixed names
		{"-x", false},                  // read as a flag by tools
		{"a=b", false},                 // ends a hive key
		{"a b", false},                 // a space engines escape
		{"a%2Fb", false},               // an escape DuckDB would decode
		{"a+b", false},                 // the id of several runs' report
		{"é", false},                   // non-ASCII
		{"a\\b", false},                // a Windows separator
	} {
		err := CheckRunID(tt.id)
		if (err == nil) != tt.ok {
			t.Errorf("CheckRunID(%q) = %v, want ok %v", tt.id, err, tt.ok)
		}
		if err != nil && (!errors.Is(err, ErrUnpublishable) || !strings.Contains(err.Error(), "letters, digits, '.', '_' and '-'")) {
			t.Errorf("CheckRunID(%q) = %v: want ErrUnpublishable and what is allowed", tt.id, err)
		}
	}
}

// TestHivePath: the layout, with the day in UTC whatever the time zone.
func TestHivePath(t *testing.T) {
	t.Parallel()
	east := time.FixedZone("UTC+10", 10*3600)
	got, err := HivePath("runs", time.Date(2026, 11, 2, 8, 0, 0, 0, east), "r1")
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join("runs", "date=2026-11-01", "run_id=r1", "results.parquet"); got != want {
		t.Errorf("HivePath = %s, want %s", got, want)
	}
	if _, err := HivePath("runs", time.Now(), "../x"); !errors.Is(err, ErrUnpublishable) {
		t.Errorf("HivePath(../x) = %v, want ErrUnpublishable", err)
	}
}

// TestHiveFiles: every run's results, by date then run id, and nothing
// else: not a run directory without results, a hidden file being
// published, a marker file or another directory.
func TestHiveFiles(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	for _, p := range []string{
		"date=2026-11-02/run_id=b/results.parquet",
		"date=2026-11-02/run_id=a/results.parquet",
		"date=2026-11-01/run_id=z/results.parquet",
		"date=2026-11-01/run_id=y/.results.parquet.123", // being published
		"date=2026-11-01/other/results.parquet",         // not a partition
		"_SUCCESS",
		"notes/results.parquet",
	} {
		touch(t, filepath.Join(root, p))
	}
	got, err := HiveFiles(root)
	if err != nil {
		t.Fatal(err)
	}
	day := func(d int) time.Time { return time.Date(2026, 11, d, 0, 0, 0, 0, time.UTC) }
	want := []HiveFile{
		{filepath.Join(root, "date=2026-11-01/run_id=z/results.parquet"), day(1), "z"},
		{filepath.Join(root, "date=2026-11-02/run_id=a/results.parquet"), day(2), "a"},
		{filepath.Join(root, "date=2026-11-02/run_id=b/results.parquet"), day(2), "b"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("HiveFiles =\n%v\nwant\n%v", got, want)
	}
	if !IsHive(root) || IsHive(filepath.Join(root, "date=2026-11-01/run_id=z")) || IsHive(filepath.Join(root, "notes")) {
		t.Error("IsHive: want true for the root only")
	}
	touch(t, filepath.Join(root, "date=yesterday/run_id=a/results.parquet"))
	if _, err := HiveFiles(root); err == nil || !strings.Contains(err.Error(), "date=yesterday") {
		t.Errorf("HiveFiles with date=yesterday = %v, want an error naming it", err)
	}
}

// touch creates an empty file and its directories.
func touch(t *testing.T, path string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, nil, 0o644); err != nil {
		t.Fatal(err)
	}
}
