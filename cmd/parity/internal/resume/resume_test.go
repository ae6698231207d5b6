package resume

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/parity-eval/parity/runner"
	"github.com/parity-eval/parity/suites"
)

// TestManifestRoundTrip: what Write records, Read returns; a directory
// without a manifest is ErrNoManifest.
func TestManifestRoundTrip(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	if _, err := Read(dir); !errors.Is(err, ErrNoManifest) {
		t.Fatalf("an empty directory: %v, want ErrNoManifest", err)
	}
	m := &Manifest{RunID: "r1", Config: "parity.yaml", Suites: []string{"suites/examples"}, Repeat: 2,
		Started: time.Date(2025, 3, 1, 2, 0, 0, 0, time.UTC), Fingerprint: "abc", Inputs: map[string]string{"repeat": "1"},
		Settings: &Settings{NoCache: true, CacheDir: "/c", CacheTTL: Duration(5 * time.Hour), Timeout: Duration(time.Minute), MaxCost: 2, Gate: "b", GateMargin: 0.1}}
	if err := m.Write(dir); err != nil {
		t.Fatal(err)
	}
	got, err := Read(dir)
	if err != nil || !reflect.DeepEqual(got, m) {
		t.Errorf("Read = %+v, %v; want %+v", got, err, m)
	}
}

// TestFingerprint: the inputs that decide a result change it; those that
// do not (a key, a limit) leave it.
func TestFingerprint(t *testing.T) {
	t.Parallel()
	cfg := func() *suites.Config {
		return &suites.Config{Providers: []*suites.Provider{{ID: "a", Endpoint: suites.Endpoint{BaseURL: "http://x/v1", Model: "m"}}}}
	}
	ss := []*suites.Suite{{Name: "s", Cases: suites.NewCases(&suites.Case{ID: "c1"})}}
	base := fingerprint(cfg(), ss, 1)
	keyed := cfg()
	keyed.Providers[0].APIKey, keyed.Providers[0].Limits.RPM = "secret", 10
	other := cfg()
	other.Providers[0].Model = "m2"
	for _, tt := range []struct {
		name string
		fp   string
		same bool
	}{
		{"the same inputs", fingerprint(cfg(), ss, 1), true},
		{"a key and a limit", fingerprint(keyed, ss, 1), true},
		{"another model", fingerprint(other, ss, 1), false},
		{"another repeat", fingerprint(cfg(), ss, 2), false},
	} {
		if (tt.fp == base) != tt.same {
			t.Errorf("%s: same fingerprint %v, want %v", tt.name, tt.fp == base, tt.same)
		}
	}
}

// TestNilJournaled: a run that starts afresh skips nothing.
func TestNilJournaled(t *testing.T) {
	t.Parallel()
	var j *Journaled
	if j.Skip(runner.Key{Suite: "s"}) || j.Len() != 0 || j.Baselines() != nil {
		t.Error("a nil Journaled holds something")
	}
}

// TestReplayWithoutJournal: no journal is nothing journaled, not an
// error, and nothing is pending.
func TestReplayWithoutJournal(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	j, err := Replay(dir, &suites.Config{}, nil, nil)
	if err != nil || j.Len() != 0 {
		t.Errorf("Replay = %d results, %v", j.Len(), err)
	}
	if pending, err := Pending(dir); pending || err != nil {
		t.Errorf("Pending = %v, %v", pending, err)
	}
}

// TestLock: a locked directory refuses a second lock, naming the holder;
// once unlocked it is free, and a holder recorded by a run that died is
// reported as stale by the run that takes it over.
func TestLock(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	l, err := Lock(dir)
	if err != nil || l.Stale != nil {
		t.Fatalf("Lock = %+v, %v", l, err)
	}
	h := Holder{PID: 42, Host: "h", RunID: "r1", Started: time.Date(2025, 3, 1, 2, 0, 0, 0, time.UTC)}
	if err := l.Record(h); err != nil {
		t.Fatal(err)
	}
	var locked *LockedError
	_, err = Lock(dir)
	if !errors.As(err, &locked) || !reflect.DeepEqual(locked.Holder, &h) {
		t.Fatalf("a second Lock: %v, want a LockedError naming %v", err, &h)
	}
	if want := "is in use by run r1 (pid 42 on h, started 2025-03-01T02:00:00Z)"; !strings.Contains(err.Error(), want) {
		t.Errorf("%q does not say %q", err, want)
	}
	if err := l.Unlock(); err != nil {
		t.Fatal(err)
	}
	l, err = Lock(dir)
	if err != nil || l.Stale != nil {
		t.Fatalf("after Unlock: %+v, %v", l, err)
	}
	l.Record(h)
	l.f.Close() // the process died: the kernel let go, the file stayed
	l, err = Lock(dir)
	if err != nil || !reflect.DeepEqual(l.Stale, &h) {
		t.Fatalf("over a dead run's lock: stale %v, %v", l.Stale, err)
	}
	l.Unlock()
}

// TestDifferences names what changed between two sets of fingerprint
// parts, and nothing when none did.
func TestDifferences(t *testing.T) {
	t.Parallel()
	cfg := &suites.Config{Providers: []*suites.Provider{{ID: "a", Endpoint: suites.Endpoint{BaseURL: "http://x/v1", Model: "m"}}}}
	ss := []*suites.Suite{{Name: "s", Cases: suites.NewCases(&suites.Case{ID: "c1"})}}
	was := parts(cfg, ss, 1)
	if d := Differences(was, parts(cfg, ss, 1)); d != nil {
		t.Errorf("the same inputs differ: %v", d)
	}
	cfg.Providers[0].Model = "m2"
	more := append(ss, &suites.Suite{Name: "t"})
	want := []string{"provider a changed", "repeat changed", "suite t is new"}
	if d := Differences(was, parts(cfg, more, 2)); !reflect.DeepEqual(d, want) {
		t.Errorf("Differences = %v, want %v", d, want)
	}
	if d := Differences(was, parts(cfg, nil, 1)); !reflect.DeepEqual(d, []string{"provider a changed", "suite s is gone"}) {
		t.Errorf("a suite gone: %v", d)
	}
}

// fingerprint is Fingerprints' hash of the whole.
func fingerprint(cfg *suites.Config, ss []*suites.Suite, repeat int) string {
	fp, _ := Fingerprints(cfg, ss, repeat)
	return fp
}

// parts is Fingerprints' hash of each input.
func parts(cfg *suites.Config, ss []*suites.Suite, repeat int) map[string]string {
	_, p := Fingerprints(cfg, ss, repeat)
	return p
}
