package judges

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/parity-eval/parity/runner"
	"github.com/parity-eval/parity/suites"
)

// baselineSuite compares with the baseline and checks a label.
func baselineSuite() *suites.Suite {
	return &suites.Suite{Name: "s", Checks: []*suites.Check{
		spec(suites.Similarity, func(c *suites.Check) { c.Against = AgainstBaseline }),
		spec(suites.Regex, func(c *suites.Check) { c.Pattern = `answer` }),
	}}
}

func TestPairing(t *testing.T) {
	t.Parallel()
	c := &suites.Case{ID: "c1"}
	tests := []struct {
		name    string
		results func(s *suites.Suite) []*runner.Result
		// wantErr maps a provider to the prefix of its similarity error ("" for none).
		wantErr map[string]string
	}{
		// The baseline arrives last: the others waited and still pair.
		{name: "baseline last", results: func(s *suites.Suite) []*runner.Result {
			return []*runner.Result{result(s, c, "a", 0, "an answer"), result(s, c, "b", 0, "the answer"), result(s, c, "base", 0, "the answer")}
		}, wantErr: map[string]string{"a": "", "b": "", "base": ""}},
		// The baseline arrives first: the others pair on arrival.
		{name: "baseline first", results: func(s *suites.Suite) []*runner.Result {
			return []*runner.Result{result(s, c, "base", 0, "the answer"), result(s, c, "a", 0, "an answer"), result(s, c, "b", 0, "the answer")}
		}, wantErr: map[string]string{"a": "", "b": "", "base": ""}},
		// The baseline failed: the similarity check records it, the row completes.
		{name: "baseline failed", results: func(s *suites.Suite) []*runner.Result {
			return []*runner.Result{result(s, c, "a", 0, "an answer"), failedResult(s, c, "base", 0), result(s, c, "b", 0, "the answer")}
		}, wantErr: map[string]string{"a": "baseline has no output", "b": "baseline has no output", "base": "-"}},
		// The baseline never came: closing the input flushes the waiters.
		{name: "baseline missing", results: func(s *suites.Suite) []*runner.Result {
			return []*runner.Result{result(s, c, "a", 0, "an answer"), result(s, c, "b", 0, "the answer")}
		}, wantErr: map[string]string{"a": "baseline has no output", "b": "baseline has no output"}},
		// Another repeat's baseline does not pair.
		{name: "other repeat", results: func(s *suites.Suite) []*runner.Result {
			return []*runner.Result{result(s, c, "a", 0, "an answer"), result(s, c, "base", 1, "the answer")}
		}, wantErr: map[string]string{"a": "baseline has no output", "base": ""}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := startSim(t)
			rows := byProvider(run(t, NewScorer(srv.config("base", "a", "b")), tt.results(baselineSuite())...))
			if len(rows) != len(tt.wantErr) {
				t.Fatalf("%d rows, want %d", len(rows), len(tt.wantErr))
			}
			for p, want := range tt.wantErr {
				r := rows[p]
				if want == "-" { // a failed request: not scored
					if r.Checks != nil || r.Pass || r.Score != 0 {
						t.Errorf("%s: failed request scored: %+v", p, r)
					}
					continue
				}
				sim := r.Checks[0]
				if !strings.HasPrefix(sim.Error, want) || (want == "") != (sim.Error == "") {
					t.Errorf("%s: similarity %+v, want error %q", p, sim, want)
				}
				if want != "" && (r.Pass || r.Similarity != nil) {
					t.Errorf("%s: row passes without a baseline: %+v", p, r)
				}
			}
			if b, ok := rows["base"]; ok && b.Checks != nil && (b.Checks[0].Raw != 1 || !strings.Contains(b.Checks[0].Detail, "itself")) {
				t.Errorf("baseline's own row: %+v", b.Checks[0])
			}
			if b, ok := rows["b"]; ok && tt.wantErr["b"] == "" && *b.Similarity < 0.999 {
				t.Errorf("b answered like the baseline: similarity %v", *b.Similarity)
			}
		})
	}
}

// TestPairingReleases: an entry is dropped once every provider's result
// for its key went to scoring, and kept (then flushed) otherwise.
func TestPairingReleases(t *testing.T) {
	t.Parallel()
	s := baselineSuite()
	p := newPairing(&suites.Config{Baseline: "base", Providers: []*suites.Provider{{ID: "base"}, {ID: "a"}, {ID: "b"}}})
	var scored []string
	score := func(r, b *runner.Result) {
		scored = append(scored, fmt.Sprintf("%s/%d<%v", r.Provider.ID, r.Repeat, b != nil))
	}
	for k := range 100 {
		c := &suites.Case{ID: fmt.Sprint("c", k)}
		p.add(result(s, c, "a", 0, "x"), score)
		p.add(result(s, c, "base", 0, "x"), score)
		p.add(failedResult(s, c, "b", 0), score)
	}
	if len(p.entries) != 0 || len(scored) != 300 {
		t.Fatalf("%d entries held, %d scored; want 0 and 300", len(p.entries), len(scored))
	}
	p.add(result(s, &suites.Case{ID: "late"}, "a", 0, "x"), score)
	if len(p.entries) != 1 || len(scored) != 300 {
		t.Fatalf("a result waiting for its baseline: %d entries, %d scored", len(p.entries), len(scored))
	}
	p.flush(score)
	if len(p.entries) != 0 || scored[300] != "a/0<false" {
		t.Fatalf("flush: %d entries, last scored %v", len(p.entries), scored[len(scored)-1])
	}
}

// TestEveryInputOnce: a shuffled stream of many results, some failed,
// comes out with every result exactly once.
func TestEveryInputOnce(t *testing.T) {
	t.Parallel()
	srv := startSim(t)
	s := baselineSuite()
	providers := []string{"base", "a", "b", "c"}
	var rs []*runner.Result
	for k := range 30 {
		c := &suites.Case{ID: fmt.Sprint("c", k)}
		for rep := range 2 {
			for i, p := range providers {
				if (k+rep+i)%7 == 0 {
					rs = append(rs, failedResult(s, c, p, rep))
				} else {
					rs = append(rs, result(s, c, p, rep, fmt.Sprintf("answer %d", k%4)))
				}
			}
		}
	}
	rng := rand.New(rand.NewPCG(1, 2))
	rng.Shuffle(len(rs), func(i, j int) { rs[i], rs[j] = rs[j], rs[i] })
	rows := run(t, NewScorer(srv.config(providers...), Workers(4)), rs...)
	seen := map[*runner.Result]int{}
	for _, r := range rows {
		seen[r.Result]++
	}
	for _, r := range rs {
		if seen[r] != 1 {
			t.Fatalf("result %s/%s/%d sent %d times", r.Provider.ID, r.Case.ID, r.Repeat, seen[r])
		}
	}
	if len(rows) != len(rs) {
		t.Fatalf("%d rows for %d results", len(rows), len(rs))
	}
}

// TestFailedRequestNotScored: a failed request scores 0 and fails without
// any scoring call.
func TestFailedRequestNotScored(t *testing.T) {
	t.Parallel()
	srv := startSim(t)
	s := &suites.Suite{Name: "s", Checks: []*suites.Check{spec(suites.Similarity), spec(suites.Judge), spec(suites.Contains)}}
	rows := run(t, NewScorer(srv.config("p")), failedResult(s, &suites.Case{ID: "c", Reference: "r"}, "p", 0))
	if len(rows) != 1 || rows[0].Score != 0 || rows[0].Pass || rows[0].Checks != nil || rows[0].ScoringCostUSD != 0 {
		t.Fatalf("got %+v", rows[0])
	}
	if n := srv.Count("", ""); n != 0 {
		t.Errorf("%d scoring requests for a failed result", n)
	}
}

// panicker is a check that panics.
type panicker struct{}

func (panicker) Score(context.Context, *Input) CheckScore { panic("boom") }

// TestPanickingCheck: a panicking check is recorded on its row; the other
// checks score and the run goes on.
func TestPanickingCheck(t *testing.T) {
	t.Parallel()
	srv := startSim(t)
	sc := NewScorer(srv.config("p"))
	sc.newJudge = func(c *suites.Check, env Env) Judge {
		if c.Type == suites.Regex {
			return panicker{}
		}
		return New(c, env)
	}
	s := &suites.Suite{Name: "s", Checks: []*suites.Check{spec(suites.Regex, func(c *suites.Check) { c.Pattern = "x" }), spec(suites.Contains)}}
	var rs []*runner.Result
	for k := range 20 {
		rs = append(rs, result(s, &suites.Case{ID: fmt.Sprint(k), Reference: "yes"}, "p", 0, "yes"))
	}
	rows := run(t, sc, rs...)
	if len(rows) != len(rs) {
		t.Fatalf("%d rows for %d results", len(rows), len(rs))
	}
	for _, r := range rows {
		if !strings.Contains(r.Checks[0].Error, "panicked: boom") || !r.Checks[1].Pass || r.Pass || r.Score != 0.5 {
			t.Fatalf("row %+v: %+v", r, r.Checks)
		}
	}
}

// TestScorerPanicOutsideChecks: a panic outside any check (here, while
// building the suite's judges) still sends the row, with the panic recorded.
func TestScorerPanicOutsideChecks(t *testing.T) {
	t.Parallel()
	s := &suites.Suite{Name: "s", Checks: []*suites.Check{spec(suites.Contains)}}
	sc := NewScorer(&suites.Config{})
	sc.newJudge = func(*suites.Check, Env) Judge { panic("no judge") }
	rows := run(t, sc, result(s, &suites.Case{ID: "c"}, "p", 0, "x"), result(s, &suites.Case{ID: "d"}, "p", 0, "x"))
	if len(rows) != 2 || rows[0].Checks[0].Error != "panic: no judge" || rows[0].Pass {
		t.Fatalf("got %+v", rows)
	}
}

func TestSummarise(t *testing.T) {
	t.Parallel()
	pass := func(typ string, score, raw float64) CheckScore {
		return CheckScore{Type: typ, Score: score, Raw: raw, Pass: true}
	}
	fail := func(typ string, score, raw float64) CheckScore {
		return CheckScore{Type: typ, Score: score, Raw: raw}
	}
	tests := []struct {
		name      string
		weights   []float64
		checks    []CheckScore
		passScore float64
		score     float64
		pass      bool
	}{
		// Weighted mean: (2*1 + 1*0) / 3.
		{name: "weighted", weights: []float64{2, 1}, checks: []CheckScore{pass(suites.Regex, 1, 1), fail(suites.Contains, 0, 0)}, score: 2.0 / 3},
		// Every check passes and the score reaches pass_score.
		{name: "passes", weights: []float64{1, 1}, checks: []CheckScore{pass(suites.Similarity, 0.9, 0.9), pass(suites.Judge, 7.0/9, 8)}, passScore: 0.8, score: (0.9 + 7.0/9) / 2, pass: true},
		// Every check passes but the score is under pass_score.
		{name: "under pass_score", weights: []float64{1}, checks: []CheckScore{pass(suites.Similarity, 0.85, 0.85)}, passScore: 0.9, score: 0.85},
		// A check that errored fails the row.
		{name: "errored", weights: []float64{1}, checks: []CheckScore{{Type: suites.Judge, Error: "judge down"}}, score: 0},
		// Zero weights: score 0, not NaN.
		{name: "zero weights", weights: []float64{0}, checks: []CheckScore{pass(suites.Regex, 1, 1)}, score: 0, pass: true},
		// No checks: the request succeeded and nothing was asked.
		{name: "no checks", score: 1, pass: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := &suites.Suite{PassScore: tt.passScore}
			for _, w := range tt.weights {
				s.Checks = append(s.Checks, &suites.Check{Weight: w})
			}
			sc := &Scored{Result: &runner.Result{Suite: s}, Checks: tt.checks}
			summarise(sc)
			if diff := sc.Score - tt.score; diff > 1e-12 || diff < -1e-12 || sc.Pass != tt.pass {
				t.Fatalf("score %v pass %v, want %v %v", sc.Score, sc.Pass, tt.score, tt.pass)
			}
		})
	}
}

// TestColumns: the first check of each kind fills its column; one that
// errored leaves it nil.
func TestColumns(t *testing.T) {
	t.Parallel()
	s := &suites.Suite{Checks: []*suites.Check{{Weight: 1}, {Weight: 1}, {Weight: 1}, {Weight: 1}, {Weight: 1}}}
	sc := &Scored{Result: &runner.Result{Suite: s}, Checks: []CheckScore{
		{Type: suites.JSONSchema, Pass: false, Detail: "no JSON"},
		{Type: suites.Similarity, Raw: 0.7, Score: 0.7},
		{Type: suites.Similarity, Raw: 0.9, Score: 0.9, Pass: true},
		{Type: suites.Judge, Error: "judge down"},
		{Type: suites.Judge, Raw: 9, Pass: true, Detail: "second"},
	}}
	summarise(sc)
	if sc.JSONValid == nil || *sc.JSONValid || sc.Similarity == nil || *sc.Similarity != 0.7 || sc.JudgeScore != nil || sc.JudgeReason != "" {
		t.Fatalf("columns: valid %v similarity %v judge %v %q", sc.JSONValid, sc.Similarity, sc.JudgeScore, sc.JudgeReason)
	}
}

// TestNoEndpoints: a config without embedder or judge records why on the
// checks that need them.
func TestNoEndpoints(t *testing.T) {
	t.Parallel()
	s := &suites.Suite{Name: "s", Checks: []*suites.Check{spec(suites.Similarity), spec(suites.Judge)}}
	rows := run(t, NewScorer(&suites.Config{}), result(s, &suites.Case{ID: "c", Reference: "r"}, "p", 0, "x"))
	if !strings.Contains(rows[0].Checks[0].Error, "no embedder") || !strings.Contains(rows[0].Checks[1].Error, "no judge") {
		t.Fatalf("got %+v", rows[0].Checks)
	}
}
