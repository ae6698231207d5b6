package results

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/parity-eval/parity/suites"
)

// manifestConfig is a config of two providers, one with a key and a key
// hidden in its URL's query and user info.
func manifestConfig() *suites.Config {
	a := &suites.Provider{ID: "a", Capabilities: []suites.Capability{suites.CapVision}}
	a.Model, a.BaseURL, a.APIKeyEnv, a.APIKey = "m-a", "https://user:pw-secret@api.example/v1?key=q-secret#frag", "A_KEY", "sk-secret"
	a.Price = suites.Price{Input: 1, Output: 2, Image: 0.04, Source: "page"}
	b := &suites.Provider{ID: "b", Unpriced: true}
	b.Model, b.BaseURL = "m-b", "http://127.0.0.1:9/b/v1"
	return &suites.Config{Baseline: "a", Providers: []*suites.Provider{a, b}, Routing: suites.Routing{Tolerance: 0.05, MaxFallbacks: 2}}
}

// TestManifestRoundTrip: the manifest a results file carries comes back
// as written, describes the providers and suites as loaded, and holds no
// secret.
func TestManifestRoundTrip(t *testing.T) {
	t.Parallel()
	cfg := manifestConfig()
	ss := []*suites.Suite{{Name: "s", Tags: []string{"extract"}, Tier: "default", Needs: []suites.Capability{suites.CapJSONSchema}},
		{Name: "img", Kind: suites.KindImage, Tier: "high"}}
	m := NewManifest("run-1", cfg, ss)
	path := writeManifest(t, m)
	file, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, secret := range []string{"sk-secret", "q-secret", "pw-secret"} {
		if bytes.Contains(file, []byte(secret)) {
			t.Errorf("the file holds %q", secret)
		}
	}
	got, err := ReadManifest(filepath.Dir(path))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, m) {
		t.Errorf("read back %+v\nwrote %+v", got, m)
	}
	if p := got.Providers[0]; p.BaseURL != "https://api.example/v1" || p.APIKeyEnv != "A_KEY" || p.Price.Image != 0.04 {
		t.Errorf("provider a: %+v", p)
	}
	back := got.Config()
	if back.Baseline != "a" || back.Providers[1].Unpriced != true || back.Providers[0].Price.Input != 1 || back.Providers[0].APIKey != "" {
		t.Errorf("config: %+v", back)
	}
	for i, s := range got.Suites {
		if e := s.Suite().Exercises(); !sameSet(e, ss[i].Exercises()) {
			t.Errorf("%s exercises %v, loaded %v", s.Name, e, ss[i].Exercises())
		}
	}
	// A file from before manifests reads as none, without error.
	old := filepath.Join(t.TempDir(), FileName)
	var plain bytes.Buffer
	if err := NewWriter(&plain).Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(old, plain.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	if m, err := ReadManifest(old); m != nil || err != nil {
		t.Errorf("an old file: %v, %v", m, err)
	}
}

// sameSet reports whether two lists hold the same capabilities.
func sameSet(a, b []suites.Capability) bool {
	if len(a) != len(b) {
		return false
	}
	for _, x := range a {
		found := false
		for _, y := range b {
			found = found || x == y
		}
		if !found {
			return false
		}
	}
	return true
}

// TestMergeManifests: runs of the same providers and suites merge, their
// run ids joined; a provider or suite described two ways, or two
// baselines, are errors naming both files.
func TestMergeManifests(t *testing.T) {
	t.Parallel()
	ss := []*suites.Suite{{Name: "s", Tags: []string{"x"}}}
	one, two := NewManifest("one", manifestConfig(), ss), NewManifest("two", manifestConfig(), ss)
	m, err := MergeManifests([]*Manifest{one, two}, []string{"1.parquet", "2.parquet"})
	if err != nil || m.RunID != "one+two" || len(m.Providers) != 2 || len(m.Suites) != 1 {
		t.Fatalf("merge: %+v, %v", m, err)
	}
	if m.Started != nil {
		t.Errorf("merged start %v of runs without one, want nil", m.Started)
	}
	// Shards of one run started at different times: the merge started
	// with the first.
	three := NewManifest("three", manifestConfig(), ss)
	early, late := time.Date(2026, 11, 1, 23, 59, 0, 0, time.UTC), time.Date(2026, 11, 2, 0, 1, 0, 0, time.UTC)
	two.Started, three.Started = &late, &early
	if m, err := MergeManifests([]*Manifest{one, two, three}, []string{"1", "2", "3"}); err != nil || m.Started == nil || !m.Started.Equal(early) {
		t.Errorf("merged start: %+v, %v; want %v", m, err, early)
	}
	other := manifestConfig()
	other.Providers[1].Model = "m-b2"
	if _, err := MergeManifests([]*Manifest{one, NewManifest("x", other, ss)}, []string{"1.parquet", "2.parquet"}); err == nil || !strings.Contains(err.Error(), "provider b is m-b") || !strings.Contains(err.Error(), "2.parquet") {
		t.Errorf("another model under one id: %v", err)
	}
	retagged := []*suites.Suite{{Name: "s", Tags: []string{"y"}}}
	if _, err := MergeManifests([]*Manifest{one, NewManifest("x", manifestConfig(), retagged)}, []string{"1", "2"}); err == nil || !strings.Contains(err.Error(), "suite s differs") {
		t.Errorf("a retagged suite: %v", err)
	}
	rebased := manifestConfig()
	rebased.Baseline = "b"
	if _, err := MergeManifests([]*Manifest{one, NewManifest("x", rebased, ss)}, []string{"1", "2"}); err == nil || !strings.Contains(err.Error(), "baseline") {
		t.Errorf("two baselines: %v", err)
	}
}

// writeManifest writes an empty results file whose manifest is m, and
// returns its path.
func writeManifest(t *testing.T, m *Manifest) string {
	t.Helper()
	var buf bytes.Buffer
	w := NewWriter(&buf)
	if err := w.SetManifest(m); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), FileName)
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestManifestShard: version 2 keeps the fingerprint and the shard;
// version 1 files still read; a newer version is refused, naming it.
func TestManifestShard(t *testing.T) {
	t.Parallel()
	m := NewManifest("run-1", manifestConfig(), nil)
	m.Fingerprint, m.Shard = "abc123", &ManifestShard{Index: 2, Count: 4, Planned: 17}
	got, err := ReadManifest(writeManifest(t, m))
	if err != nil || !reflect.DeepEqual(got, m) {
		t.Fatalf("read back %+v, %v\nwrote %+v", got, err, m)
	}
	v1 := NewManifest("run-1", manifestConfig(), nil)
	v1.SchemaVersion = 1
	if got, err := ReadManifest(writeManifest(t, v1)); err != nil || got.Shard != nil || got.Fingerprint != "" {
		t.Errorf("a version 1 manifest: %+v, %v", got, err)
	}
	v3 := NewManifest("run-1", manifestConfig(), nil)
	v3.SchemaVersion = ManifestVersion + 1
	if _, err := ReadManifest(writeManifest(t, v3)); err == nil || !strings.Contains(err.Error(), "manifest version 3, this parity reads 1 to 2") {
		t.Errorf("a version 3 manifest: %v", err)
	}
}

// TestMergeManifestsFingerprint: the shards of one run merge into a
// manifest with their fingerprint and no shard; runs of other work merge
// without one.
func TestMergeManifestsFingerprint(t *testing.T) {
	t.Parallel()
	a, b := NewManifest("r", manifestConfig(), nil), NewManifest("r", manifestConfig(), nil)
	a.Fingerprint, b.Fingerprint = "f", "f"
	a.Shard, b.Shard = &ManifestShard{Index: 1, Count: 2}, &ManifestShard{Index: 2, Count: 2}
	m, err := MergeManifests([]*Manifest{a, b}, []string{"1", "2"})
	if err != nil || m.Fingerprint != "f" || m.Shard != nil || m.RunID != "r" {
		t.Fatalf("two shards: %+v, %v", m, err)
	}
	b.Fingerprint = "g"
	if m, err := MergeManifests([]*Manifest{a, b}, []string{"1", "2"}); err != nil || m.Fingerprint != "" {
		t.Errorf("two works: fingerprint %q, %v", m.Fingerprint, err)
	}
}
