package report

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/parity-eval/parity/internal/testkit"
	"github.com/parity-eval/parity/results"

	"github.com/parity-eval/parity/judges"
)

// keptKeys returns the sampler's cases in the main and per-suite samples,
// sorted.
func keptKeys(s *sampler) (main, suite []drillKey) {
	for _, e := range s.entries {
		if e.mainAt >= 0 {
			main = append(main, e.key)
		}
		if e.suiteAt >= 0 {
			suite = append(suite, e.key)
		}
	}
	less := func(a, b drillKey) int {
		if a.suite != b.suite {
			return map[bool]int{true: -1, false: 1}[a.suite < b.suite]
		}
		if a.caseID != b.caseID {
			return map[bool]int{true: -1, false: 1}[a.caseID < b.caseID]
		}
		return a.repeat - b.repeat
	}
	slices.SortFunc(main, less)
	slices.SortFunc(suite, less)
	return main, suite
}

// sampleOf feeds rows to a new sampler.
func sampleOf(rows []*judges.Scored, maxCases, perSuite int) *sampler {
	s := newSampler(maxCases, perSuite)
	for _, r := range rows {
		s.add(r)
	}
	return s
}

func TestSamplerIgnoresArrivalOrder(t *testing.T) {
	t.Parallel()
	gen := testkit.GenRows()
	rows := make([]*judges.Scored, 3000)
	for i := range rows {
		rows[i] = gen(i)
	}
	wantMain, wantSuite := keptKeys(sampleOf(rows, 20, 2))
	for seed := range uint64(5) {
		shuffled := slices.Clone(rows)
		rand.New(rand.NewPCG(seed, 42)).Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
		gotMain, gotSuite := keptKeys(sampleOf(shuffled, 20, 2))
		if !slices.Equal(gotMain, wantMain) || !slices.Equal(gotSuite, wantSuite) {
			t.Errorf("seed %d: another order kept other cases:\n%v\n%v", seed, gotMain, wantMain)
		}
	}
}

func TestSamplerPrefersFailingCases(t *testing.T) {
	t.Parallel()
	gen := testkit.GenRows()
	rows := make([]*judges.Scored, 3000)
	failing := map[drillKey]bool{}
	for i := range rows {
		rows[i] = gen(i)
		if !rows[i].Pass {
			failing[drillKeyOf(rows[i])] = true
		}
	}
	s := sampleOf(rows, 10, 1)
	if s.main.Len() != 10 {
		t.Fatalf("kept %d cases, want 10", s.main.Len())
	}
	for _, e := range s.main.items {
		if !e.failing || !failing[e.key] {
			t.Errorf("case %v kept: failing %v, has a failing row %v", e.key, e.failing, failing[e.key])
		}
	}
	// Small runs keep everything, every row of every case.
	all := sampleOf(rows[:60], 100, 1)
	n := 0
	for _, e := range all.entries {
		n += len(e.rows)
	}
	if n != 60 {
		t.Errorf("a small run kept %d of 60 rows", n)
	}
}

func TestSamplerKeepsWholeCases(t *testing.T) {
	t.Parallel()
	gen := testkit.GenRows()
	rows := make([]*judges.Scored, 3000)
	perCase := map[drillKey]map[string]bool{}
	for i := range rows {
		rows[i] = gen(i)
		k := drillKeyOf(rows[i])
		if perCase[k] == nil {
			perCase[k] = map[string]bool{}
		}
		perCase[k][results.ProviderID(rows[i])] = true
	}
	s := sampleOf(rows, 5, 2)
	for _, e := range s.entries {
		// A sampled case was picked at its first row: it has them all.
		if e.suiteAt >= 0 && len(e.rows) != len(perCase[e.key]) {
			t.Errorf("sampled case %v kept %d rows, want %d", e.key, len(e.rows), len(perCase[e.key]))
		}
	}
	// The same row twice is kept once.
	dup := sampleOf([]*judges.Scored{rows[0], rows[0]}, 5, 2)
	for _, e := range dup.entries {
		if len(e.rows) != 1 {
			t.Errorf("a repeated row was kept %d times", len(e.rows))
		}
	}
}

func TestDrillHashSpreads(t *testing.T) {
	t.Parallel()
	// Neighbouring ids land in both halves of the hash space.
	var low int
	for i := range 1000 {
		if drillHash(drillKey{"s", string(rune('a'+i%26)) + string(rune('a'+i/26)), 0}) < 1<<63 {
			low++
		}
	}
	if low < 400 || low > 600 {
		t.Errorf("%d of 1000 hashes in the lower half", low)
	}
}
