package resume

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"
)

// ManifestFile records what a run was started with, beside its outputs,
// so that a resumed run finishes it with the same inputs.
const ManifestFile = "run.json"

// ErrNoManifest is returned (wrapped) by Read when a directory holds no
// manifest: no run was started there.
var ErrNoManifest = errors.New("there is no run to resume there")

// Manifest is the content of ManifestFile. It holds paths, never keys.
type Manifest struct {
	// RunID labels the run's results.
	RunID string `json:"run_id"`
	// Config is the path of the run's config file.
	Config string `json:"config"`
	// Suites are the suite files and directories the run loaded.
	Suites []string `json:"suites"`
	// Providers are the provider ids the run selected; empty for all.
	Providers []string `json:"providers,omitempty"`
	// Repeat is how many times each case goes to each provider.
	Repeat int `json:"repeat"`
	// Started is when the run began.
	Started time.Time `json:"started"`
	// Fingerprint hashes every input that decides what a result is; a
	// resumed run must have the same.
	Fingerprint string `json:"fingerprint"`
}

// Write writes m to ManifestFile in dir.
func (m *Manifest) Write(dir string) error {
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return fmt.Errorf("manifest: %w", err)
	}
	return os.WriteFile(filepath.Join(dir, ManifestFile), append(b, '\n'), 0o644)
}

// Read reads the manifest in dir; its error wraps ErrNoManifest when
// there is none.
func Read(dir string) (*Manifest, error) {
	path := filepath.Join(dir, ManifestFile)
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%s has no %s: %w", dir, ManifestFile, ErrNoManifest)
	}
	if err != nil {
		return nil, err
	}
	var m Manifest
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return &m, nil
}
