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
	var buf bytes.Buffer
	w := NewWriter(&buf)
	if err := w.SetManifest(m); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	for _, secret := range []string{"sk-secret", "q-secret", "pw-secret"} {
		if bytes.Contains(buf.Bytes(), []byte(secret)) {
			t.Errorf("the file holds %q", secret)
		}
	}
	path := filepath.Join(t.TempDir(), FileName)
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
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
