package runner_test

import (
	"context"
	"maps"
	"testing"

	"github.com/parity-eval/parity/fixtures"
	"github.com/parity-eval/parity/runner"
)

// TestRequestsExact checks Requests counts exactly what the server
// receives, where Planned counts every result: a provider lacking the
// capability the suite needs produces unsupported rows and sends nothing,
// a provider not serving the suite's kind produces nothing, and Skip
// leaves out a result of each; with Order the counts are the same.
func TestRequestsExact(t *testing.T) {
	t.Parallel()
	ss := loadSuites(t)
	for _, opts := range [][]runner.Option{nil, {runner.Order(3)}} {
		srv, hs := fixtureServer(t, ss, fixtures.Profiles(
			fixtures.Profile{ID: "sim-frontier", Quality: map[string]float64{fixtures.AnyTag: 1}},
			fixtures.Profile{ID: "sim-mini", Quality: map[string]float64{fixtures.AnyTag: 1}},
		))
		cfg := loadConfig(t, hs.URL, `  - {id: sim-frontier, base_url: URL/sim-frontier/v1, model: m, capabilities: [streaming]}
  - {id: sim-mini, base_url: URL/sim-mini/v1, model: m, capabilities: [tools]}
  - {id: painter, base_url: URL/sim-mini/v1, model: m, capabilities: [images]}
`)
		skip := func(k runner.Key) bool { return k.Case == "t2" && k.Repeat == 0 }
		r := runner.New(cfg, append(opts, runner.Repeat(3), runner.Skip(skip))...)
		planned, requests, by := r.Planned(ss), r.Requests(ss), r.RequestsBy(ss)
		results := collect(r.Run(context.Background(), ss))
		sent := srv.Count("", fixtures.EndpointChat)
		if want := map[string]int{"sim-frontier": 11}; !maps.Equal(by, want) {
			t.Errorf("RequestsBy %v, want %v", by, want)
		}
		if planned != 22 || len(results) != planned || requests != 11 || sent != requests || srv.Count("", "") != sent {
			t.Errorf("planned %d, results %d (want 22: 4 cases x 3 repeats x 2 chat providers, less 2 skipped); Requests %d, server received %d chat of %d requests (want 11)",
				planned, len(results), requests, sent, srv.Count("", ""))
		}
	}
}
