package main

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/parity-eval/parity/suites"
)

// manifestFile records what a run was started with, beside its outputs, so
// that --resume can finish it with the same inputs.
const manifestFile = "run.json"

// manifest is the content of run.json. It holds paths, never keys.
type manifest struct {
	RunID     string    `json:"run_id"`
	Config    string    `json:"config"`
	Suites    []string  `json:"suites"`
	Providers []string  `json:"providers,omitempty"`
	Repeat    int       `json:"repeat"`
	Started   time.Time `json:"started"`
	// Fingerprint hashes every input that decides what a result is; a
	// resumed run must have the same.
	Fingerprint string `json:"fingerprint"`
}

func (m *manifest) write(dir string) error {
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, manifestFile), append(b, '\n'), 0o644)
}

func readManifest(dir string) (*manifest, error) {
	b, err := os.ReadFile(filepath.Join(dir, manifestFile))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%s has no %s: there is no run to resume there", dir, manifestFile)
	}
	if err != nil {
		return nil, err
	}
	var m manifest
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("%s: %w", filepath.Join(dir, manifestFile), err)
	}
	return &m, nil
}

// resumeFrom takes the run's settings from the manifest in o.out. Flags
// that would change them are refused: a resumed run is the same run.
func (o *runOptions) resumeFrom(fset *flag.FlagSet) (*manifest, error) {
	var clash []string
	fset.Visit(func(f *flag.Flag) {
		if slices.Contains([]string{"config", "suites", "providers", "repeat", "run-id"}, f.Name) {
			clash = append(clash, "--"+f.Name)
		}
	})
	if len(clash) > 0 {
		return nil, fmt.Errorf("--resume takes the run's settings from %s; drop %s", filepath.Join(o.out, manifestFile), strings.Join(clash, ", "))
	}
	m, err := readManifest(o.out)
	if err != nil {
		return nil, err
	}
	o.config, o.suites, o.providers, o.repeat, o.runID = m.Config, m.Suites, m.Providers, m.Repeat, m.RunID
	return m, nil
}

// fingerprint hashes what decides a run's results: every provider's
// endpoint and model, and every suite's requests and checks, case by case.
func fingerprint(cfg *suites.Config, ss []*suites.Suite, repeat int) string {
	h := sha256.New()
	enc := json.NewEncoder(h)
	_ = enc.Encode(repeat) // writing to a hash never fails
	for _, p := range cfg.Providers {
		_ = enc.Encode([]string{p.ID, p.BaseURL, p.Model})
	}
	for _, s := range ss {
		_ = enc.Encode(s.Name)
		_ = enc.Encode(s.Request)
		for _, c := range s.Checks {
			_ = enc.Encode([]any{c.Type, c.Name, c.Weight, c.Threshold, c.Value, c.Pattern, c.Against, c.Rubric, string(c.Schema)})
		}
		for _, c := range s.Cases {
			_ = enc.Encode([]string{c.ID, c.Messages.System, c.Messages.User, c.Reference})
		}
	}
	return hex.EncodeToString(h.Sum(nil))
}
