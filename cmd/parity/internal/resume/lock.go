package resume

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// LockFile is where a run holds its output directory and names itself
// while it runs. It is removed when the run lets go.
const LockFile = "run.lock"

// Holder names the run that holds an output directory.
type Holder struct {
	// PID is the holding process's id, on Host.
	PID  int    `json:"pid"`
	Host string `json:"host"`
	// RunID is the run's id.
	RunID string `json:"run_id"`
	// Started is when the run took the lock.
	Started time.Time `json:"started"`
}

// String names the holder in a sentence.
func (h *Holder) String() string {
	if h == nil || h.PID == 0 {
		return "another run (which has not yet named itself)"
	}
	return fmt.Sprintf("run %s (pid %d on %s, started %s)", h.RunID, h.PID, h.Host, h.Started.Format(time.RFC3339))
}

// NewHolder names this process as the holder of run runID, started now.
func NewHolder(runID string) Holder {
	host, _ := os.Hostname()
	return Holder{PID: os.Getpid(), Host: host, RunID: runID, Started: time.Now().UTC().Truncate(time.Second)}
}

// LockedError is Lock's error when another run holds the directory.
type LockedError struct {
	Dir    string
	Holder *Holder
}

func (e *LockedError) Error() string {
	return fmt.Sprintf("%s is in use by %s: two runs into one directory would mix their outputs; wait for it to end, or choose another --out", e.Dir, e.Holder)
}

// DirLock is a run's exclusive hold on its output directory.
type DirLock struct {
	f    *os.File
	path string
	// Stale names a run that held the directory and died without letting
	// go (a crash, kill -9), whose lock this one took over; nil when
	// there was none.
	Stale *Holder
}

// Lock takes dir (created if need be), or fails at once
// with a *LockedError naming the run that holds it.
//
// The lock is flock(2) on LockFile: the kernel lets go of it when its
// process ends, however it ends, so a lock left by a dead run is taken
// over without guessing from pids (which a reboot or another host
// reuses), and two runs that find it stale cannot both take it.
func Lock(dir string) (*DirLock, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	path := filepath.Join(dir, LockFile)
	// A holder that ends removes the file: locking the removed file would
	// hold nothing, so try again on the new one.
	for range 10 {
		l, err := tryLock(path, dir)
		if err != nil || l != nil {
			return l, err
		}
	}
	return nil, fmt.Errorf("%s: the lock file keeps changing under this run", path)
}

// tryLock locks the file at path; nil, nil when the file was replaced
// before it was locked.
func tryLock(path, dir string) (*DirLock, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, err
	}
	if err := flock(f); err != nil {
		f.Close()
		if errors.Is(err, errLocked) {
			return nil, &LockedError{Dir: dir, Holder: holderOf(path)}
		}
		return nil, fmt.Errorf("locking %s: %w", path, err)
	}
	if !sameFile(f, path) {
		f.Close()
		return nil, nil
	}
	return &DirLock{f: f, path: path, Stale: readHolder(f)}, nil
}

// Record names h as the holder in the lock file.
func (l *DirLock) Record(h Holder) error {
	b, _ := json.Marshal(h) // a Holder always marshals
	if err := l.f.Truncate(0); err != nil {
		return err
	}
	if _, err := l.f.WriteAt(append(b, '\n'), 0); err != nil {
		return err
	}
	return l.f.Sync()
}

// Unlock lets go of the directory, removing the lock file first so that
// a run waiting on this very file finds it replaced.
func (l *DirLock) Unlock() error {
	return errors.Join(os.Remove(l.path), l.f.Close())
}

// sameFile reports whether f is still the file at path.
func sameFile(f *os.File, path string) bool {
	a, err := f.Stat()
	if err != nil {
		return false
	}
	b, err := os.Stat(path)
	return err == nil && os.SameFile(a, b)
}

// holderOf reads who holds the lock at path, waiting a moment for a run
// that has just taken it to name itself.
func holderOf(path string) *Holder {
	for range 20 {
		if f, err := os.Open(path); err == nil {
			h := readHolder(f)
			f.Close()
			if h != nil {
				return h
			}
		}
		time.Sleep(5 * time.Millisecond)
	}
	return nil
}

// readHolder reads the holder recorded in f; nil when none is.
func readHolder(f *os.File) *Holder {
	b := make([]byte, 4096)
	n, _ := f.ReadAt(b, 0)
	var h Holder
	if n == 0 || json.Unmarshal(b[:n], &h) != nil || h.PID == 0 {
		return nil
	}
	return &h
}
