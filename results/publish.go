package results

import (
	"encoding/binary"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/format"
)

// Publish copies the results file src (or the run directory holding one)
// into the history under root, at the HivePath of its run: the run id
// and start that its manifest records (for a file written before
// manifests held the start, the earliest started_at of its rows, which
// is older than the run when answers came from the cache). It returns
// the path it wrote.
//
// The copy is written to a temporary file beside the destination (a
// hidden name that no reader's results.parquet glob matches), synced,
// and renamed into place, so a reader of the history never sees half a
// file; a file already there (the same run published again, after a
// resume) is replaced. Publish refuses, wrapping ErrUnpublishable, a file
// without a manifest, a run id CheckRunID refuses, and a file holding
// rows of another run than its manifest's (the report of several runs):
// a hive reader would relabel those rows with the directory's run id.
func Publish(root, src string) (string, error) {
	src, err := Path(src)
	if err != nil {
		return "", err
	}
	runID, started, err := publishable(src)
	if err != nil {
		return "", err
	}
	dst, err := HivePath(root, started, runID)
	if err != nil {
		return "", fmt.Errorf("results %s: %w", src, err)
	}
	if err := copyAtomic(src, dst); err != nil {
		return "", fmt.Errorf("results: publishing %s to %s: %w", src, root, err)
	}
	return dst, nil
}

// publishable returns the run id and start of the results file src,
// checking that every row is of that run.
func publishable(src string) (string, time.Time, error) {
	m, err := ReadManifest(src)
	if err != nil {
		return "", time.Time{}, err
	}
	if m == nil {
		return "", time.Time{}, fmt.Errorf("results %s %w into a history: it was written before results files held a manifest (the run id and start); rerun it", src, ErrUnpublishable)
	}
	if err := CheckRunID(m.RunID); err != nil {
		return "", time.Time{}, fmt.Errorf("results %s: %w", src, err)
	}
	st, err := footerStats(src)
	if err != nil {
		return "", time.Time{}, err
	}
	if !st.onlyRun(m.RunID) || (m.Started == nil && !st.started) {
		if st, err = scanStats(src, m.RunID); err != nil {
			return "", time.Time{}, err
		}
	}
	switch {
	case m.Started != nil:
		return m.RunID, *m.Started, nil
	case st.started:
		return m.RunID, st.first, nil
	}
	return "", time.Time{}, fmt.Errorf("results %s %w into a history: its manifest has no start and no row was sent, so it has no date", src, ErrUnpublishable)
}

// runStats is what Publish needs of a file's rows: their run ids' least
// and greatest, and their earliest started_at.
type runStats struct {
	rows         int64
	known        bool // minID and maxID cover every row
	minID, maxID string
	started      bool // first is the earliest started_at
	first        time.Time
}

// onlyRun reports whether the stats show every row is of run id.
func (s runStats) onlyRun(id string) bool {
	return s.rows == 0 || (s.known && s.minID == id && s.maxID == id)
}

// footerStats reads runStats from the column statistics in src's
// footer, without reading a row.
func footerStats(src string) (runStats, error) {
	f, err := os.Open(src)
	if err != nil {
		return runStats{}, fmt.Errorf("results: %w", err)
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return runStats{}, fmt.Errorf("results: %w", err)
	}
	pf, err := parquet.OpenFile(f, info.Size(), parquet.SkipPageIndex(true), parquet.SkipBloomFilters(true))
	if err != nil {
		return runStats{}, fmt.Errorf("results %s: not a Parquet file parity can read: %w", src, err)
	}
	st := runStats{known: true}
	for i, rg := range pf.Metadata().RowGroups {
		st.rows += rg.NumRows
		for _, c := range rg.Columns {
			st.addChunk(i == 0, rg.NumRows, c.MetaData.PathInSchema, c.MetaData.Statistics)
		}
	}
	return st, nil
}

// addChunk adds a column chunk's statistics of a row group of n rows.
func (s *runStats) addChunk(first bool, n int64, path []string, stats format.Statistics) {
	lo, hi := stats.MinValue, stats.MaxValue
	switch {
	case slices.Equal(path, []string{HiveRunKey}):
		if lo == nil || hi == nil || stats.NullCount > 0 {
			s.known = false
			return
		}
		if first || string(lo) < s.minID {
			s.minID = string(lo)
		}
		if first || string(hi) > s.maxID {
			s.maxID = string(hi)
		}
	case slices.Equal(path, []string{"started_at"}) && len(lo) == 8 && stats.NullCount < n:
		t := time.UnixMilli(int64(binary.LittleEndian.Uint64(lo))).UTC()
		if !s.started || t.Before(s.first) {
			s.started, s.first = true, t
		}
	}
}

// scanStats reads runStats from src's rows, streaming, when the footer
// does not show them: it stops at the first row of another run than
// runID, which is an error.
func scanStats(src, runID string) (runStats, error) {
	st := runStats{known: true, minID: runID, maxID: runID}
	err := ReadRows(src, func(r *Row) error {
		st.rows++
		if r.RunID != runID {
			return fmt.Errorf("results %s %w into a history: its manifest is of run %s but row %d is of run %q (a report of several runs): publish each run's own results",
				src, ErrUnpublishable, runID, st.rows, r.RunID)
		}
		if r.StartedAt != nil && (!st.started || r.StartedAt.Before(st.first)) {
			st.started, st.first = true, r.StartedAt.UTC()
		}
		return nil
	})
	return st, err
}

// copyAtomic copies src to dst through a temporary file beside dst,
// renamed into place once synced.
func copyAtomic(src, dst string) (err error) {
	dir := filepath.Dir(dst)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	tmp, err := os.CreateTemp(dir, "."+FileName+".*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if _, err := io.Copy(tmp, in); err != nil {
		return err
	}
	if err := tmp.Chmod(0o644); err != nil {
		return err
	}
	if err := tmp.Sync(); err != nil {
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), dst)
}
