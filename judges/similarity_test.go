package judges

import (
	"context"
	"math"
	"strings"
	"testing"

	"github.com/parity-eval/parity/fixtures"
	"github.com/parity-eval/parity/runner"
	"github.com/parity-eval/parity/suites"
)

func TestCosine(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		a, b []float64
		want float64
		errs bool
	}{
		// Identical vectors: 1.
		{name: "identical", a: []float64{1, 2, 3}, b: []float64{1, 2, 3}, want: 1},
		// Scale does not matter.
		{name: "scaled", a: []float64{1, 2, 3}, b: []float64{2, 4, 6}, want: 1},
		// Orthogonal vectors: 0.
		{name: "orthogonal", a: []float64{1, 0}, b: []float64{0, 1}, want: 0},
		// Opposite vectors: -1 (the check clamps its score, not the cosine).
		{name: "opposite", a: []float64{1, 0}, b: []float64{-1, 0}, want: -1},
		// A zero vector has no direction: an error, not a NaN.
		{name: "zero vector", a: []float64{0, 0}, b: []float64{1, 0}, errs: true},
		// Different lengths would panic in gonum: an error.
		{name: "length mismatch", a: []float64{1, 0}, b: []float64{1, 0, 0}, errs: true},
		// Empty embeddings: an error.
		{name: "empty", a: nil, b: nil, errs: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := cosine(tt.a, tt.b)
			if (err != nil) != tt.errs || math.Abs(got-tt.want) > 1e-12 {
				t.Fatalf("cosine = %v, %v; want %v, error %v", got, err, tt.want, tt.errs)
			}
		})
	}
}

// TestSimilarity scores against the simulated embedder over loopback HTTP.
func TestSimilarity(t *testing.T) {
	t.Parallel()
	srv := startSim(t)
	sc := NewScorer(srv.config())
	ref := "The contract ends on the first of June and renews yearly."
	base := result(nil, &suites.Case{Reference: ref}, "base", 0, "Something else entirely about bananas.")
	failedBase := failedResult(nil, &suites.Case{}, "base", 0)
	tests := []struct {
		name     string
		against  string
		ref      string
		output   string
		baseline *runner.Result
		self     bool
		score    float64 // checked when not an error
		pass     bool
		err      string // prefix of the expected error
	}{
		// The output is the reference: cosine 1.
		{name: "same as reference", ref: ref, output: ref, score: 1, pass: true},
		// An unrelated answer scores low and fails the threshold.
		{name: "unrelated", ref: ref, output: "Bananas are yellow.", score: -1},
		// An empty output scores 0 without an embedding call.
		{name: "empty output", ref: ref, output: "  ", score: 0},
		// A case without a reference cannot be compared.
		{name: "no reference", output: "x", err: "the case has no reference"},
		// Against the baseline's output for the same case.
		{name: "baseline", against: AgainstBaseline, output: base.Output, baseline: base, score: 1, pass: true},
		// The baseline's own row is compared with itself, without a call.
		{name: "baseline itself", against: AgainstBaseline, output: "anything", self: true, score: 1, pass: true},
		// A failed baseline has no output to compare with.
		{name: "baseline failed", against: AgainstBaseline, output: "x", baseline: failedBase, err: "baseline has no output"},
		// A baseline that never came.
		{name: "baseline missing", against: AgainstBaseline, output: "x", err: "baseline has no output"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := spec(suites.Similarity, func(c *suites.Check) {
				if tt.against != "" {
					c.Against = tt.against
				}
			})
			in := input(&suites.Case{Reference: tt.ref}, tt.output)
			in.Baseline = tt.baseline
			if tt.self {
				in.Baseline = in.Result
			}
			got := New(s, sc.env).Score(context.Background(), in)
			switch {
			case tt.err != "":
				if !strings.HasPrefix(got.Error, tt.err) || got.Pass || got.Score != 0 {
					t.Fatalf("got %+v, want error %q", got, tt.err)
				}
			case got.Error != "" || got.Pass != tt.pass:
				t.Fatalf("got %+v, want pass %v", got, tt.pass)
			case tt.score >= 0 && math.Abs(got.Score-tt.score) > 1e-6:
				t.Fatalf("score %v, want %v", got.Score, tt.score)
			case got.Score < 0 || got.Score > 1:
				t.Fatalf("score %v out of [0,1]", got.Score)
			}
		})
	}
	if n := srv.timesEmbedded("anything"); n != 0 {
		t.Errorf("the baseline's own row was embedded %d times", n)
	}
}

// TestSimilarityEmbedderDown: an embedder failure is the check's error,
// and the row is still scored.
func TestSimilarityEmbedderDown(t *testing.T) {
	t.Parallel()
	srv := startSim(t, fixtures.Profiles(fixtures.Profile{ID: fixtures.EmbedID, Model: "sim-embed", FailureRate: 1, FailureStatus: 500}))
	suite := &suites.Suite{Name: "s", Checks: []*suites.Check{spec(suites.Similarity)}}
	c := &suites.Case{ID: "c", Reference: "ref"}
	rows := run(t, NewScorer(srv.config("p")), result(suite, c, "p", 0, "out"))
	if len(rows) != 1 || !strings.HasPrefix(rows[0].Checks[0].Error, "embedder:") || rows[0].Pass || rows[0].Similarity != nil {
		t.Fatalf("got %+v", rows[0])
	}
}
