package judges

import (
	"context"
	"fmt"
	"math"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/parity-eval/parity/fixtures"
	"github.com/parity-eval/parity/runner"
	"github.com/parity-eval/parity/suites"
)

// TestReferenceEmbeddedOnce: N providers x K repeats sharing a reference
// embed it once, counted server-side; identical outputs are embedded once
// too, and the scoring cost is only paid by the rows that embedded.
func TestReferenceEmbeddedOnce(t *testing.T) {
	t.Parallel()
	srv := startSim(t)
	const ref = "Paris is the capital of France."
	suite := &suites.Suite{Name: "s", Checks: []*suites.Check{spec(suites.Similarity)}}
	c := &suites.Case{ID: "c", Reference: ref}
	providers := []string{"a", "b", "c", "d", "e"}
	var rs []*runner.Result
	for _, p := range providers {
		for k := range 3 {
			rs = append(rs, result(suite, c, p, k, "The capital is Paris, says "+p+"."))
		}
	}
	rs = append(rs, result(suite, c, "f", 0, ref)) // an output equal to the reference
	rows := run(t, NewScorer(srv.config(providers...)), rs...)
	if len(rows) != len(rs) {
		t.Fatalf("%d rows for %d results", len(rows), len(rs))
	}
	if n := srv.timesEmbedded(ref); n != 1 {
		t.Errorf("reference embedded %d times, want 1", n)
	}
	for _, p := range providers {
		if n := srv.timesEmbedded("The capital is Paris, says " + p + "."); n != 1 {
			t.Errorf("output of %s embedded %d times over 3 repeats, want 1", p, n)
		}
	}
	// The rows together paid for each distinct text once.
	tokens := fixtures.CountTokens(ref)
	for _, p := range providers {
		tokens += fixtures.CountTokens("The capital is Paris, says " + p + ".")
	}
	var paid float64
	for _, r := range rows {
		if r.Checks[0].Error != "" || r.Similarity == nil {
			t.Fatalf("row %+v: %+v", r, r.Checks)
		}
		paid += r.ScoringCostUSD
	}
	if want := (suites.Price{Input: 0.02}).Cost(tokens, 0); math.Abs(paid-want) > 1e-15 {
		t.Errorf("rows paid %g for embeddings, want %g (%d tokens)", paid, want, tokens)
	}
}

// TestBaselineEmbeddedOnce: the baseline's output is embedded once for
// every provider compared with it.
func TestBaselineEmbeddedOnce(t *testing.T) {
	t.Parallel()
	srv := startSim(t)
	suite := &suites.Suite{Name: "s", Checks: []*suites.Check{spec(suites.Similarity, func(c *suites.Check) { c.Against = AgainstBaseline })}}
	c := &suites.Case{ID: "c"}
	const baseOut = "The baseline's answer."
	rows := run(t, NewScorer(srv.config("base", "a", "b", "c")),
		result(suite, c, "a", 0, "A's answer."), result(suite, c, "b", 0, "B's answer."),
		result(suite, c, "base", 0, baseOut), result(suite, c, "c", 0, "C's answer."))
	if len(rows) != 4 {
		t.Fatalf("%d rows", len(rows))
	}
	if n := srv.timesEmbedded(baseOut); n != 1 {
		t.Errorf("baseline output embedded %d times, want 1", n)
	}
}

// counter is an Embedder that counts its calls and texts, optionally
// failing.
type counter struct {
	calls, texts atomic.Int64
	fail         atomic.Bool
}

func (c *counter) Embed(_ context.Context, texts []string) ([][]float64, int, error) {
	c.calls.Add(1)
	c.texts.Add(int64(len(texts)))
	if c.fail.Load() {
		return nil, 0, fmt.Errorf("embedder down")
	}
	out := make([][]float64, len(texts))
	for i, t := range texts {
		out[i] = []float64{float64(len(t)), 1}
	}
	return out, len(texts), nil
}

// TestCacheConcurrent: many rows asking for the same text at once cause
// one embedding, and a text asked twice in one call is sent once.
func TestCacheConcurrent(t *testing.T) {
	t.Parallel()
	next := &counter{}
	c := newCache(next, 10)
	var wg sync.WaitGroup
	for range 50 {
		wg.Go(func() {
			if _, _, err := c.Embed(context.Background(), []string{"same", "same"}); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if next.texts.Load() != 1 {
		t.Fatalf("%d texts embedded, want 1", next.texts.Load())
	}
}

// TestCacheBounded: the cache holds at most its size, dropping the least
// recently used.
func TestCacheBounded(t *testing.T) {
	t.Parallel()
	next := &counter{}
	c := newCache(next, 2)
	ctx := context.Background()
	for _, t := range []string{"a", "b", "a", "c"} { // c evicts b, the least recent
		_, _, _ = c.Embed(ctx, []string{t})
	}
	if c.held() != 2 {
		t.Fatalf("cache holds %d, want 2", c.held())
	}
	before := next.texts.Load()
	_, _, _ = c.Embed(ctx, []string{"a"})
	_, _, _ = c.Embed(ctx, []string{"c"})
	if next.texts.Load() != before {
		t.Errorf("a or c was evicted")
	}
	_, _, _ = c.Embed(ctx, []string{"b"})
	if next.texts.Load() != before+1 {
		t.Errorf("b was kept")
	}
}

// TestCacheFailureRetried: a failed embedding is not cached; the next row
// tries again.
func TestCacheFailureRetried(t *testing.T) {
	t.Parallel()
	next := &counter{}
	c := newCache(next, 10)
	next.fail.Store(true)
	if _, _, err := c.Embed(context.Background(), []string{"x"}); err == nil {
		t.Fatal("no error from a failing embedder")
	}
	next.fail.Store(false)
	vecs, tokens, err := c.Embed(context.Background(), []string{"x"})
	if err != nil || len(vecs) != 1 || tokens != 1 {
		t.Fatalf("retry: %v %v %v", vecs, tokens, err)
	}
}
