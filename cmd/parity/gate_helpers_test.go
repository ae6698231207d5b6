package main

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/parity-eval/parity/results"
)

// writeResults writes rows as a results.parquet in a new run directory
// and returns the directory.
func writeResults(t *testing.T, rows []results.Row) string {
	t.Helper()
	dir := t.TempDir()
	f, err := os.Create(filepath.Join(dir, results.FileName))
	if err != nil {
		t.Fatal(err)
	}
	pw := results.NewWriter(f)
	for i := range rows {
		if err := pw.AddRow(&rows[i]); err != nil {
			t.Fatal(err)
		}
	}
	if err := pw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return dir
}

// synthRun describes the rows of a synthetic run.
type synthRun struct {
	runID   string
	started time.Time
	seed    uint64
	// quality maps provider -> suite -> the probability of a right answer
	// (pass/fail suites) or the mean score (others).
	quality map[string]map[string]float64
	cost    map[string]float64 // per row, by provider
}

// synthSuites are the suites of synthetic runs: a pass/fail suite and a
// continuous one, with their tags and case counts.
var synthSuites = []struct {
	name, tag string
	cases     int
	binary    bool
}{
	{"classify-ticket", "classify", 30, true},
	{"extract-invoice", "extract", 24, false},
}

// rows returns the run's rows: every suite's cases for every provider
// with a quality for it, deterministic for a seed.
func (s synthRun) rows() []results.Row {
	rng := rand.New(rand.NewPCG(s.seed, 7))
	var out []results.Row
	for _, su := range synthSuites {
		for i := range su.cases {
			u := rng.Float64()         // the case's difficulty, shared by the providers
			noise := rng.NormFloat64() // and its quirk
			for _, p := range []string{"base", "cand", "other"} {
				q, ok := s.quality[p][su.name]
				if !ok {
					continue
				}
				score := min(1, max(0, q+0.1*(0.5-u)+0.02*noise+0.01*rng.NormFloat64()))
				if su.binary {
					score = 0
					if u < q {
						score = 1
					}
				}
				started := s.started.Add(time.Duration(i) * time.Second)
				out = append(out, results.Row{RunID: s.runID, Suite: su.name, CaseID: fmt.Sprintf("c%02d", i),
					Tags: []string{su.tag}, Provider: p, Model: p + "-1", Score: score, Pass: score >= 0.5,
					CostUSD: s.cost[p], LatencyMS: 300 + 100*u, StartedAt: &started, Checks: "[]"})
			}
		}
	}
	return out
}
