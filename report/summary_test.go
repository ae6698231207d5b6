package report

import (
	"bytes"
	"encoding/json"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/parity-eval/parity/internal/testkit"
	"github.com/parity-eval/parity/results"
	"github.com/parity-eval/parity/runner"

	"github.com/parity-eval/parity/suites"
)

func TestSummaryProviders(t *testing.T) {
	t.Parallel()
	s := NewSummary("run-test")
	for _, r := range testkit.SummaryRows() {
		s.Add(r)
	}
	frontierCost, miniCost := testkit.Frontier.Price.Cost(100, 20), testkit.Mini.Price.Cost(100, 20)
	want := map[string]GroupStats{
		"sim-frontier": {N: 4, OK: 4, Pass: 3, Errors: map[runner.ErrorClass]int64{}, PassRate: 0.75,
			MeanScore: 0.725, ScoreStdErr: stdErrOf(1, 0.9, 1, 0),
			CostUSD: 4 * frontierCost, CostPerCaseUSD: frontierCost, InputTokens: 400, OutputTokens: 80,
			LatencyMS: LatencyStats{N: 4, P50: 800, P95: 1200, P99: 1200}, TTFTMS: TTFTStats{N: 3, P50: 120, P95: 120}},
		"sim-mini": {N: 4, OK: 4, Pass: 3, Errors: map[runner.ErrorClass]int64{}, PassRate: 0.75,
			MeanScore: 0.8, ScoreStdErr: stdErrOf(0.9, 0.9, 1, 0.4),
			CostUSD: 4 * miniCost, CostPerCaseUSD: miniCost, InputTokens: 400, OutputTokens: 80,
			LatencyMS: LatencyStats{N: 4, P50: 800, P95: 800, P99: 800}, TTFTMS: TTFTStats{N: 4, P50: 120, P95: 120}},
		"sim-flaky": {N: 4, OK: 1, Pass: 1, Errors: map[runner.ErrorClass]int64{"rate_limit": 1, "timeout": 2},
			ErrorRate: 0.75, PassRate: 0.25, MeanScore: 0.25, ScoreStdErr: stdErrOf(1, 0, 0, 0),
			CostUSD: testkit.Flaky.Price.Cost(100, 20), CostPerCaseUSD: testkit.Flaky.Price.Cost(100, 20) / 4, InputTokens: 100, OutputTokens: 20,
			LatencyMS: LatencyStats{N: 1, P50: 800, P95: 800, P99: 800}, TTFTMS: TTFTStats{N: 1, P50: 120, P95: 120}},
	}
	got := s.Providers()
	if len(got) != 3 || got[0].Provider != "sim-flaky" || got[1].Provider != "sim-frontier" || got[2].Provider != "sim-mini" {
		t.Fatalf("providers not sorted: %+v", got)
	}
	for _, p := range got {
		if p.Model != map[string]string{"sim-flaky": "flaky/v2:latest", "sim-frontier": "frontier-1", "sim-mini": "mini-1"}[p.Provider] {
			t.Errorf("%s: model %q", p.Provider, p.Model)
		}
		if !statsEqual(p.GroupStats, want[p.Provider]) {
			t.Errorf("%s:\ngot  %+v\nwant %+v", p.Provider, p.GroupStats, want[p.Provider])
		}
	}
}

// stdErrOf computes the standard error of the mean the two-pass way.
func stdErrOf(xs ...float64) float64 {
	var sum, ss float64
	for _, x := range xs {
		sum += x
	}
	mean := sum / float64(len(xs))
	for _, x := range xs {
		ss += (x - mean) * (x - mean)
	}
	return math.Sqrt(ss / float64(len(xs)-1) / float64(len(xs)))
}

// statsEqual compares group statistics, floats approximately.
func statsEqual(a, b GroupStats) bool {
	fa, fb := []float64{a.ErrorRate, a.PassRate, a.MeanScore, a.ScoreStdErr, a.CostUSD, a.CostPerCaseUSD, a.ScoringCostUSD},
		[]float64{b.ErrorRate, b.PassRate, b.MeanScore, b.ScoreStdErr, b.CostUSD, b.CostPerCaseUSD, b.ScoringCostUSD}
	for i := range fa {
		if !approx(fa[i], fb[i]) {
			return false
		}
	}
	ja, _ := json.Marshal(a.Errors)
	jb, _ := json.Marshal(b.Errors)
	return a.N == b.N && a.OK == b.OK && a.Pass == b.Pass && string(ja) == string(jb) &&
		a.InputTokens == b.InputTokens && a.OutputTokens == b.OutputTokens &&
		a.LatencyMS == b.LatencyMS && a.TTFTMS == b.TTFTMS
}

func TestSummaryGroups(t *testing.T) {
	t.Parallel()
	s := NewSummary("run-test")
	for _, r := range testkit.SummaryRows() {
		s.Add(r)
	}
	suitesGot := s.Suites()
	if len(suitesGot) != 2 || suitesGot[0].Suite != "classify-sentiment" || suitesGot[0].N != 6 || suitesGot[1].N != 6 {
		t.Errorf("suites: %+v", suitesGot)
	}
	cells := s.SuiteProviders()
	if len(cells) != 6 || cells[0].Suite != "classify-sentiment" || cells[0].Provider != "sim-flaky" || cells[0].ErrorRate != 1 {
		t.Errorf("suite×provider: %+v", cells[0])
	}
	// classify has two tags, so each of its rows counts under both.
	var tags []string
	for _, ts := range s.Tags() {
		tags = append(tags, ts.Tag+"/"+ts.Provider)
	}
	want := "[classify/sim-flaky classify/sim-frontier classify/sim-mini extract/sim-flaky extract/sim-frontier extract/sim-mini short/sim-flaky short/sim-frontier short/sim-mini]"
	if got := fmtSlice(tags); got != want {
		t.Errorf("tags %s, want %s", got, want)
	}
	tot := s.Totals()
	if tot.N != 12 || tot.OK != 9 || tot.Pass != 7 || tot.Errors["timeout"] != 2 {
		t.Errorf("totals %+v", tot)
	}
	first, last := s.Span()
	if !first.Equal(testkit.T0) || !last.Equal(testkit.T0.Add(time.Minute+800*time.Millisecond)) {
		t.Errorf("span %v – %v", first, last)
	}
}

// fmtSlice prints a slice of strings.
func fmtSlice(xs []string) string { return "[" + strings.Join(xs, " ") + "]" }

func TestSummaryUntagged(t *testing.T) {
	t.Parallel()
	s := NewSummary("r")
	s.Add(testkit.Scored(&suites.Suite{Name: "bare"}, testkit.Case("c", nil), testkit.Mini, 1))
	if ts := s.Tags(); len(ts) != 1 || ts[0].Tag != results.UntaggedTag || ts[0].N != 1 {
		t.Errorf("tags %+v", ts)
	}
}

func TestSummaryComplete(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name        string
		planned     int
		rows        int
		interrupted bool
		want        bool
	}{
		{"all planned rows arrived", 3, 3, false, true},
		{"rows missing", 3, 2, false, false},
		{"interrupted after every row", 3, 3, true, false},
		{"nothing planned", 0, 2, false, true},
		{"interrupted, nothing planned", 0, 0, true, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := NewSummary("r")
			s.SetPlanned(tt.planned)
			if tt.interrupted {
				s.SetInterrupted()
			}
			for range tt.rows {
				s.Add(testkit.Scored(testkit.Extract, testkit.Case("c", nil), testkit.Mini, 1))
			}
			if s.Complete() != tt.want {
				t.Errorf("Complete() = %v, want %v", s.Complete(), tt.want)
			}
			if s.Done() != int64(tt.rows) || s.Planned() != int64(tt.planned) {
				t.Errorf("done %d planned %d", s.Done(), s.Planned())
			}
		})
	}
}

func TestSummaryJSON(t *testing.T) {
	t.Parallel()
	s := NewSummary("run-test")
	s.SetPlanned(12)
	for _, r := range testkit.SummaryRows() {
		s.Add(r)
	}
	var buf bytes.Buffer
	if err := s.WriteJSON(&buf); err != nil {
		t.Fatal(err)
	}
	testkit.Golden(t, "summary.golden.json", buf.Bytes())
	var back map[string]any
	if err := json.Unmarshal(buf.Bytes(), &back); err != nil {
		t.Fatal(err)
	}
	if back["complete"] != true || back["done"] != 12.0 || back["schema_version"] != 1.0 {
		t.Errorf("header: complete=%v done=%v", back["complete"], back["done"])
	}
}

// approx reports whether a and b agree to 1e-9 relative.
func approx(a, b float64) bool {
	return math.Abs(a-b) <= 1e-9*math.Max(1, math.Max(math.Abs(a), math.Abs(b)))
}
