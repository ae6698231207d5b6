package cache

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"time"
)

// version is the entry format's version. Bump it when the format or
// the meaning of a key changes: entries of another version are misses, and
// are replaced by the next Put for their key.
const version = 1

// Cache stores successful answers on disk under a key of everything that
// determines them (see Key), so a rerun spends nothing twice.
//
// The layout is DIR/ab/abcdef...json: one JSON file per key, sharded by the
// key's first two hex digits. Any number of processes may share DIR: an
// entry is written to a temporary file in its shard, then renamed into
// place, so readers only ever see whole entries (it is not fsynced: see
// writeFileAtomic). An entry holds the reply and its timing, never the API
// key or the request's headers.
//
// A Cache holds no mutable state; its methods are safe for concurrent use.
type Cache struct {
	dir string
	ttl time.Duration
	// now is the clock Get and Put use (time.Now; tests set their own).
	now func() time.Time
}

// Open returns the cache in dir, creating dir if needed. Entries older
// than ttl are misses; a ttl of 0 keeps them for ever.
func Open(dir string, ttl time.Duration) (*Cache, error) {
	if dir == "" {
		return nil, errors.New("cache: no directory given")
	}
	if ttl < 0 {
		return nil, fmt.Errorf("cache: negative ttl %v", ttl)
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("cache: %w", err)
	}
	return &Cache{dir: dir, ttl: ttl, now: time.Now}, nil
}

// Get returns the entry stored under key. It misses when there is none,
// when it has expired, when it was written by another version of the
// format, or when it is corrupt; a corrupt entry is removed.
func (c *Cache) Get(key string) (Entry, bool) {
	v, st := c.lookup(key)
	return v, st == lookupHit
}

// Put stores v under key, replacing any entry there. A zero v.Stored is
// set to now. It returns an error, and leaves the cache as it was, when
// the entry cannot be written (for example, the directory is not
// writable); the cache stays usable for reads.
func (c *Cache) Put(key string, v Entry) error {
	if !validKey(key) {
		return fmt.Errorf("cache: invalid key %q", key)
	}
	if v.Stored.IsZero() {
		v.Stored = c.now()
	}
	data, err := json.Marshal(newRecord(key, v))
	if err != nil {
		return fmt.Errorf("cache: encode entry: %w", err)
	}
	shard := filepath.Join(c.dir, key[:2])
	if err := os.MkdirAll(shard, 0o700); err != nil {
		return fmt.Errorf("cache: %w", err)
	}
	if err := writeFileAtomic(shard, key+".json", data); err != nil {
		return fmt.Errorf("cache: %w", err)
	}
	return nil
}

// lookupStatus says why a lookup hit or missed.
type lookupStatus int

const (
	lookupHit        lookupStatus = iota
	lookupAbsent                  // no entry, or an invalid key
	lookupUnreadable              // the entry exists but cannot be read
	lookupExpired                 // older than the ttl
	lookupVersion                 // written by another format version
	lookupCorrupt                 // not a whole, valid entry: removed
)

// lookup is Get with the reason for a miss, which the tests check.
func (c *Cache) lookup(key string) (Entry, lookupStatus) {
	if !validKey(key) {
		return Entry{}, lookupAbsent
	}
	path := c.path(key)
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return Entry{}, lookupAbsent
	}
	if err != nil {
		return Entry{}, lookupUnreadable
	}
	defer f.Close()
	data, err := io.ReadAll(f)
	if err != nil {
		return Entry{}, lookupUnreadable
	}
	v, st := decodeRecord(key, data)
	switch {
	case st == lookupCorrupt:
		removeIfSame(path, f)
	case st == lookupHit && c.ttl > 0 && c.now().Sub(v.Stored) > c.ttl:
		return Entry{}, lookupExpired
	}
	return v, st
}

// path is where key's entry lives.
func (c *Cache) path(key string) string {
	return filepath.Join(c.dir, key[:2], key+".json")
}

// validKey accepts what Key returns: lowercase hex, at least long
// enough to shard. Anything else could name a path outside the cache.
func validKey(key string) bool {
	if len(key) < 3 {
		return false
	}
	for i := 0; i < len(key); i++ {
		if b := key[i]; (b < '0' || b > '9') && (b < 'a' || b > 'f') {
			return false
		}
	}
	return true
}

// writeFileAtomic writes data to dir/name so that no reader ever sees a
// part of it: a temporary file in the same directory, renamed over name
// (atomic on POSIX). On failure the temporary file is removed. Nothing is
// fsynced: a process crash cannot tear an entry, and after a power cut an
// entry whose data did not reach the disk reads as corrupt, which is a
// miss. A sync per entry cost a millisecond, more than the rest of a run's
// work per result.
func writeFileAtomic(dir, name string, data []byte) (err error) {
	// The leading dot and .tmp suffix keep it from ever matching an entry.
	f, err := os.CreateTemp(dir, "."+name+".*.tmp")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	if _, err = f.Write(data); err != nil {
		return err
	}
	if err = f.Close(); err != nil {
		return err
	}
	return os.Rename(f.Name(), filepath.Join(dir, name))
}

// removeIfSame removes path if it is still the file f (read as corrupt), so
// that an entry another process has just renamed into place survives.
func removeIfSame(path string, f *os.File) {
	read, err := f.Stat()
	if err != nil {
		return
	}
	now, err := os.Lstat(path)
	if err != nil || !os.SameFile(read, now) {
		return
	}
	os.Remove(path)
}
