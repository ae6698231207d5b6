package results

import (
	"cmp"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// The partition keys of a history's layout,
// ROOT/date=YYYY-MM-DD/run_id=ID/results.parquet. run_id is also a column
// of every row, holding the same value: a hive reader (DuckDB, Spark)
// takes the directory's value over the file's, so Publish refuses a file
// whose rows are of another run.
const (
	HiveDateKey = "date"
	HiveRunKey  = "run_id"
)

// HiveDateLayout is how a date partition spells the run's start day, in
// UTC.
const HiveDateLayout = "2006-01-02"

// maxRunIDBytes bounds a run id: it is a directory name.
const maxRunIDBytes = 128

// ErrUnpublishable is wrapped by the errors of CheckRunID, HivePath and
// Publish that come from the input (a run id, a file without a manifest
// or with rows of another run), as opposed to a failed write.
var ErrUnpublishable = errors.New("cannot be published")

// CheckRunID returns nil when id can name a run's partition: 1 to 128
// letters, digits, '.', '_' and '-', starting with a letter or a digit.
// That keeps out path separators, "..", hidden names, '=' (which ends a
// hive key) and the characters engines escape in partition values.
func CheckRunID(id string) error {
	bad := len(id) == 0 || len(id) > maxRunIDBytes || !alnum(id[0])
	for i := 0; i < len(id) && !bad; i++ {
		bad = !alnum(id[i]) && !strings.ContainsRune("._-", rune(id[i]))
	}
	if bad {
		return fmt.Errorf("run id %q %w into a history: a run id there is 1 to %d letters, digits, '.', '_' and '-', starting with a letter or a digit (set it with --run-id)",
			id, ErrUnpublishable, maxRunIDBytes)
	}
	return nil
}

// alnum reports whether c is an ASCII letter or digit.
func alnum(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
}

// HivePath is where the results of run runID, started at date (its day
// in UTC), go in the history under root:
// root/date=YYYY-MM-DD/run_id=runID/results.parquet. An id CheckRunID
// refuses is an error.
func HivePath(root string, date time.Time, runID string) (string, error) {
	if err := CheckRunID(runID); err != nil {
		return "", err
	}
	return filepath.Join(root, HiveDateKey+"="+date.UTC().Format(HiveDateLayout), HiveRunKey+"="+runID, FileName), nil
}

// HiveFile is a run's results found in a history.
type HiveFile struct {
	// Path is the results file.
	Path string
	// Date is the date partition's day (UTC midnight).
	Date time.Time
	// RunID is the run_id partition's value.
	RunID string
}

// HiveFiles lists the results files of the history under root, sorted by
// date then run id. It reads directory names only; entries that are not
// date=... or run_id=... directories (a README, a _SUCCESS marker, a file
// being published) are left out, and so is a run directory without
// results. A date partition that is not a date is an error.
func HiveFiles(root string) ([]HiveFile, error) {
	days, err := os.ReadDir(root)
	if err != nil {
		return nil, fmt.Errorf("results: history: %w", err)
	}
	var out []HiveFile
	for _, d := range days {
		v, ok := strings.CutPrefix(d.Name(), HiveDateKey+"=")
		if !ok || !d.IsDir() {
			continue
		}
		day, err := time.Parse(HiveDateLayout, v)
		if err != nil {
			return nil, fmt.Errorf("results: history %s: %s is not a %s=YYYY-MM-DD partition", root, d.Name(), HiveDateKey)
		}
		runs, err := hiveRuns(filepath.Join(root, d.Name()), day)
		if err != nil {
			return nil, err
		}
		out = append(out, runs...)
	}
	slices.SortFunc(out, func(a, b HiveFile) int {
		return cmp.Or(a.Date.Compare(b.Date), strings.Compare(a.RunID, b.RunID))
	})
	return out, nil
}

// hiveRuns lists the run partitions of one date partition that hold
// results.
func hiveRuns(dir string, day time.Time) ([]HiveFile, error) {
	runs, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("results: history: %w", err)
	}
	var out []HiveFile
	for _, r := range runs {
		id, ok := strings.CutPrefix(r.Name(), HiveRunKey+"=")
		if !ok || !r.IsDir() {
			continue
		}
		p := filepath.Join(dir, r.Name(), FileName)
		if info, err := os.Stat(p); err != nil || !info.Mode().IsRegular() {
			continue
		}
		out = append(out, HiveFile{Path: p, Date: day, RunID: id})
	}
	return out, nil
}

// IsHive reports whether dir is the root of a history: a directory that
// holds no results file of its own and at least one date=... directory.
func IsHive(dir string) bool {
	if _, err := os.Stat(filepath.Join(dir, FileName)); err == nil {
		return false
	}
	days, err := os.ReadDir(dir)
	if err != nil {
		return false
	}
	return slices.ContainsFunc(days, func(d os.DirEntry) bool {
		return d.IsDir() && strings.HasPrefix(d.Name(), HiveDateKey+"=")
	})
}
