package shard

import (
	"context"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/parity-eval/parity/fixtures"
	"github.com/parity-eval/parity/runner"
	"github.com/parity-eval/parity/suites"
)

// pacedSuite writes a suite of n cases and loads it.
func pacedSuite(t *testing.T, n int) []*suites.Suite {
	t.Helper()
	var b strings.Builder
	b.WriteString("name: classify\ntags: [classify]\nneeds: [streaming]\nrequest: {max_tokens: 20}\nprompt:\n  user: \"Ticket: {{.text}}\"\ncases:\n")
	for i := range n {
		fmt.Fprintf(&b, "  - {id: t%02d, vars: {text: ticket number %d}, reference: billing}\n", i, i)
	}
	path := filepath.Join(t.TempDir(), "s.yaml")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	ss, err := suites.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	return ss
}

// pacedConfig is one provider at url limited to rpm requests a window.
func pacedConfig(t *testing.T, url string, rpm int) *suites.Config {
	t.Helper()
	path := filepath.Join(t.TempDir(), "parity.yaml")
	cfg := fmt.Sprintf("baseline: sim-frontier\nproviders:\n  - {id: sim-frontier, base_url: %s/sim-frontier/v1, model: m, price: {input: 1, output: 2}, limits: {concurrency: 8, rpm: %d}, capabilities: [streaming]}\n", url, rpm)
	if err := os.WriteFile(path, []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	c, err := suites.LoadConfig(path, func(string) (string, bool) { return "", false })
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// runShards runs n shards of cfg over ss at once, each with its share of
// the cases and the limits divide gives it, and returns how many results
// came back.
func runShards(t *testing.T, cfg *suites.Config, ss []*suites.Suite, n, repeat int, window time.Duration, divide bool) int {
	t.Helper()
	plan := mustSplit(t, cfg, ss, repeat, n)
	each := cfg
	if divide {
		var err error
		if each, err = Limits(cfg, n); err != nil {
			t.Fatal(err)
		}
	}
	var mu sync.Mutex
	var wg sync.WaitGroup
	got := 0
	for i := 1; i <= n; i++ {
		share := mustShare(t, plan, ss, Shard{i, n})
		wg.Go(func() {
			k := 0
			for range runner.New(each, runner.Repeat(repeat), runner.RateWindow(window)).Run(context.Background(), share) {
				k++
			}
			mu.Lock()
			got += k
			mu.Unlock()
		})
	}
	wg.Wait()
	return got
}

// TestShardsHoldTheProviderLimit runs 4 shards at once against one
// simulated provider that allows 40 requests a window, counting at the
// server when it accepts each: with the limit divided (10 a shard) no
// window ever holds more than 40 and none is refused; with each shard
// given the whole limit, as an unsharded run has it, the provider sees
// more than 40, so the test can tell.
func TestShardsHoldTheProviderLimit(t *testing.T) {
	t.Parallel()
	const limit, shards, window = 40, 4, 2 * time.Second
	ss := pacedSuite(t, 24)
	for _, divide := range []bool{true, false} {
		srv := fixtures.New(fixtures.UseOracle(fixtures.OracleFrom(ss)), fixtures.Profiles(fixtures.Profile{
			ID: "sim-frontier", Quality: map[string]float64{fixtures.AnyTag: 1}, RPM: limit * 10, RPMWindow: window,
		}))
		hs := httptest.NewServer(srv)
		cfg := pacedConfig(t, hs.URL, limit)
		got := runShards(t, cfg, ss, shards, 3, window, divide)
		hs.Close()
		peak := fixtures.MaxInWindow(srv.Accepted("sim-frontier"), window)
		t.Logf("divided %v: %d results, at most %d requests in a window of %v", divide, got, peak, window)
		switch {
		case got != 72:
			t.Errorf("divided %v: %d results, want 72 (24 cases x 3 repeats)", divide, got)
		case divide && peak > limit:
			t.Errorf("%d shards with rpm %d/%d each sent %d requests in one window, over the provider's %d", shards, limit, shards, peak, limit)
		case !divide && peak <= limit:
			t.Errorf("the control: %d shards each at the whole limit sent at most %d in a window; the test could not tell", shards, peak)
		}
	}
}
