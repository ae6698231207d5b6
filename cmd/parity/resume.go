package main

import (
	"flag"
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"github.com/parity-eval/parity/cmd/parity/internal/resume"
	"github.com/parity-eval/parity/gate"
	"github.com/parity-eval/parity/suites"
)

// resumeFrom takes the run's settings from the manifest in --out: a
// resumed run is the same run. A flag that would change a recorded
// setting is refused, naming it; --config and --suites may name the
// run's inputs again (their fingerprint decides, in resumable);
// --max-cost and --timeout bound this attempt and replace the recorded
// ones when given.
func (o *runOptions) resumeFrom(fset *flag.FlagSet) error {
	m, err := resume.Read(o.out)
	if err != nil {
		return err
	}
	set := map[string]bool{}
	fset.Visit(func(f *flag.Flag) { set[f.Name] = true })
	was := o.recorded(m)
	if clash := o.clashes(&was, set); len(clash) > 0 {
		return fmt.Errorf("--resume finishes run %s with the settings in %s; drop %s", m.RunID, filepath.Join(o.out, resume.ManifestFile), strings.Join(clash, ", "))
	}
	if set["config"] {
		was.config = o.config
	}
	if set["suites"] {
		was.suites = o.suites
	}
	if set["max-cost"] {
		was.maxCost = o.maxCost
	}
	if set["timeout"] {
		was.timeout = o.timeout
	}
	*o = was
	return nil
}

// recorded is o with the settings m recorded. A manifest written before
// the settings were recorded leaves o's.
func (o *runOptions) recorded(m *resume.Manifest) runOptions {
	r := *o
	r.config, r.suites, r.providers, r.repeat, r.runID = m.Config, m.Suites, m.Providers, m.Repeat, m.RunID
	if s := m.Settings; s != nil {
		r.cache.off, r.cache.dir, r.cache.ttl = s.NoCache, s.CacheDir, time.Duration(s.CacheTTL)
		r.timeout, r.maxCost, r.gate, r.gateMargin = time.Duration(s.Timeout), s.MaxCost, s.Gate, s.GateMargin
		r.shardSpec = s.Shard
		if s.GateMode != "" {
			r.gateMode = gate.Mode(s.GateMode)
		}
	}
	return r
}

// clashes names the flags in set whose values differ from the run's
// (was), each with both values.
func (o *runOptions) clashes(was *runOptions, set map[string]bool) []string {
	dir := o.cache.dir
	if abs, err := filepath.Abs(dir); err == nil && dir != "" {
		dir = abs
	}
	settings := []struct {
		flag       string
		given, run any
	}{
		{"providers", o.providers.String(), was.providers.String()},
		{"repeat", o.repeat, was.repeat},
		{"run-id", o.runID, was.runID},
		{"no-cache", o.cache.off, was.cache.off},
		{"cache-dir", dir, was.cache.dir},
		{"cache-ttl", o.cache.ttl, was.cache.ttl},
		{"gate", o.gate, was.gate},
		{"gate-margin", o.gateMargin, was.gateMargin},
		{"gate-mode", o.gateMode, was.gateMode},
		{"shard", o.shardSpec, was.shardSpec},
	}
	var clash []string
	for _, s := range settings {
		if set[s.flag] && s.given != s.run {
			clash = append(clash, fmt.Sprintf("--%s (%v; the run's is %v)", s.flag, s.given, s.run))
		}
	}
	return clash
}

// start prepares the output directory: a new run records its manifest; a
// resumed one checks its inputs are those it started with.
func (o *runOptions) start(cfg *suites.Config, ss []*suites.Suite) error {
	fp, parts := resume.Fingerprints(cfg, ss, o.repeat)
	if o.resume {
		return o.resumable(fp, parts)
	}
	return o.begin(fp, parts)
}

// resumable refuses to resume a run that is complete, or whose inputs
// are not those it started with (fingerprint fp, of parts), naming those
// that changed.
func (o *runOptions) resumable(fp string, parts map[string]string) error {
	m, err := resume.Read(o.out)
	if err != nil {
		return usageError(err)
	}
	if pending, err := resume.Pending(o.out); err == nil && !pending {
		return usageError(fmt.Errorf("run %s in %s is complete: there is nothing to resume", m.RunID, o.out))
	}
	o.started = m.Started
	if m.Fingerprint == fp {
		return nil
	}
	what := "the config or the suites changed"
	if d := resume.Differences(m.Inputs, parts); m.Inputs != nil && len(d) > 0 {
		what = strings.Join(d, ", ")
	}
	return usageError(fmt.Errorf("the inputs differ from those run %s started with (%s): resuming would mix results of different inputs; resume with the run's config and suites, or start a new run in another --out", m.RunID, what))
}

// begin starts a new run with inputs of fingerprint fp (of parts) in
// --out, which may hold no other run's files (unless --overwrite removes
// them), and records its manifest: the inputs and every setting a
// resumed run takes back.
func (o *runOptions) begin(fp string, parts map[string]string) error {
	if err := o.claimOut(); err != nil {
		return err
	}
	m := &resume.Manifest{RunID: o.runID, Config: o.config, Suites: o.suites, Providers: o.providers,
		Repeat: o.repeat, Started: time.Now().UTC(), Fingerprint: fp, Inputs: parts, Settings: o.settings()}
	if len(m.Suites) == 0 {
		m.Suites = defaultSuites
	}
	o.started = m.Started
	if err := m.Write(o.out); err != nil {
		return &exitError{code: ExitError, err: err}
	}
	return nil
}

// settings are the run's settings as the manifest records them.
func (o *runOptions) settings() *resume.Settings {
	return &resume.Settings{NoCache: o.cache.off, CacheDir: o.cache.dir, CacheTTL: resume.Duration(o.cache.ttl),
		Timeout: resume.Duration(o.timeout), MaxCost: o.maxCost, Gate: o.gate, GateMargin: o.gateMargin, GateMode: string(o.gateMode),
		Shard: o.shardSpec}
}
