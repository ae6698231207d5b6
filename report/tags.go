package report

import (
	"github.com/parity-eval/parity/judges"
	"github.com/parity-eval/parity/results"
	"github.com/parity-eval/parity/stats"
)

// TagStats describes one provider's rows on the suites with one tag; the
// routing rules are chosen from them.
type TagStats struct {
	Tag      string `json:"tag"`
	Provider string `json:"provider"`
	Model    string `json:"model"`
	N        int64  `json:"n"`
	// MeanScore is the mean row score in [0,1], failed requests scoring 0;
	// StdErr its standard error (Welford), 0 when n < 2.
	MeanScore float64 `json:"mean_score"`
	StdErr    float64 `json:"std_err"`
	// CostPerCaseUSD is the mean provider cost of a row.
	CostPerCaseUSD float64 `json:"cost_per_case_usd"`
	// ErrorRate is the share of rows whose request failed.
	ErrorRate float64 `json:"error_rate"`
}

// tagAggregate accumulates one tag×provider group in constant memory.
type tagAggregate struct {
	n, errors int64
	score     stats.Welford
	cost      float64
}

// add records one row.
func (t *tagAggregate) add(s *judges.Scored) {
	t.n++
	t.score.Add(s.Score)
	if s.Result != nil {
		t.cost += s.Result.CostUSD
	}
	if results.Failed(s) {
		t.errors++
	}
}

// stats returns the group's snapshot.
func (t *tagAggregate) stats(tag, provider, model string) TagStats {
	return TagStats{
		Tag: tag, Provider: provider, Model: model,
		N:              t.n,
		MeanScore:      t.score.Mean(),
		StdErr:         t.score.StdErr(),
		CostPerCaseUSD: perCase(t.cost, t.n),
		ErrorRate:      ratio(t.errors, t.n),
	}
}
