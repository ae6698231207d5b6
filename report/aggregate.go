package report

import (
	"maps"

	"github.com/parity-eval/parity/stats"

	"github.com/parity-eval/parity/judges"
	"github.com/parity-eval/parity/runner"
)

// GroupStats describes the rows of one group: a provider, a suite, a
// suite×provider cell, or the whole run.
//
// Scores and pass rates count failed requests (which score 0 and fail);
// costs are averaged over every row; latency and TTFT percentiles are over
// successful requests only, so timeouts do not hide in them.
type GroupStats struct {
	// N counts rows; OK those whose request succeeded; Pass those that passed.
	N    int64 `json:"n"`
	OK   int64 `json:"ok"`
	Pass int64 `json:"pass"`
	// Errors counts failed rows by error class.
	Errors    map[runner.ErrorClass]int64 `json:"errors"`
	ErrorRate float64                     `json:"error_rate"`
	PassRate  float64                     `json:"pass_rate"`
	// MeanScore is the mean row score in [0,1]; ScoreStdErr its standard
	// error, sqrt(Var/n), 0 when n < 2. Repeats count as separate rows.
	MeanScore   float64 `json:"mean_score"`
	ScoreStdErr float64 `json:"score_std_err"`
	// CostUSD is what the providers charged; CostPerCaseUSD is CostUSD / N.
	CostUSD        float64 `json:"cost_usd"`
	CostPerCaseUSD float64 `json:"cost_per_case_usd"`
	// Cached counts rows answered from the response cache; SpentUSD is
	// what this run paid the providers: CostUSD less the cached rows'.
	Cached   int64   `json:"cached"`
	SpentUSD float64 `json:"spent_usd"`
	// ScoringCostUSD is what the embedder and the judge charged.
	ScoringCostUSD float64      `json:"scoring_cost_usd"`
	InputTokens    int64        `json:"input_tokens"`
	OutputTokens   int64        `json:"output_tokens"`
	LatencyMS      LatencyStats `json:"latency_ms"`
	TTFTMS         TTFTStats    `json:"ttft_ms"`
	// JSONChecked counts rows scored by a json_schema check; JSONValidRate
	// is the share of them whose output was valid (0 when none was).
	JSONChecked   int64   `json:"json_checked"`
	JSONValidRate float64 `json:"json_valid_rate"`
}

// LatencyStats are request latency percentiles in milliseconds over N
// successful requests (HDR histogram, three significant figures).
type LatencyStats struct {
	N   int64   `json:"n"`
	P50 float64 `json:"p50"`
	P95 float64 `json:"p95"`
	P99 float64 `json:"p99"`
}

// TTFTStats are time-to-first-token percentiles in milliseconds over the N
// successful requests that streamed.
type TTFTStats struct {
	N   int64   `json:"n"`
	P50 float64 `json:"p50"`
	P95 float64 `json:"p95"`
}

// aggregate accumulates one group's rows in constant memory.
type aggregate struct {
	n, ok, pass, cached int64
	errors              map[runner.ErrorClass]int64
	score               stats.Welford
	cost, scoringCost   float64
	spent               float64
	inTokens, outTokens int64
	latency, ttft       stats.Latency
	jsonChecked         int64
	jsonValid           int64
}

// add records one row.
func (a *aggregate) add(s *judges.Scored) {
	a.n++
	a.score.Add(s.Score)
	a.scoringCost += s.ScoringCostUSD
	if s.Pass {
		a.pass++
	}
	if s.JSONValid != nil {
		a.jsonChecked++
		if *s.JSONValid {
			a.jsonValid++
		}
	}
	if s.Result == nil {
		return
	}
	r := s.Result
	a.cost += r.CostUSD
	if r.Cached {
		a.cached++
	} else {
		a.spent += r.CostUSD
	}
	a.inTokens += int64(r.InputTokens)
	a.outTokens += int64(r.OutputTokens)
	if r.Failed() {
		if a.errors == nil {
			a.errors = map[runner.ErrorClass]int64{}
		}
		a.errors[r.ErrorClass]++
		return
	}
	a.ok++
	a.latency.Record(r.Latency)
	if r.TTFT > 0 {
		a.ttft.Record(r.TTFT)
	}
}

// stats returns a snapshot of the group.
func (a *aggregate) stats() GroupStats {
	errs := maps.Clone(a.errors)
	if errs == nil {
		errs = map[runner.ErrorClass]int64{}
	}
	return GroupStats{
		N: a.n, OK: a.ok, Pass: a.pass,
		Errors:         errs,
		ErrorRate:      ratio(a.n-a.ok, a.n),
		PassRate:       ratio(a.pass, a.n),
		MeanScore:      a.score.Mean(),
		ScoreStdErr:    a.score.StdErr(),
		CostUSD:        a.cost,
		CostPerCaseUSD: perCase(a.cost, a.n),
		Cached:         a.cached,
		SpentUSD:       a.spent,
		ScoringCostUSD: a.scoringCost,
		InputTokens:    a.inTokens,
		OutputTokens:   a.outTokens,
		LatencyMS: LatencyStats{N: a.latency.Count(),
			P50: a.latency.PercentileMS(50), P95: a.latency.PercentileMS(95), P99: a.latency.PercentileMS(99)},
		TTFTMS: TTFTStats{N: a.ttft.Count(),
			P50: a.ttft.PercentileMS(50), P95: a.ttft.PercentileMS(95)},
		JSONChecked:   a.jsonChecked,
		JSONValidRate: ratio(a.jsonValid, a.jsonChecked),
	}
}

// ratio returns k/n, 0 when n is 0.
func ratio(k, n int64) float64 {
	if n == 0 {
		return 0
	}
	return float64(k) / float64(n)
}

// perCase returns total/n, 0 when n is 0.
func perCase(total float64, n int64) float64 {
	if n == 0 {
		return 0
	}
	return total / float64(n)
}
