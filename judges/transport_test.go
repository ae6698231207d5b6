package judges

import (
	"fmt"
	"net/http/httptest"
	"testing"

	"github.com/parity-eval/parity/fixtures"
	"github.com/parity-eval/parity/runner"
	"github.com/parity-eval/parity/suites"
)

// TestScorerPoolsConnections: the embedder's and the judge's calls of a
// run share one keep-alive pool sized to the scoring workers: 480 scored
// rows, each with an embedding and a rubric call, open at most that many
// connections at once (and barely more over the run), where Go's
// default of 2 idle connections a host dials for most calls.
func TestScorerPoolsConnections(t *testing.T) {
	t.Parallel()
	s := &sim{embedded: map[string]int{}}
	s.Server = fixtures.New(fixtures.OnRequest(s.count))
	conns := &fixtures.Conns{}
	hs := httptest.NewUnstartedServer(s.Server)
	hs.Config.ConnState = conns.ConnState
	hs.Start()
	t.Cleanup(hs.Close)
	s.url = hs.URL
	suite := &suites.Suite{Name: "s", Checks: []*suites.Check{spec(suites.Similarity), spec(suites.Judge)}}
	var rs []*runner.Result
	for k := range 120 {
		c := &suites.Case{ID: fmt.Sprint("c", k), Reference: fmt.Sprint("reference ", k)}
		for _, p := range []string{"base", "a", "b", "c"} {
			rs = append(rs, result(suite, c, p, 0, fmt.Sprintf("answer %d from %s", k, p)))
		}
	}
	rows := run(t, NewScorer(s.config("base", "a", "b", "c"), Workers(8)), rs...)
	if len(rows) != len(rs) {
		t.Fatalf("%d rows for %d results", len(rows), len(rs))
	}
	for _, r := range rows {
		for _, c := range r.Checks {
			if c.Error != "" {
				t.Fatalf("%s: %s", c.Name, c.Error)
			}
		}
	}
	if p := conns.Peak(); p < 1 || p > 8 {
		t.Errorf("%d connections open at once, want 1 to 8 (the scoring workers)", p)
	}
	if n := conns.Opened(); n > 8+2 {
		t.Errorf("%d connections opened for %d scoring calls, want at most 8 (+2 for a starved machine)", n, 2*len(rs))
	}
}
