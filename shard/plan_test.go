package shard

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/parity-eval/parity/internal/testkit"
	"github.com/parity-eval/parity/suites"
)

// examples loads the demo config and every example suite.
func examples(t *testing.T) (*suites.Config, []*suites.Suite) {
	t.Helper()
	cfg, err := suites.LoadConfig("../parity.yaml", func(string) (string, bool) { return "", false }, suites.WithoutKeys())
	if err != nil {
		t.Fatal(err)
	}
	ss, err := suites.Load("../suites/examples", "../suites/examples/capabilities")
	if err != nil {
		t.Fatal(err)
	}
	return cfg, ss
}

// checkCover asserts that the n shares of plan are disjoint and together
// hold every case of ss exactly once, and that their costs are what the
// plan says.
func checkCover(t *testing.T, p *Plan, ss []*suites.Suite, n int) {
	t.Helper()
	seen := map[[2]string]int{}
	total := 0
	for i := 1; i <= n; i++ {
		for _, s := range mustShare(t, p, ss, Shard{i, n}) {
			for _, c := range testkit.Cases(t, s) {
				k := [2]string{s.Name, c.ID}
				if prev, ok := seen[k]; ok {
					t.Fatalf("case %s/%s is in shard %d and shard %d", s.Name, c.ID, prev, i)
				}
				seen[k] = i
			}
		}
	}
	for _, s := range ss {
		total += s.Cases.Len()
		for _, c := range testkit.Cases(t, s) {
			if _, ok := seen[[2]string{s.Name, c.ID}]; !ok {
				t.Fatalf("case %s/%s is in no shard of %d", s.Name, c.ID, n)
			}
		}
	}
	if len(seen) != total {
		t.Fatalf("%d cases in the shards, %d in the suites", len(seen), total)
	}
}

// TestSplitExamples splits the example suites on the demo config over 1
// to 8 shards: the shares cover the work exactly once, each case's rows
// (every provider and repeat) stay together, two computations agree, and
// the dearest shard costs at most the cheapest plus the dearest case.
func TestSplitExamples(t *testing.T) {
	t.Parallel()
	cfg, ss := examples(t)
	for n := 1; n <= 8; n++ {
		p := mustSplit(t, cfg, ss, 2, n)
		checkCover(t, p, ss, n)
		again := mustSplit(t, cfg, ss, 2, n)
		if !slices.Equal(p.Costs, again.Costs) || fmt.Sprint(p.shardOf) != fmt.Sprint(again.shardOf) {
			t.Fatalf("%d shards: two splits of the same work differ", n)
		}
		results := 0
		for _, r := range p.Results {
			results += r
		}
		// 4 chat providers on the chat suites, 3 image models on the
		// image suites, 2 repeats: every row of every case is in a shard.
		if want := rows(cfg, ss, 2); results != want {
			t.Fatalf("%d shards hold %d results, the run has %d", n, results, want)
		}
		t.Logf("%d shards: cost max/min %.3f, costs %v", n, p.Balance(), p.Costs)
		if n > 1 && p.Balance() > 1.5 {
			t.Errorf("%d shards: max/min cost %.2f, want at most 1.5 over %d cases", n, p.Balance(), suites.CountCases(ss))
		}
	}
}

// rows counts a run's results by hand: each case once per provider that
// serves its suite's kind, per repeat.
func rows(cfg *suites.Config, ss []*suites.Suite, repeat int) int {
	n := 0
	for _, s := range ss {
		for _, p := range cfg.Providers {
			if (s.Kind == suites.KindImage) == p.HasCapability(suites.CapImages) {
				n += s.Cases.Len() * repeat
			}
		}
	}
	return n
}

// TestAssignRandom deals random synthetic work (heavy-tailed costs, cases
// of no cost, suites of one case) to random shard counts: every case in
// exactly one shard, and greedy LPT's bound: no shard costs more than the
// cheapest plus the dearest case.
func TestAssignRandom(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(1, 2))
	worst := 1.0
	for trial := range 200 {
		work := synthetic(rng, 1+rng.IntN(400))
		n := 1 + rng.IntN(12)
		p := Assign(work, n)
		count := make([]int, n)
		for _, w := range work {
			hits := 0
			for i := 1; i <= n; i++ {
				if p.Has(Shard{i, n}, w.Suite, w.Case) {
					hits++
					count[i-1]++
				}
			}
			if hits != 1 {
				t.Fatalf("trial %d: %s/%s is in %d of %d shards", trial, w.Suite, w.Case, hits, n)
			}
		}
		var dearest int64
		for _, w := range work {
			dearest = max(dearest, w.Cost)
		}
		if lo, hi := slices.Min(p.Costs), slices.Max(p.Costs); hi-lo > dearest {
			t.Fatalf("trial %d: %d shards cost %d to %d, more apart than the dearest case (%d)", trial, n, lo, hi, dearest)
		}
		if len(work) >= 20*n && p.Balance() > worst {
			worst = p.Balance()
		}
	}
	t.Logf("worst max/min cost with at least 20 cases a shard: %.3f", worst)
	if worst > 2 {
		t.Errorf("max/min cost %.2f with at least 20 cases a shard, want at most 2", worst)
	}
}

// synthetic is n cases over a few suites with heavy-tailed costs, some
// of them 0.
func synthetic(rng *rand.Rand, n int) []Work {
	work := make([]Work, n)
	for i := range work {
		cost := int64(rng.ExpFloat64() * 1000)
		if rng.IntN(10) == 0 {
			cost *= 20
		}
		if rng.IntN(20) == 0 {
			cost = 0
		}
		work[i] = Work{Suite: fmt.Sprintf("s%d", rng.IntN(5)), Case: fmt.Sprintf("c%04d", i), Cost: cost, Results: 1 + rng.IntN(4)}
	}
	return work
}

// TestAssignTies: with every cost equal the cases go round the shards by
// suite and case id, and free cases are spread by their results rather
// than piled on shard 1.
func TestAssignTies(t *testing.T) {
	t.Parallel()
	var work []Work
	for i := range 8 {
		work = append(work, Work{Suite: "s", Case: fmt.Sprintf("c%d", i), Results: 1})
	}
	p := Assign(work, 4)
	for i := range 8 {
		if want := (Shard{i%4 + 1, 4}); !p.Has(want, "s", fmt.Sprintf("c%d", i)) {
			t.Errorf("c%d is not in shard %v", i, want)
		}
	}
	if !slices.Equal(p.Results, []int{2, 2, 2, 2}) {
		t.Errorf("free cases' results by shard: %v, want 2 each", p.Results)
	}
}

// TestCostUnpriced: a run whose providers are all unpriced is balanced by
// its estimated tokens, not piled on one shard at $0.
func TestCostUnpriced(t *testing.T) {
	t.Parallel()
	cfg, ss := examples(t)
	free := *cfg
	free.Providers = nil
	for _, p := range cfg.Providers {
		q := *p
		q.Price, q.Unpriced = suites.Price{}, true
		free.Providers = append(free.Providers, &q)
	}
	p := mustSplit(t, &free, ss, 1, 3)
	for i, c := range p.Costs {
		if c == 0 {
			t.Errorf("shard %d of 3 has no estimated tokens: %v", i+1, p.Costs)
		}
	}
	checkCover(t, p, ss, 3)
}

// mustSplit is Split, failing t on an error.
func mustSplit(t testing.TB, cfg *suites.Config, ss []*suites.Suite, repeat, n int) *Plan {
	t.Helper()
	p, err := Split(cfg, ss, repeat, n)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// mustShare is p.Share, failing t on an error.
func mustShare(t testing.TB, p *Plan, ss []*suites.Suite, s Shard) []*suites.Suite {
	t.Helper()
	out, err := p.Share(ss, s)
	if err != nil {
		t.Fatal(err)
	}
	return out
}
