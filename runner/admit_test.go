package runner_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/parity-eval/parity/fixtures"
	"github.com/parity-eval/parity/runner"
	"github.com/parity-eval/parity/suites"
)

// gated serves a slow sim-frontier (one request at a time), a fast
// sim-mini (four at a time) and no-stream (two at a time), which lacks
// the streaming suite beta needs; it returns the server, a config for
// them and their concurrency.
func gated(t *testing.T, ss []*suites.Suite) (*fixtures.Server, *suites.Config, map[string]int) {
	t.Helper()
	srv, hs := fixtureServer(t, ss, fixtures.Profiles(
		fixtures.Profile{ID: "sim-frontier", Quality: map[string]float64{fixtures.AnyTag: 1}, Latency: time.Millisecond},
		fixtures.Profile{ID: "sim-mini", Quality: map[string]float64{fixtures.AnyTag: 1}},
		fixtures.Profile{ID: "no-stream", Quality: map[string]float64{fixtures.AnyTag: 1}},
	))
	cfg := loadConfig(t, hs.URL, `  - {id: sim-frontier, base_url: URL/sim-frontier/v1, model: m, limits: {concurrency: 1}, capabilities: [streaming]}
  - {id: sim-mini, base_url: URL/sim-mini/v1, model: m, limits: {concurrency: 4}, capabilities: [streaming]}
  - {id: no-stream, base_url: URL/no-stream/v1, model: m, limits: {concurrency: 2}}
`)
	return srv, cfg, map[string]int{"sim-frontier": 1, "sim-mini": 4, "no-stream": 2}
}

// TestAdmitKeepsProvidersInStep gates suite alpha after its first K
// admitted cases, with Order interleaving the suites, providers of
// different speeds and concurrency, one lacking the capability beta needs
// and a result left out by Skip. It checks that every provider was sent
// exactly the admitted cases it can serve, each with all its repeats, and
// no other; that fn was asked once per case, in the run's order, when no
// provider had been sent that case or a later one and each had been sent
// all but at most its concurrency of the earlier ones; that unsupported
// rows follow admission too; and that Withheld and WithheldRequests are
// what was planned and not reported, or counted and not sent.
func TestAdmitKeepsProvidersInStep(t *testing.T) {
	t.Parallel()
	const n, k, repeat = 12, 4, 3
	ss := numberedSuites(t, n)
	srv, cfg, conc := gated(t, ss)
	skipped := runner.Key{Suite: "beta", Case: "b00", Provider: "sim-mini", Repeat: 1}
	// sends is how many requests provider p is to be sent for case id
	// when it is admitted.
	sends := func(p, id string) int {
		switch {
		case p == "no-stream" && strings.HasPrefix(id, "b"):
			return 0
		case p == skipped.Provider && id == skipped.Case:
			return repeat - 1
		}
		return repeat
	}

	// fn is never called concurrently: the race detector would say so.
	var asked []string                    // cases in the order fn was asked
	admitted := map[string]bool{}         // fn's answer per case
	counts := map[string]map[string]int{} // per case, each provider's requests when fn was asked
	alpha := 0                            // alpha's cases admitted so far
	fn := func(suite, id string) bool {
		asked = append(asked, id)
		counts[id] = map[string]int{}
		for p := range conc {
			counts[id][p] = srv.Count(p, fixtures.EndpointChat)
		}
		admitted[id] = suite != "alpha" || alpha < k
		if admitted[id] && suite == "alpha" {
			alpha++
		}
		return admitted[id]
	}
	r := runner.New(cfg, runner.Repeat(repeat), runner.Order(11), runner.Admit(fn), runner.Skip(func(key runner.Key) bool { return key == skipped }))
	planned, requests := r.Planned(ss), r.Requests(ss)
	results := collect(r.Run(context.Background(), ss))

	if order := orderSent(t, ss, runner.Order(11))["sim-frontier"]; !slices.Equal(asked, order) {
		t.Errorf("fn asked about\n%v\nwant once per case in the run's order\n%v", asked, order)
	}
	for i, id := range asked {
		for p, c := range conc {
			want := 0
			for _, earlier := range asked[:i] {
				if admitted[earlier] {
					want += sends(p, earlier)
				}
			}
			if got := counts[id][p]; got > want || got < want-c {
				t.Errorf("asked %s (#%d): %s had been sent %d requests, want %d less at most %d in flight", id, i, p, got, want, c)
			}
		}
	}
	away := 0
	for _, ok := range admitted {
		if !ok {
			away++
		}
	}
	if alpha != k || away != n-k {
		t.Errorf("%d of alpha admitted, %d cases turned away; want %d and %d", alpha, away, k, n-k)
	}

	sent := sentCases(t, srv)
	for p := range conc {
		perCase := map[string]int{}
		for _, id := range sent[p] {
			perCase[id]++
		}
		for _, id := range asked {
			want := sends(p, id)
			if !admitted[id] {
				want = 0
			}
			if perCase[id] != want {
				t.Errorf("%s: case %s (admitted %v) sent %d times, want %d", p, id, admitted[id], perCase[id], want)
			}
		}
	}
	for _, res := range results {
		if !admitted[res.Case.ID] {
			t.Errorf("%s %s: reported, but not admitted", res.Provider.ID, res.Case.ID)
		}
		unsupported := res.Provider.ID == "no-stream" && res.Suite.Name == "beta"
		if unsupported != (res.ErrorClass == runner.ClassUnsupported) || (!unsupported && res.Failed()) {
			t.Errorf("%s %s: class %q %s", res.Provider.ID, res.Case.ID, res.ErrorClass, res.Error)
		}
	}
	if got, want := r.Withheld(), planned-len(results); got != want || got != (n-k)*3*repeat {
		t.Errorf("Withheld %d, want planned %d less reported %d = (n-k) x 3 providers x repeats = %d", got, planned, len(results), (n-k)*3*repeat)
	}
	if got, want := r.WithheldRequests(), requests-srv.Count("", fixtures.EndpointChat); got != want || got != r.Withheld() {
		t.Errorf("WithheldRequests %d, want Requests %d less sent = %d (only alpha is withheld: every provider serves it)", got, requests, want)
	}
}

// TestAdmitInterrupt checks a run under Admit still ends when cancelled:
// cancelled as fn is asked about the second case, the feeder asks no
// more, sends nothing of that case, and the channel closes having
// reported only finished results of the first.
func TestAdmitInterrupt(t *testing.T) {
	t.Parallel()
	ss := loadSuites(t)
	srv, hs := fixtureServer(t, ss, fixtures.Profiles(fixtures.Profile{ID: "sim-frontier", Quality: map[string]float64{fixtures.AnyTag: 1}}))
	cfg := loadConfig(t, hs.URL, `  - {id: sim-frontier, base_url: URL/sim-frontier/v1, model: m, limits: {concurrency: 2}, capabilities: [streaming]}
`)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var asked []string
	admit := func(_, id string) bool {
		if asked = append(asked, id); len(asked) == 2 {
			cancel()
		}
		return true
	}
	const repeat = 10
	n := 0
	for res := range runner.New(cfg, runner.Repeat(repeat), runner.Admit(admit)).Run(ctx, ss) {
		n++
		if res.Failed() || res.Case.ID != "t1" {
			t.Errorf("%s reported after the cancel: %s %s", res.Case.ID, res.ErrorClass, res.Error)
		}
	}
	if len(asked) != 2 || n < repeat-2 || n > repeat || srv.Count("", "") > repeat {
		t.Errorf("fn asked about %v; %d results, %d requests: want 2 cases asked, the first's %d results less at most 2 in flight, nothing of the second", asked, n, srv.Count("", ""), repeat)
	}
}
