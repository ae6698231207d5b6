package results

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/parquet-go/parquet-go"
)

// readBatch is how many rows ReadRows decodes at a time.
const readBatch = 1024

// FileName is the name of a run's results in its output directory.
const FileName = "results.parquet"

// ReadRows calls fn with every row of a results file, in order, streaming:
// at most one batch of rows is in memory at a time. path is a
// results.parquet file or a run's output directory holding one. fn's
// error stops the read and is returned.
func ReadRows(path string, fn func(*Row) error) error {
	path, err := Path(path)
	if err != nil {
		return err
	}
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("results: %w", err)
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return fmt.Errorf("results: %w", err)
	}
	pf, err := parquet.OpenFile(f, info.Size())
	if err != nil {
		return fmt.Errorf("results %s: not a Parquet file parity can read: %w", path, err)
	}
	r := parquet.NewGenericReader[Row](pf)
	defer r.Close()
	batch := make([]Row, readBatch)
	for {
		n, err := r.Read(batch)
		for i := range n {
			if ferr := fn(&batch[i]); ferr != nil {
				return ferr
			}
			batch[i] = Row{}
		}
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("results %s: %w", path, err)
		}
	}
}

// Path resolves a results file given itself or its run directory.
func Path(path string) (string, error) {
	info, err := os.Stat(path)
	if err != nil {
		return "", fmt.Errorf("results: %w", err)
	}
	if !info.IsDir() {
		return path, nil
	}
	p := filepath.Join(path, FileName)
	if _, err := os.Stat(p); errors.Is(err, fs.ErrNotExist) {
		return "", &NoResultsError{Dir: path}
	}
	return p, nil
}

// NoResultsError is Path's error for a directory that holds no results
// file: its run has not finished, or no run wrote there.
type NoResultsError struct {
	// Dir is the directory.
	Dir string
}

// Error says which directory lacks the results file.
func (e *NoResultsError) Error() string {
	return fmt.Sprintf("results: %s holds no %s (is the run finished?)", e.Dir, FileName)
}
