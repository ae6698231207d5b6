package results

import (
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/parquet-go/parquet-go"

	"github.com/parity-eval/parity/suites"
)

// ManifestKey is the Parquet key-value metadata entry holding a results
// file's Manifest.
const ManifestKey = "parity.manifest"

// ManifestVersion is the version of the Manifest's layout. Version 2
// adds the work's fingerprint and the shard; ReadManifest reads version
// 1 too.
const ManifestVersion = 2

// Manifest is what a results file says of the run that wrote it besides
// its rows: the providers and suites as the config and the suite files
// gave them, so that summary.json, report.html and rules.yaml can be
// rebuilt from results files alone (parity report). It holds what
// rules.yaml shows of a provider, and no secret: the name of the key's
// variable, never its value; a base URL without user info or query.
type Manifest struct {
	SchemaVersion int                `json:"schema_version"`
	RunID         string             `json:"run_id"`
	Baseline      string             `json:"baseline,omitempty"`
	Routing       ManifestRouting    `json:"routing"`
	Providers     []ManifestProvider `json:"providers"`
	Suites        []ManifestSuite    `json:"suites"`
	// Sequential is set when a sequential gate decided what was sent: the
	// rows stop where its verdict was known, so a fixed-size gate over
	// them reads optionally stopped data.
	Sequential bool `json:"sequential,omitempty"`
	// Started is when the run began, in UTC (a resumed run's first
	// start); its day is the run's date partition in a history (see
	// Publish). Nil in a file written before manifests held it.
	Started *time.Time `json:"started,omitempty"`
	// Fingerprint is a hash of what decided the run's work (providers,
	// suites, cases and settings; see package shard), the same for every
	// shard of a run and for the run unsharded: parity merge refuses
	// shards whose fingerprints differ. Empty before version 2.
	Fingerprint string `json:"fingerprint,omitempty"`
	// Shard is set on the results of one shard of a sharded run.
	Shard *ManifestShard `json:"shard,omitempty"`
}

// ManifestShard is the part of a sharded run a results file holds.
type ManifestShard struct {
	// Index is 1-based: shard Index of Count.
	Index int `json:"index"`
	Count int `json:"count"`
	// Planned is how many rows the shard planned; fewer rows mean it
	// did not finish.
	Planned int `json:"planned"`
}

// ManifestRouting is the config's routing settings.
type ManifestRouting struct {
	Tolerance    float64 `json:"tolerance"`
	MaxFallbacks int     `json:"max_fallbacks"`
}

// ManifestProvider is a provider of the run, in config order.
type ManifestProvider struct {
	ID           string              `json:"id"`
	Model        string              `json:"model"`
	BaseURL      string              `json:"base_url,omitempty"`
	APIKeyEnv    string              `json:"api_key_env,omitempty"`
	Capabilities []suites.Capability `json:"capabilities,omitempty"`
	Price        ManifestPrice       `json:"price"`
	Unpriced     bool                `json:"unpriced,omitempty"`
}

// ManifestPrice is a provider's price: USD per million input and
// output tokens and per image.
type ManifestPrice struct {
	Input   float64 `json:"input"`
	Output  float64 `json:"output"`
	Image   float64 `json:"image,omitempty"`
	Source  string  `json:"source,omitempty"`
	Checked string  `json:"checked,omitempty"`
}

// ManifestSuite is a suite of the run: what the report reads of it
// beyond its rows.
type ManifestSuite struct {
	Name      string              `json:"name"`
	Tags      []string            `json:"tags,omitempty"`
	Tier      string              `json:"tier,omitempty"`
	Kind      string              `json:"kind,omitempty"`
	Exercises []suites.Capability `json:"exercises,omitempty"`
}

// NewManifest describes the run of cfg over the suites ss.
func NewManifest(runID string, cfg *suites.Config, ss []*suites.Suite) *Manifest {
	m := &Manifest{SchemaVersion: ManifestVersion, RunID: runID, Providers: []ManifestProvider{}, Suites: []ManifestSuite{}}
	if cfg != nil {
		m.Baseline = cfg.Baseline
		m.Routing = ManifestRouting{Tolerance: cfg.Routing.Tolerance, MaxFallbacks: cfg.Routing.MaxFallbacks}
		for _, p := range cfg.Providers {
			pr := p.Price
			m.Providers = append(m.Providers, ManifestProvider{ID: p.ID, Model: p.Model, BaseURL: suites.PublicURL(p.BaseURL),
				APIKeyEnv: p.APIKeyEnv, Capabilities: p.Capabilities, Unpriced: p.Unpriced,
				Price: ManifestPrice{pr.Input, pr.Output, pr.Image, pr.Source, pr.Checked}})
		}
	}
	for _, s := range ss {
		m.Suites = append(m.Suites, ManifestSuite{Name: s.Name, Tags: s.Tags, Tier: s.Tier, Kind: s.Kind, Exercises: s.Exercises()})
	}
	return m
}

// Config returns the config the manifest describes: its providers (id,
// model, whether priced), baseline and routing settings.
func (m *Manifest) Config() *suites.Config {
	cfg := &suites.Config{Baseline: m.Baseline,
		Routing: suites.Routing{Tolerance: m.Routing.Tolerance, MaxFallbacks: m.Routing.MaxFallbacks}}
	for _, p := range m.Providers {
		sp := &suites.Provider{ID: p.ID, Unpriced: p.Unpriced, Capabilities: p.Capabilities}
		sp.Model, sp.BaseURL, sp.APIKeyEnv = p.Model, p.BaseURL, p.APIKeyEnv
		sp.Price = suites.Price{Input: p.Price.Input, Output: p.Price.Output, Image: p.Price.Image, Source: p.Price.Source, Checked: p.Price.Checked}
		cfg.Providers = append(cfg.Providers, sp)
	}
	return cfg
}

// Suite returns a suite as the manifest describes it, without cases: its
// name, tags, tier and kind, and the capabilities it exercises (as
// needs, so Exercises and Requires return them).
func (s ManifestSuite) Suite() *suites.Suite {
	return &suites.Suite{Name: s.Name, Tags: s.Tags, Tier: s.Tier, Kind: s.Kind, Needs: s.Exercises}
}

// SetManifest records m in the file's footer; call it before Close.
func (p *Writer) SetManifest(m *Manifest) error {
	b, err := json.Marshal(m)
	if err != nil {
		return fmt.Errorf("results: manifest: %w", err)
	}
	p.w.SetKeyValueMetadata(ManifestKey, string(b))
	return nil
}

// ReadManifest returns the manifest of a results file (or run
// directory); nil, without error, for a file written before manifests.
func ReadManifest(path string) (*Manifest, error) {
	path, err := Path(path)
	if err != nil {
		return nil, err
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("results: %w", err)
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("results: %w", err)
	}
	pf, err := parquet.OpenFile(f, info.Size(), parquet.SkipPageIndex(true), parquet.SkipBloomFilters(true))
	if err != nil {
		return nil, fmt.Errorf("results %s: not a Parquet file parity can read: %w", path, err)
	}
	v, ok := pf.Lookup(ManifestKey)
	if !ok {
		return nil, nil
	}
	var m Manifest
	if err := json.Unmarshal([]byte(v), &m); err != nil {
		return nil, fmt.Errorf("results %s: the %s entry is not a manifest: %w", path, ManifestKey, err)
	}
	if m.SchemaVersion < 1 || m.SchemaVersion > ManifestVersion {
		return nil, fmt.Errorf("results %s: manifest version %d, this parity reads 1 to %d", path, m.SchemaVersion, ManifestVersion)
	}
	return &m, nil
}

// NewManifestIndex indexes the providers and suites of a manifest, for
// Restore; cases are learnt from the rows (Learn).
func NewManifestIndex(m *Manifest) *Index {
	ix := &Index{suites: map[string]*suites.Suite{}, learnt: map[[2]string]*suites.Case{}, providers: map[string]*suites.Provider{}}
	for _, p := range m.Config().Providers {
		ix.providers[p.ID] = p
	}
	for _, s := range m.Suites {
		ix.suites[s.Name] = s.Suite()
	}
	return ix
}

// Learn indexes the row's case when it is new: its id and metadata (the
// suite's merged with the case's, as the row holds it). Restore then
// rebuilds the row against it.
func (ix *Index) Learn(r *Row) {
	k := [2]string{r.Suite, r.CaseID}
	if _, ok := ix.learnt[k]; ok {
		return
	}
	c := &suites.Case{ID: strings.Clone(r.CaseID), Metadata: map[string]string{}}
	for key, v := range r.Metadata {
		c.Metadata[strings.Clone(key)] = strings.Clone(v)
	}
	ix.learnt[[2]string{strings.Clone(r.Suite), c.ID}] = c
}

// MergeManifests describes the runs of several results files as one:
// providers and suites by id and name, in first-seen order, started at
// the earliest of their starts, and the fingerprint when every file has
// the same (the shards of one run); the result is no shard. A provider
// or suite that two files describe differently, or two baselines, are
// errors naming both files; paths names the manifests for them.
func MergeManifests(ms []*Manifest, paths []string) (*Manifest, error) {
	out := &Manifest{SchemaVersion: ManifestVersion, Providers: []ManifestProvider{}, Suites: []ManifestSuite{}}
	providers := newUnion(func(p ManifestProvider) string { return p.ID }, sameProvider)
	suites := newUnion(func(s ManifestSuite) string { return s.Name }, sameSuite)
	var runIDs []string
	for i, m := range ms {
		if !slices.Contains(runIDs, m.RunID) {
			runIDs = append(runIDs, m.RunID)
		}
		switch {
		case out.Baseline == "":
			out.Baseline, out.Routing = m.Baseline, m.Routing
		case m.Baseline != "" && m.Baseline != out.Baseline:
			return nil, fmt.Errorf("results: %s has baseline %q, %s %q: report runs of one baseline at a time", paths[0], out.Baseline, paths[i], m.Baseline)
		}
		for _, p := range m.Providers {
			if q, j, ok := providers.add(p, i); !ok {
				return nil, fmt.Errorf("results: provider %s is %s at %s (%s) in %s but %s at %s (%s) in %s: report each endpoint and model under its own id",
					p.ID, q.Model, q.BaseURL, priced(q), paths[j], p.Model, p.BaseURL, priced(p), paths[i])
			}
		}
		for _, s := range m.Suites {
			if _, j, ok := suites.add(s, i); !ok {
				return nil, fmt.Errorf("results: suite %s differs between %s and %s (tags, tier, kind or capabilities): rename one", s.Name, paths[j], paths[i])
			}
		}
	}
	out.Providers, out.Suites = providers.items, suites.items
	out.RunID = strings.Join(runIDs, "+")
	if !slices.ContainsFunc(ms, func(m *Manifest) bool { return m.Fingerprint != ms[0].Fingerprint }) {
		out.Fingerprint = ms[0].Fingerprint // one run's work, merged: still its
	}
	out.Sequential = slices.ContainsFunc(ms, func(m *Manifest) bool { return m.Sequential })
	out.Started = earliest(ms)
	return out, nil
}

// earliest is the earliest start of the manifests; nil when none has
// one.
func earliest(ms []*Manifest) *time.Time {
	var first *time.Time
	for _, m := range ms {
		if m.Started != nil && (first == nil || m.Started.Before(*first)) {
			first = m.Started
		}
	}
	return first
}

// union collects items by key in first-seen order, remembering which
// manifest gave each.
type union[T any] struct {
	key   func(T) string
	same  func(a, b T) bool
	items []T
	at    map[string]int // key -> index in items
	from  []int          // the manifest each item came from
}

func newUnion[T any](key func(T) string, same func(a, b T) bool) *union[T] {
	return &union[T]{key: key, same: same, items: []T{}, at: map[string]int{}}
}

// add records x from manifest i; when its key is known and the earlier
// item differs, it returns that item, its manifest and false.
func (u *union[T]) add(x T, i int) (prev T, from int, ok bool) {
	k, seen := u.at[u.key(x)]
	if !seen {
		u.at[u.key(x)] = len(u.items)
		u.items, u.from = append(u.items, x), append(u.from, i)
		return x, i, true
	}
	return u.items[k], u.from[k], u.same(u.items[k], x)
}

// sameSuite reports whether two manifests describe a suite alike.
func sameSuite(a, b ManifestSuite) bool {
	return slices.Equal(a.Tags, b.Tags) && a.Tier == b.Tier && a.Kind == b.Kind && slices.Equal(a.Exercises, b.Exercises)
}

// sameProvider reports whether two manifests describe a provider alike.
func sameProvider(a, b ManifestProvider) bool {
	return a.Model == b.Model && a.BaseURL == b.BaseURL && a.APIKeyEnv == b.APIKeyEnv && a.Price == b.Price &&
		a.Unpriced == b.Unpriced && slices.Equal(a.Capabilities, b.Capabilities)
}

// priced says whether a provider has a price.
func priced(p ManifestProvider) string {
	if p.Unpriced {
		return "unpriced"
	}
	return "priced"
}
