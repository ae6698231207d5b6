package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strconv"
	"time"

	"github.com/parity-eval/parity/suites"
)

// rulesConfig loads the run's config for its endpoints, prices,
// capabilities, baseline and routing settings. The rules send nothing, so
// they need no API key. The default config may be missing (nil, no
// error); a config named with --config may not.
func rulesConfig(path string, named bool, lookup suites.Env) (*suites.Config, error) {
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) && !named {
		return nil, nil
	}
	return suites.LoadConfig(path, lookup, suites.WithoutKeys())
}

// clock is when the rules are written: SOURCE_DATE_EPOCH (seconds since
// 1970, the reproducible-builds convention) when set, else now.
func clock(lookup suites.Env) (time.Time, error) {
	v, ok := lookup("SOURCE_DATE_EPOCH")
	if !ok || v == "" {
		return time.Now(), nil
	}
	sec, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return time.Time{}, fmt.Errorf("SOURCE_DATE_EPOCH %q: want seconds since 1970", v)
	}
	return time.Unix(sec, 0).UTC(), nil
}
