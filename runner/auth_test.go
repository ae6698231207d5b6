package runner_test

import (
	"context"
	"strings"
	"testing"

	"github.com/parity-eval/parity/fixtures"
	"github.com/parity-eval/parity/runner"
)

// TestWrongKeyStopsSending runs 4 cases x 10 repeats against a provider
// that answers 401 to every request (the fixture wants another key) at a
// concurrency of 3: the first 401 puts the provider down, so the server
// sees at most 3 chat requests (those in flight when the first refusal
// came back), never the 40 of the plan, and every row is of the class
// auth with the provider's message. A second provider with the right key
// is not affected.
func TestWrongKeyStopsSending(t *testing.T) {
	t.Parallel()
	const concurrency = 3
	ss := loadSuites(t)
	srv, hs := fixtureServer(t, ss, fixtures.Profiles(
		fixtures.Profile{ID: "sim-frontier", Quality: map[string]float64{fixtures.AnyTag: 1}, APIKey: "sk-the-right-one"},
		fixtures.Profile{ID: "ok", Quality: map[string]float64{fixtures.AnyTag: 1}},
	))
	cfg := loadConfig(t, hs.URL, `  - {id: sim-frontier, base_url: URL/sim-frontier/v1, model: m, api_key_env: SIM_KEY, limits: {concurrency: 3}, capabilities: [streaming]}
  - {id: ok, base_url: URL/ok/v1, model: m, capabilities: [streaming]}
`)
	results := collect(runner.New(cfg, runner.Repeat(10)).Run(context.Background(), ss))
	if len(results) != 80 {
		t.Fatalf("%d results, want 80 (every planned row is reported)", len(results))
	}
	if n := srv.Count("sim-frontier", fixtures.EndpointChat); n < 1 || n > concurrency {
		t.Errorf("the provider with a wrong key got %d chat requests, want 1 to %d", n, concurrency)
	}
	for _, r := range results {
		if r.Provider.ID == "ok" {
			if r.Failed() {
				t.Errorf("the healthy provider failed: %s %s", r.ErrorClass, r.Error)
			}
			continue
		}
		if r.ErrorClass != runner.ClassAuth || !strings.Contains(r.Error, "Incorrect API key provided") {
			t.Errorf("%s/%d: %q %q, want auth with the provider's message", r.Case.ID, r.Repeat, r.ErrorClass, r.Error)
		}
		if r.Attempts > 1 {
			t.Errorf("%s/%d: %d attempts: an auth failure is not retried", r.Case.ID, r.Repeat, r.Attempts)
		}
	}
}
