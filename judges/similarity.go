package judges

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strings"

	"gonum.org/v1/gonum/floats"

	"github.com/parity-eval/parity/runner"
	"github.com/parity-eval/parity/suites"
)

// Against values of a similarity check.
const (
	AgainstReference = "reference"
	AgainstBaseline  = "baseline"
)

// Embedder computes embeddings: one vector per text, in order, and the
// input tokens billed. *runner.Client is one.
type Embedder interface {
	Embed(ctx context.Context, texts []string) ([][]float64, int, error)
}

var _ Embedder = (*runner.Client)(nil)

// Similarity scores the cosine between the embeddings of the output and of
// the case's reference (against: reference, the default) or the baseline
// provider's output for the same case and repeat (against: baseline). The
// score is the cosine clamped to [0,1]; Raw is the cosine; it passes at
// the check's threshold. An empty output scores 0 without an embedding.
//
// The baseline's own rows are compared with themselves: they score 1 and
// say so in Detail, without an embedding call.
type Similarity struct {
	// Spec is the check as the suite declares it.
	Spec *suites.Check
	// Embedder computes the embeddings; nil records an error.
	Embedder Embedder
	// Price prices the embedder's input tokens.
	Price suites.Price
}

// Score embeds the output and what it is compared with, in one call.
func (s Similarity) Score(ctx context.Context, in *Input) CheckScore {
	other, self, err := s.other(in)
	switch {
	case err != nil:
		return failed(s.Spec, err.Error())
	case self:
		return verdict(s.Spec, 1, 1, true, "baseline: compared with itself")
	}
	out := strings.TrimSpace(in.Result.Output)
	if out == "" {
		return verdict(s.Spec, 0, 0, false, "empty output")
	}
	if s.Embedder == nil {
		return failed(s.Spec, "no embedder configured (add embedder: to the config)")
	}
	vecs, tokens, err := s.Embedder.Embed(ctx, []string{out, other})
	in.CostUSD += s.Price.Cost(tokens, 0)
	if err != nil {
		_, msg := runner.Classify(err)
		return failed(s.Spec, "embedder: "+msg)
	}
	cos, err := cosine(vecs[0], vecs[1])
	if err != nil {
		return failed(s.Spec, "embedder: "+err.Error())
	}
	return verdict(s.Spec, clamp(cos, 0, 1), cos, cos >= s.Spec.Threshold, "")
}

// other returns the text the output is compared with, or self when the
// row is the baseline's own.
func (s Similarity) other(in *Input) (text string, self bool, err error) {
	if s.Spec.Against != AgainstBaseline {
		ref := strings.TrimSpace(in.Result.Case.Reference)
		if ref == "" {
			return "", false, errors.New("the case has no reference to compare with")
		}
		return ref, false, nil
	}
	b := in.Baseline
	switch {
	case b == in.Result:
		return "", true, nil
	case b == nil:
		return "", false, errors.New("baseline has no output: no baseline result for this case and repeat")
	case b.Failed():
		return "", false, fmt.Errorf("baseline has no output: its request failed (%s)", b.ErrorClass)
	case strings.TrimSpace(b.Output) == "":
		return "", false, errors.New("baseline has no output: it answered empty")
	}
	return strings.TrimSpace(b.Output), false, nil
}

// cosine is the cosine similarity of a and b. Vectors of different lengths,
// empty or zero vectors have none: they are an error, not a NaN or a panic.
func cosine(a, b []float64) (float64, error) {
	if len(a) != len(b) {
		return 0, fmt.Errorf("embeddings differ in length (%d and %d)", len(a), len(b))
	}
	if len(a) == 0 {
		return 0, errors.New("empty embedding")
	}
	na, nb := floats.Norm(a, 2), floats.Norm(b, 2)
	if na == 0 || nb == 0 {
		return 0, errors.New("zero embedding vector")
	}
	c := floats.Dot(a, b) / (na * nb)
	if math.IsNaN(c) || math.IsInf(c, 0) {
		return 0, errors.New("embedding is not finite")
	}
	return clamp(c, -1, 1), nil
}

// clamp bounds x to [lo, hi].
func clamp(x, lo, hi float64) float64 {
	return math.Max(lo, math.Min(hi, x))
}
