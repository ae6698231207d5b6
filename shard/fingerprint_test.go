package shard

import (
	"strings"
	"testing"

	"github.com/parity-eval/parity/internal/testkit"
	"github.com/parity-eval/parity/suites"
)

// TestFingerprint: the same work always has the same fingerprint, and
// each thing that decides the work changes it; an API key does not, nor
// is it in it.
func TestFingerprint(t *testing.T) {
	t.Parallel()
	cfg, ss := examples(t)
	set := Settings{Repeat: 1}
	base, err := Fingerprint(cfg, ss, set)
	if err != nil {
		t.Fatal(err)
	}
	if again, _ := Fingerprint(cfg, ss, set); again != base || len(base) != 64 {
		t.Fatalf("fingerprints %q and %q of the same work", base, again)
	}
	keyed := withProvider(cfg, func(p *suites.Provider) {
		p.APIKey, p.BaseURL = "sk-secret-value", "http://user:pw@"+strings.TrimPrefix(p.BaseURL, "http://")
	})
	if fp, _ := Fingerprint(keyed, ss, set); fp != base {
		t.Errorf("a key and URL credentials changed the fingerprint")
	}
	changed := map[string]func() (string, error){
		"repeat": func() (string, error) { return Fingerprint(cfg, ss, Settings{Repeat: 2}) },
		"sequential": func() (string, error) {
			return Fingerprint(cfg, ss, Settings{Repeat: 1, Sequential: true, Gate: "sim-mini"})
		},
		"model": func() (string, error) {
			return Fingerprint(withProvider(cfg, func(p *suites.Provider) { p.Model += "-2" }), ss, set)
		},
		"price": func() (string, error) {
			return Fingerprint(withProvider(cfg, func(p *suites.Provider) { p.Price.Input++ }), ss, set)
		},
		"a case's vars": func() (string, error) {
			s := *ss[0]
			cases := testkit.Cases(t, &s)
			c := *cases[0]
			c.Vars = map[string]any{"text": "something else"}
			cases[0] = &c
			s.Cases = suites.NewCases(cases...)
			return Fingerprint(cfg, append([]*suites.Suite{&s}, ss[1:]...), set)
		},
		"a case fewer": func() (string, error) {
			s := *ss[0]
			s.Cases = suites.NewCases(testkit.Cases(t, &s)[1:]...)
			return Fingerprint(cfg, append([]*suites.Suite{&s}, ss[1:]...), set)
		},
		"a prompt": func() (string, error) {
			s := *ss[0]
			s.Prompt.System += "!"
			return Fingerprint(cfg, append([]*suites.Suite{&s}, ss[1:]...), set)
		},
	}
	for what, fp := range changed {
		if got, err := fp(); err != nil || got == base {
			t.Errorf("changing the %s left the fingerprint as it was (%v)", what, err)
		}
	}
}

// withProvider is a copy of cfg whose first provider edit changed.
func withProvider(cfg *suites.Config, edit func(*suites.Provider)) *suites.Config {
	c := *cfg
	c.Providers = append([]*suites.Provider(nil), cfg.Providers...)
	p := *c.Providers[0]
	edit(&p)
	c.Providers[0] = &p
	return &c
}

// TestLimits: rpm and tpm are divided among the shards, rounded down,
// unless the config gives a shard's own; a limit too small to divide is
// an error naming the provider; the config itself is not changed.
func TestLimits(t *testing.T) {
	t.Parallel()
	cfg := &suites.Config{Providers: []*suites.Provider{
		{ID: "a", Limits: suites.Limits{RPM: 600, TPM: 100_000}},
		{ID: "b", Limits: suites.Limits{RPM: 600, ShardRPM: 500, TPM: 90_000, ShardTPM: 1000}},
		{ID: "c"},
	}}
	got, err := Limits(cfg, 7)
	if err != nil {
		t.Fatal(err)
	}
	want := []suites.Limits{{RPM: 85, TPM: 14285}, {RPM: 500, ShardRPM: 500, TPM: 1000, ShardTPM: 1000}, {}}
	for i, p := range got.Providers {
		if p.Limits != want[i] {
			t.Errorf("provider %s over 7 shards: %+v, want %+v", p.ID, p.Limits, want[i])
		}
	}
	if cfg.Providers[0].Limits.RPM != 600 {
		t.Errorf("Limits changed the config it was given")
	}
	if same, _ := Limits(cfg, 1); same != cfg {
		t.Errorf("Limits of one shard is not the config as it is")
	}
	_, err = Limits(&suites.Config{Providers: []*suites.Provider{{ID: "tiny", Limits: suites.Limits{RPM: 3}}}}, 4)
	if err == nil || !strings.Contains(err.Error(), "provider tiny: limits.rpm 3 cannot be split over 4 shards") {
		t.Errorf("rpm 3 over 4 shards: %v", err)
	}
}
