package gate

import (
	"errors"
	"fmt"
	"maps"
	"math"
	"slices"
	"time"
)

// HistoryOptions are the settings of `parity history`.
type HistoryOptions struct {
	// Threshold is the relative deviation from the rolling mean that flags
	// a metric (default 0.2: 20%).
	Threshold float64
	// Window is how many previous runs the rolling mean covers (default
	// 7); a run with fewer before it uses those it has, the first none.
	Window int
	// ByArguments keeps the runs in the order given instead of sorting
	// them by time.
	ByArguments bool
}

// DefaultHistoryOptions returns a 20% threshold over the previous 7 runs,
// in time order.
func DefaultHistoryOptions() HistoryOptions { return HistoryOptions{Threshold: 0.2, Window: 7} }

// The metrics history follows, as HistoryFlag.Metric names them.
const (
	HistoryScore       = "score"
	HistoryPassRate    = "pass_rate"
	HistoryCostPerCase = "cost_per_case_usd"
	HistoryP95         = "p95_latency_ms"
)

// historyMetrics lists the metrics in display order.
var historyMetrics = []string{HistoryScore, HistoryPassRate, HistoryCostPerCase, HistoryP95}

// HistoryRun is one run: where it was read from, its id and when it
// started (the earliest started_at of the rows it sent; of all its rows
// when every answer came from the cache; null when no row has one).
type HistoryRun struct {
	Path    string     `json:"path"`
	RunID   string     `json:"run_id"`
	Started *time.Time `json:"started"`
}

// HistoryPoint is one provider in one run.
type HistoryPoint struct {
	Run  int `json:"run"` // index into HistoryResult.Runs
	Rows int `json:"rows"`
	// Metrics holds the mean score, pass rate, cost per case (every row)
	// and p95 latency (successful rows; null when none) by metric name.
	Metrics map[string]NullFloat `json:"metrics"`
}

// ProviderHistory is one provider's points, in run order, for the runs
// it appears in.
type ProviderHistory struct {
	Provider string         `json:"provider"`
	Points   []HistoryPoint `json:"points"`
}

// HistoryFlag is a metric that deviates from its rolling mean by more
// than the threshold: Deviation is Value/Mean - 1 (null when the mean is
// 0), over the Previous runs before it.
type HistoryFlag struct {
	Run       int       `json:"run"`
	Provider  string    `json:"provider"`
	Metric    string    `json:"metric"`
	Value     NullFloat `json:"value"`
	Mean      NullFloat `json:"mean"`
	Deviation NullFloat `json:"deviation"`
	Previous  int       `json:"previous"`
}

// HistoryResult is every run, each provider's metrics over them, and the
// flags.
type HistoryResult struct {
	// Order is "time" (sorted by Started) or "arguments".
	Order     string            `json:"order"`
	Threshold float64           `json:"threshold"`
	Window    int               `json:"window"`
	Runs      []HistoryRun      `json:"runs"`
	Providers []ProviderHistory `json:"providers"`
	Flags     []HistoryFlag     `json:"flags"`
	Warnings  []string          `json:"warnings"`
}

// ReadHistory reads runs (results files or run directories) one at a
// time, streaming each: what stays of a run is a few numbers per
// provider, so memory grows with runs × providers, never with rows.
func ReadHistory(o HistoryOptions, paths ...string) (*HistoryResult, error) {
	if len(paths) == 0 {
		return nil, errors.New("history: no runs given")
	}
	if !(o.Threshold > 0) || o.Window < 1 {
		return nil, fmt.Errorf("history: the threshold must be above 0 and the window at least 1 run, got %v and %d", o.Threshold, o.Window)
	}
	runs := make([]*historyRun, len(paths))
	for i, p := range paths {
		hr, err := readHistoryRun(p)
		if err != nil {
			return nil, fmt.Errorf("history: %w", err)
		}
		runs[i] = hr
	}
	res := &HistoryResult{Order: "arguments", Threshold: o.Threshold, Window: o.Window, Flags: []HistoryFlag{}, Warnings: []string{}}
	if !o.ByArguments {
		if sortRunsByTime(runs) {
			res.Order = "time"
		} else {
			res.Warnings = append(res.Warnings, "a run has no started_at on any row: the runs are in the order given")
		}
	}
	res.fill(runs)
	res.flag()
	return res, nil
}

// sortRunsByTime sorts runs by start, ties in the order given; false,
// leaving them as they are, when a run has no start.
func sortRunsByTime(runs []*historyRun) bool {
	for _, r := range runs {
		if r.started.IsZero() {
			return false
		}
	}
	slices.SortStableFunc(runs, func(a, b *historyRun) int { return a.started.Compare(b.started) })
	return true
}

// fill records the runs and each provider's points, in run order.
func (res *HistoryResult) fill(runs []*historyRun) {
	byProvider := map[string][]HistoryPoint{}
	for i, r := range runs {
		hr := HistoryRun{Path: r.path, RunID: r.runID}
		if !r.started.IsZero() {
			t := r.started
			hr.Started = &t
		}
		res.Runs = append(res.Runs, hr)
		for _, p := range slices.Sorted(maps.Keys(r.points)) {
			pt := r.points[p]
			pt.Run = i
			byProvider[p] = append(byProvider[p], pt)
		}
	}
	for _, p := range slices.Sorted(maps.Keys(byProvider)) {
		res.Providers = append(res.Providers, ProviderHistory{Provider: p, Points: byProvider[p]})
	}
}

// flag compares every metric of every point with the mean of the same
// provider's previous Window points (undefined values left out).
func (res *HistoryResult) flag() {
	for _, ph := range res.Providers {
		for i, pt := range ph.Points {
			prev := ph.Points[max(0, i-res.Window):i]
			for _, m := range historyMetrics {
				if f, ok := deviation(pt.Metrics[m], prev, m, res.Threshold); ok {
					f.Run, f.Provider, f.Metric = pt.Run, ph.Provider, m
					res.Flags = append(res.Flags, f)
				}
			}
		}
	}
}

// deviation compares x with the mean of metric m over prev; a flag when
// it deviates by more than threshold.
func deviation(x NullFloat, prev []HistoryPoint, m string, threshold float64) (HistoryFlag, bool) {
	var sum float64
	n := 0
	for _, p := range prev {
		if v := p.Metrics[m]; v.Valid() {
			sum += float64(v)
			n++
		}
	}
	if n == 0 || !x.Valid() {
		return HistoryFlag{}, false
	}
	mean := sum / float64(n)
	f := HistoryFlag{Value: x, Mean: NullFloat(mean), Deviation: NullFloat(math.NaN()), Previous: n}
	if mean == 0 {
		return f, x != 0
	}
	dev := float64(x)/mean - 1
	f.Deviation = NullFloat(dev)
	return f, math.Abs(dev) > threshold
}
