package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"net"
	"os"
	"path/filepath"
)

// demoFile records, beside a demo's outputs, where its simulated
// providers listened and with which seed. The run's config names the
// providers by that address (it is in the run's fingerprint), so a
// resumed demo serves them there again.
const demoFile = "demo.json"

// demoState is the content of demoFile.
type demoState struct {
	Addr string `json:"fixtures_addr"`
	Seed int64  `json:"fixtures_seed"`
}

// demoListen opens the simulated providers' listener: on a new port for
// a new demo, recorded in demoFile; on the interrupted demo's port, with
// its seed, under --resume, which also takes the run's settings from its
// manifest as parity run --resume does.
func demoListen(fset *flag.FlagSet, o *runOptions, f *fixtureFlags) (net.Listener, error) {
	if !o.resume {
		return demoStart(o, f)
	}
	if !explicit(fset, "overwrite") {
		o.overwrite = false // a resumed demo keeps what the first attempt finished
	}
	if err := o.check(); err != nil {
		return nil, usageError(err)
	}
	st, err := readDemo(o.out)
	if err != nil {
		return nil, usageError(err)
	}
	if explicit(fset, "fixtures-seed") && f.seed != st.Seed {
		return nil, usageError(fmt.Errorf("--resume serves the demo's simulated providers with their seed (%d, in %s); drop --fixtures-seed",
			st.Seed, filepath.Join(o.out, demoFile)))
	}
	if err := o.resumeFrom(fset); err != nil {
		return nil, usageError(err)
	}
	f.seed = st.Seed
	ln, err := net.Listen("tcp", st.Addr)
	if err != nil {
		return nil, fmt.Errorf("demo --resume: the run's simulated providers listened on %s, which is taken now: %w", st.Addr, err)
	}
	return ln, nil
}

// demoStart listens on a new loopback port and records it in --out
// (a dry run records nothing).
func demoStart(o *runOptions, f *fixtureFlags) (net.Listener, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("demo: %w", err)
	}
	if o.dryRun {
		return ln, nil
	}
	data, _ := json.Marshal(demoState{Addr: ln.Addr().String(), Seed: f.seed}) // a struct of strings and ints always marshals
	err = os.MkdirAll(o.out, 0o755)
	if err == nil {
		err = os.WriteFile(filepath.Join(o.out, demoFile), append(data, '\n'), 0o644)
	}
	if err != nil {
		ln.Close()
		return nil, &exitError{code: ExitError, err: fmt.Errorf("demo: --out: %w", err)}
	}
	return ln, nil
}

// readDemo reads the demoFile in dir.
func readDemo(dir string) (*demoState, error) {
	data, err := os.ReadFile(filepath.Join(dir, demoFile))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%s holds no demo to resume (no %s); a run's outputs resume with `parity run --resume --out %s`", dir, demoFile, dir)
	}
	if err != nil {
		return nil, err
	}
	var st demoState
	if err := json.Unmarshal(data, &st); err != nil {
		return nil, fmt.Errorf("%s: %w", filepath.Join(dir, demoFile), err)
	}
	if st.Addr == "" {
		return nil, fmt.Errorf("%s names no address", filepath.Join(dir, demoFile))
	}
	return &st, nil
}
