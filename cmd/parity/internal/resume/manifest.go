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
	// Inputs are the Parts of the fingerprint, to name what changed.
	Inputs map[string]string `json:"inputs,omitempty"`
	// Settings are the run's other settings, which a resumed run takes
	// back; nil in a manifest written before they were recorded.
	Settings *Settings `json:"settings,omitempty"`
}

// Settings are what a run was started with beyond its inputs: how it
// cached, how long and how much it could spend, and what it gated.
type Settings struct {
	// NoCache: every request was sent and no answer stored.
	NoCache bool `json:"no_cache"`
	// CacheDir is the cache directory the run used, resolved (the flag,
	// else $PARITY_CACHE_DIR, else the user cache directory) and
	// absolute; empty when it ran without one.
	CacheDir string `json:"cache_dir,omitempty"`
	// CacheTTL is how long a cached answer was reused (0: forever).
	CacheTTL Duration `json:"cache_ttl"`
	// Timeout bounded the run (0: no limit).
	Timeout Duration `json:"timeout"`
	// MaxCost is the run's budget in USD (0: none).
	MaxCost float64 `json:"max_cost"`
	// Gate is the candidate gated against the baseline ("": none), with
	// GateMargin its non-inferiority margin and GateMode its mode (""
	// in a manifest from before modes: the default).
	Gate       string  `json:"gate,omitempty"`
	GateMargin float64 `json:"gate_margin"`
	GateMode   string  `json:"gate_mode,omitempty"`
	// Shard is the shard the run is, "i/n" ("": the whole run).
	Shard string `json:"shard,omitempty"`
}

// Duration is a time.Duration written as text ("1h30m0s").
type Duration time.Duration

// MarshalText writes d as time.Duration.String does.
func (d Duration) MarshalText() ([]byte, error) { return []byte(time.Duration(d).String()), nil }

// UnmarshalText reads what MarshalText wrote.
func (d *Duration) UnmarshalText(b []byte) error {
	v, err := time.ParseDuration(string(b))
	*d = Duration(v)
	return err
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
