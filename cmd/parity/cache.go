package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/parity-eval/parity/runner"
)

// cacheOptions are the response cache's flags.
type cacheOptions struct {
	off    bool
	dir    string
	ttl    time.Duration
	lookup func(string) (string, bool)
}

func (c *cacheOptions) register(fs *flag.FlagSet) {
	fs.BoolVar(&c.off, "no-cache", false, "send every request, and store no answer")
	fs.StringVar(&c.dir, "cache-dir", "", "where answers are cached (default $PARITY_CACHE_DIR, else the user cache directory's parity/)")
	fs.DurationVar(&c.ttl, "cache-ttl", 24*time.Hour, "how long a cached answer is reused (0: forever); drift watches want it short")
}

// open opens the cache the flags ask for; nil when it is off.
func (c *cacheOptions) open(stderr io.Writer) (*runner.Cache, error) {
	if c.off {
		return nil, nil
	}
	dir := c.dir
	if dir == "" {
		lookup := c.lookup
		if lookup == nil {
			lookup = os.LookupEnv
		}
		if v, ok := lookup("PARITY_CACHE_DIR"); ok && v != "" {
			dir = v
		} else {
			base, err := os.UserCacheDir()
			if err != nil {
				fmt.Fprintf(stderr, "parity: no user cache directory (%v): running without the response cache\n", err)
				return nil, nil
			}
			dir = filepath.Join(base, "parity")
		}
	}
	cache, err := runner.OpenCache(dir, c.ttl)
	if err != nil {
		return nil, fmt.Errorf("--cache-dir: %w", err)
	}
	return cache, nil
}
