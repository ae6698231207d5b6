package gate

import (
	"math"
	"strings"
	"time"

	"github.com/parity-eval/parity/results"
	"github.com/parity-eval/parity/stats"
)

// historyRun is what history keeps of one run: each provider's point
// (its Run set once the runs are ordered), a few numbers, the tallies and
// their histograms dropped once the run is read.
type historyRun struct {
	path, runID string
	started     time.Time
	points      map[string]HistoryPoint
}

// historyTally accumulates one provider's rows of one run in constant
// memory (latency percentiles from an HDR histogram).
type historyTally struct {
	rows, pass int
	score      float64
	cost       float64
	latency    stats.Latency
}

// point returns the tally's metrics.
func (t *historyTally) point() HistoryPoint {
	n := float64(t.rows)
	p95 := math.NaN()
	if t.latency.Count() > 0 {
		p95 = t.latency.PercentileMS(95)
	}
	return HistoryPoint{Rows: t.rows, Metrics: map[string]NullFloat{
		HistoryScore: NullFloat(t.score / n), HistoryPassRate: NullFloat(float64(t.pass) / n),
		HistoryCostPerCase: NullFloat(t.cost / n), HistoryP95: NullFloat(p95),
	}}
}

// readHistoryRun streams one run into per-provider tallies and keeps
// their points.
func readHistoryRun(path string) (*historyRun, error) {
	hr := &historyRun{path: path, points: map[string]HistoryPoint{}}
	tallies := map[string]*historyTally{}
	var sent, any time.Time
	err := results.ReadRows(path, func(r *results.Row) error {
		if hr.runID == "" {
			hr.runID = strings.Clone(r.RunID)
		}
		if r.StartedAt != nil {
			any = earliest(any, *r.StartedAt)
			if !r.Cached {
				sent = earliest(sent, *r.StartedAt)
			}
		}
		t := tallies[r.Provider]
		if t == nil {
			t = &historyTally{}
			tallies[strings.Clone(r.Provider)] = t
		}
		t.add(r)
		return nil
	})
	hr.started = sent
	if sent.IsZero() {
		hr.started = any
	}
	for p, t := range tallies {
		hr.points[p] = t.point()
	}
	return hr, err
}

// add records one row.
func (t *historyTally) add(r *results.Row) {
	t.rows++
	t.score += r.Score
	t.cost += r.CostUSD
	if r.Pass {
		t.pass++
	}
	if r.ErrorClass == "" {
		t.latency.Record(time.Duration(r.LatencyMS * float64(time.Millisecond)))
	}
}

// earliest returns the earlier of a (zero: none yet) and b.
func earliest(a, b time.Time) time.Time {
	if a.IsZero() || b.Before(a) {
		return b
	}
	return a
}
