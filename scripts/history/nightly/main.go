// Command nightly writes a month of simulated nightly runs with parity's
// own report writer, each into DIR/out/RUN_ID (results.parquet with its
// manifest, summary.json...), for the history test to publish and query
// with DuckDB. Usage: go run ./scripts/history/nightly DIR
//
// 30 days from 2026-10-01, two runs a day: one at 02:00 UTC and one at
// 23:59:50 UTC whose rows pass midnight (its date is still its start
// day). Two providers, two suites of 20 cases. Every rate is exact, not
// drawn: sim-b's classify pass rate falls from 18/20 to 10/20 on
// 2026-10-21; sim-a's failures triple on 2026-10-11; sim-a's latency
// doubles from 2026-10-26. DIR/expect.json says so for the test.
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/parity-eval/parity/judges"
	"github.com/parity-eval/parity/report"
	"github.com/parity-eval/parity/runner"
	"github.com/parity-eval/parity/suites"
)

const (
	days  = 30
	cases = 20
)

var (
	first = time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC)
	// The events the queries must show, as day indexes from first.
	degradedFrom, spikeDay, slowFrom = 20, 10, 25
	// starts are the two runs' start times within a day.
	starts = []time.Duration{2 * time.Hour, 24*time.Hour - 10*time.Second}
)

// expect is what the test is told of the simulation.
type expect struct {
	Runs     []expectRun `json:"runs"`
	Degraded event       `json:"degraded"`
	Spike    event       `json:"spike"`
	Slow     event       `json:"slow"`
}

type expectRun struct {
	RunID string `json:"run_id"`
	Date  string `json:"date"`
}

type event struct {
	Provider string `json:"provider"`
	Suite    string `json:"suite,omitempty"`
	Date     string `json:"date"`
}

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: nightly DIR")
		os.Exit(2)
	}
	if err := write(os.Args[1]); err != nil {
		fmt.Fprintln(os.Stderr, "nightly:", err)
		os.Exit(1)
	}
}

// write writes every run and expect.json into dir.
func write(dir string) error {
	a := &suites.Provider{ID: "sim-a", Endpoint: suites.Endpoint{Model: "a-1", Price: suites.Price{Input: 1, Output: 2}}}
	b := &suites.Provider{ID: "sim-b", Endpoint: suites.Endpoint{Model: "b-1", Price: suites.Price{Input: 0.1, Output: 0.2}}}
	cfg := &suites.Config{Providers: []*suites.Provider{a, b}, Baseline: a.ID, Routing: suites.Routing{Tolerance: 0.05, MaxFallbacks: 1}}
	ss := []*suites.Suite{{Name: "classify-ticket", Tags: []string{"classify", "support"}}, {Name: "extract-invoice", Tags: []string{"extract"}}}
	day := func(d int) string { return first.AddDate(0, 0, d).Format("2006-01-02") }
	ex := expect{Degraded: event{"sim-b", "classify-ticket", day(degradedFrom)}, Spike: event{"sim-a", "", day(spikeDay)}, Slow: event{"sim-a", "", day(slowFrom)}}
	for d := range days {
		for slot, off := range starts {
			start := first.AddDate(0, 0, d).Add(off)
			id := start.Format("20060102T150405Z")
			if err := writeRun(filepath.Join(dir, "out", id), cfg, ss, id, start, d, slot); err != nil {
				return fmt.Errorf("run %s: %w", id, err)
			}
			ex.Runs = append(ex.Runs, expectRun{id, day(d)})
		}
	}
	b2, err := json.MarshalIndent(ex, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, "expect.json"), b2, 0o644)
}

// writeRun writes one run of every case of every suite to every provider.
func writeRun(out string, cfg *suites.Config, ss []*suites.Suite, id string, start time.Time, d, slot int) error {
	w, err := report.NewWriter(out, cfg, id, report.WithStarted(start), report.WithClock(func() time.Time { return start }))
	if err != nil {
		return err
	}
	n := 0
	for _, s := range ss {
		for _, p := range cfg.Providers {
			fails := 0
			for i := range cases {
				sc := result(s, p, d, slot, i, &fails)
				sc.Result.RunID, sc.Result.Started = id, start.Add(time.Duration(n)*time.Second)
				n++
				if err := w.Add(sc); err != nil {
					w.Close()
					return err
				}
			}
		}
	}
	w.SetPlanned(n)
	return w.Close()
}

// result is case i of suite s answered by p on day d: it passes when its
// place in the day's order is below the pass count, so exactly that many
// pass; the first failing cases of sim-a are request failures instead.
func result(s *suites.Suite, p *suites.Provider, d, slot, i int, fails *int) *judges.Scored {
	c := &suites.Case{ID: fmt.Sprintf("c%02d", i)}
	in, out := 100+i, 20
	res := &runner.Result{Suite: s, Case: c, Provider: p, Output: "ok", FinishReason: "stop", Attempts: 1,
		InputTokens: in, OutputTokens: out, CostUSD: p.Price.Cost(in, out), Latency: latency(p, s, d, i), TTFT: 50 * time.Millisecond}
	pass := (7*i+d+3*slot)%cases < passCount(p.ID, s.Name, d)
	score := 0.4
	if pass {
		score = 0.9
	}
	if !pass {
		*fails++
		if p.ID == "sim-a" && *fails <= failures(s.Name, d) {
			res.Output, res.FinishReason, res.ErrorClass, res.Error, res.CostUSD = "", "", runner.ClassServer, "503 Service Unavailable", 0
			score = 0
		}
	}
	return &judges.Scored{Result: res, Score: score, Pass: pass, Checks: []judges.CheckScore{{Name: "exact", Type: "exact", Score: score, Raw: score, Pass: pass}}}
}

// passCount is how many of a suite's cases p passes on day d.
func passCount(p, suite string, d int) int {
	switch {
	case p == "sim-b" && suite == "classify-ticket" && d >= degradedFrom:
		return 10
	case p == "sim-b" && suite == "classify-ticket":
		return 18
	case p == "sim-b":
		return 15
	case suite == "classify-ticket":
		return 17
	}
	return 16
}

// failures is how many of sim-a's failing cases of a suite are request
// failures on day d.
func failures(suite string, d int) int {
	switch {
	case d == spikeDay:
		return 3
	case suite == "extract-invoice":
		return 2
	}
	return 0
}

// latency is the answer's latency: sim-a slower on extract, and twice as
// slow from slowFrom on.
func latency(p *suites.Provider, s *suites.Suite, d, i int) time.Duration {
	ms := 100 + 5*i
	if p.ID == "sim-a" {
		ms = 200 + 10*i
		if s.Name == "extract-invoice" {
			ms += 50
		}
		if d >= slowFrom {
			ms *= 2
		}
	}
	return time.Duration(ms) * time.Millisecond
}
