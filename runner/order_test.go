package runner_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/parity-eval/parity/internal/testkit"

	"github.com/parity-eval/parity/fixtures"
	"github.com/parity-eval/parity/runner"
	"github.com/parity-eval/parity/suites"
)

// numberedSuites writes and loads suites alpha and beta of n cases each
// (a00..., b00...), beta needing streaming; each case's prompt is its id,
// so a request says which case it is (see sentCases).
func numberedSuites(t *testing.T, n int) []*suites.Suite {
	t.Helper()
	dir := t.TempDir()
	var paths []string
	for _, s := range []struct{ name, prefix, needs string }{{"alpha", "a", "[]"}, {"beta", "b", "[streaming]"}} {
		var b strings.Builder
		fmt.Fprintf(&b, "name: %s\ntags: [classify]\nneeds: %s\nrequest: {temperature: 0}\nprompt:\n  user: \"{{.id}}\"\ncases:\n", s.name, s.needs)
		for i := range n {
			id := fmt.Sprintf("%s%02d", s.prefix, i)
			fmt.Fprintf(&b, "  - {id: %s, vars: {id: %s}, reference: ok}\n", id, id)
		}
		path := filepath.Join(dir, s.name+".yaml")
		if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, path)
	}
	ss, err := suites.Load(paths...)
	if err != nil {
		t.Fatal(err)
	}
	return ss
}

// sentCases returns, per provider, the case of each chat request the
// server received, in the order they arrived.
func sentCases(t *testing.T, srv *fixtures.Server) map[string][]string {
	t.Helper()
	out := map[string][]string{}
	for _, rec := range srv.Requests() {
		if rec.Endpoint != fixtures.EndpointChat {
			continue
		}
		var body struct {
			Messages []struct {
				Content string `json:"content"`
			} `json:"messages"`
		}
		if err := json.Unmarshal(rec.Body, &body); err != nil || len(body.Messages) == 0 {
			t.Fatalf("request body %s: %v", rec.Body, err)
		}
		out[rec.Provider] = append(out[rec.Provider], body.Messages[len(body.Messages)-1].Content)
	}
	return out
}

// twoSerial serves sim-frontier and sim-mini, each answering every case,
// and returns the server and a config sending to each one request at a
// time, so the server sees each provider's requests in the order sent.
func twoSerial(t *testing.T, ss []*suites.Suite) (*fixtures.Server, *suites.Config) {
	t.Helper()
	prof := func(id string) fixtures.Profile {
		return fixtures.Profile{ID: id, Quality: map[string]float64{fixtures.AnyTag: 1}}
	}
	srv, hs := fixtureServer(t, ss, fixtures.Profiles(prof("sim-frontier"), prof("sim-mini")))
	cfg := loadConfig(t, hs.URL, `  - {id: sim-frontier, base_url: URL/sim-frontier/v1, model: m, limits: {concurrency: 1}, capabilities: [streaming]}
  - {id: sim-mini, base_url: URL/sim-mini/v1, model: m, limits: {concurrency: 1}, capabilities: [streaming]}
`)
	return srv, cfg
}

// orderSent runs ss twice per case on twoSerial's providers with opts and
// returns the order of cases each provider was sent, after checking a
// case's two repeats went out one after the other.
func orderSent(t *testing.T, ss []*suites.Suite, opts ...runner.Option) map[string][]string {
	t.Helper()
	srv, cfg := twoSerial(t, ss)
	results := collect(runner.New(cfg, append(opts, runner.Repeat(2))...).Run(context.Background(), ss))
	if len(results) != 2*2*suites.CountCases(ss) {
		t.Fatalf("%d results", len(results))
	}
	order := map[string][]string{}
	for p, sent := range sentCases(t, srv) {
		for i := 0; i < len(sent); i += 2 {
			if i+1 >= len(sent) || sent[i+1] != sent[i] {
				t.Fatalf("%s: a case's repeats are not consecutive: %v", p, sent)
			}
			order[p] = append(order[p], sent[i])
		}
	}
	return order
}

// TestOrder checks Order's seeded order on the wire: the same for both
// providers and for the same seed, another for another seed, a
// permutation of every case that interleaves the suites; and that
// without Order the work goes by suite and case.
func TestOrder(t *testing.T) {
	t.Parallel()
	ss := numberedSuites(t, 10)
	var byID []string
	for _, s := range ss {
		for _, c := range testkit.Cases(t, s) {
			byID = append(byID, c.ID)
		}
	}
	runs := map[string]map[string][]string{
		"default": orderSent(t, ss), "7": orderSent(t, ss, runner.Order(7)),
		"7 again": orderSent(t, ss, runner.Order(7)), "8": orderSent(t, ss, runner.Order(8)),
	}
	for name, order := range runs {
		if !slices.Equal(order["sim-frontier"], order["sim-mini"]) {
			t.Errorf("%s: the providers went different ways:\n%v\n%v", name, order["sim-frontier"], order["sim-mini"])
		}
		if got := slices.Sorted(slices.Values(order["sim-frontier"])); !slices.Equal(got, byID) {
			t.Errorf("%s: not a permutation of the cases: %v", name, order["sim-frontier"])
		}
	}
	seven := runs["7"]["sim-frontier"]
	switch {
	case !slices.Equal(runs["default"]["sim-frontier"], byID):
		t.Errorf("without Order: %v, want by suite and case", runs["default"]["sim-frontier"])
	case !slices.Equal(runs["7 again"]["sim-frontier"], seven):
		t.Errorf("seed 7 twice: %v, then %v", seven, runs["7 again"]["sim-frontier"])
	case slices.Equal(runs["8"]["sim-frontier"], seven):
		t.Errorf("seeds 7 and 8 give the same order %v", seven)
	case slices.Equal(seven, byID):
		t.Errorf("seed 7 left the order as it was")
	}
	// Interleaved: each half of the run holds cases of both suites.
	for _, half := range [][]string{seven[:10], seven[10:]} {
		if a := strings.Count(strings.Join(half, ""), "a"); a == 0 || a == len(half) {
			t.Errorf("seed 7: a half of the run is one suite: %v", half)
		}
	}
}
