//go:build !race

// The simulations are one goroutine of arithmetic each: the race detector
// has nothing to find in them and would make them 5x slower, so `make
// test` runs them in a pass of their own without -race.

package gate

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/parity-eval/parity/results"
)

// The gate at the size users run, through its real code: rows in, Result
// out. The profile is a team's nightly suite: 4 suites of 200 cases, two
// scored pass/fail (exact checks: the bootstrap) and two with continuous
// scores (similarity: Student's t). Cases differ in difficulty, and the
// difficulty is shared by both providers, which correlates their scores
// as real evals do: a case's quality q is uniform on [0.55, 1]; a
// pass/fail row is right with probability q, a continuous row scores q
// plus noise of sd 0.08, clamped to [0, 1]. A candidate worse by s on a
// suite has q - s there. Rows carry what the operational checks read:
// the same price, token counts varying by answer (so cost differs by a
// few percent between clones), log-normal latency, 1% failed requests.

// profileSuite is one suite of the profile.
type profileSuite struct {
	name     string
	passFail bool
}

// profileSuites are the profile's suites.
var profileSuites = []profileSuite{
	{"extract", true}, {"classify", true}, {"summarise", false}, {"answer", false},
}

// profileRows draws the rows of one repetition: cases[suite] per suite,
// the candidate worse by drop[suite].
func profileRows(rng *rand.Rand, cases map[string]int, drop map[string]float64, emit func(*results.Row)) {
	for _, s := range profileSuites {
		for i := range cases[s.name] {
			q := 0.55 + 0.45*rng.Float64()
			id := fmt.Sprintf("%s-%03d", s.name, i)
			for side, provider := range []string{"base", "cand"} {
				qq := q
				if side == 1 {
					qq = math.Max(0, q-drop[s.name])
				}
				emit(profileRow(rng, s, id, provider, qq))
			}
		}
	}
}

// profileRow draws one row of quality q.
func profileRow(rng *rand.Rand, s profileSuite, id, provider string, q float64) *results.Row {
	r := &results.Row{Suite: s.name, CaseID: id, Provider: provider, Tags: []string{s.name}}
	tokens := 180 + 40*rng.Float64()
	r.InputTokens, r.OutputTokens = 300, int64(tokens)
	r.CostUSD = 300*0.15e-6 + tokens*0.6e-6
	r.LatencyMS = 400 * math.Exp(0.35*rng.NormFloat64())
	if rng.Float64() < 0.01 {
		r.ErrorClass, r.Error = "server_error", "503"
		return r
	}
	if s.passFail {
		if rng.Float64() < q {
			r.Score = 1
		}
	} else {
		r.Score = math.Min(1, math.Max(0, q+0.08*rng.NormFloat64()))
	}
	r.Pass = r.Score >= 0.5
	return r
}

// profileGate runs one repetition through the gate, every suite of cases.
func profileGate(t *testing.T, o Options, rep, cases int, drop map[string]float64) *Result {
	t.Helper()
	sized := map[string]int{}
	for _, s := range profileSuites {
		sized[s.name] = cases
	}
	return profileGateSized(t, o, rep, sized, drop)
}

// profileGateSized runs one repetition through the gate, cases[suite]
// each.
func profileGateSized(t *testing.T, o Options, rep int, cases map[string]int, drop map[string]float64) *Result {
	t.Helper()
	o.Baseline, o.Candidate = "base", "cand"
	o.Stats.Seed = uint64(rep) + 1
	g, err := New(o)
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(uint64(rep), 0x5eed))
	profileRows(rng, cases, drop, func(r *results.Row) { g.Add(SideBaseline, r); g.Add(SideCandidate, r) })
	res, err := g.Result()
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// profileOutcome tallies repetitions: the overall verdicts, how often
// each suite failed, how often exactly one named suite failed, and the
// cases_needed each repetition stated per suite.
type profileOutcome struct {
	reps     int
	overall  map[Verdict]int
	failed   map[string]int
	onlyFail map[string]int   // repetitions in which this suite alone failed
	stated   map[string][]int // cases_needed as each repetition stated it
}

func (p *profileOutcome) add(res *Result) {
	if p.overall == nil {
		p.overall, p.failed, p.onlyFail, p.stated = map[Verdict]int{}, map[string]int{}, map[string]int{}, map[string][]int{}
	}
	p.reps++
	p.overall[res.Verdict]++
	var failed []string
	for _, s := range res.Suites {
		if s.Verdict == Fail {
			p.failed[s.Suite]++
			failed = append(failed, s.Suite)
		}
		p.stated[s.Suite] = append(p.stated[s.Suite], s.Power.CasesNeeded)
	}
	if len(failed) == 1 {
		p.onlyFail[failed[0]]++
	}
}

// rate is the share of repetitions counted in n.
func (p *profileOutcome) rate(n int) float64 { return float64(n) / float64(p.reps) }

// profileRun runs reps repetitions.
func profileRun(t *testing.T, o Options, reps, cases int, drop map[string]float64) *profileOutcome {
	t.Helper()
	var out profileOutcome
	for rep := range reps {
		out.add(profileGate(t, o, rep, cases, drop))
	}
	return &out
}

// TestProfileNightlyClone: at the nightly defaults, a clone exits 0 (does
// not fail) in at least 95% of 200 repetitions.
func TestProfileNightlyClone(t *testing.T) {
	t.Parallel()
	o := DefaultOptions()
	o.Mode = ModeNightly
	out := profileRun(t, o, simReps, 200, nil)
	exit0 := out.reps - out.overall[Fail]
	t.Logf("clone, nightly, 4 suites x 200 cases: exit 0 in %d of %d (pass %d, inconclusive %d, fail %d)",
		exit0, out.reps, out.overall[Pass], out.overall[Inconclusive], out.overall[Fail])
	if r := out.rate(exit0); r < 0.95 {
		t.Errorf("a clone exits 0 in %.3f of repetitions, want at least 0.95", r)
	}
}

// TestProfileNightlyDrop: a candidate 25 points worse on one suite fails,
// on that suite only, in at least 95% of 200 repetitions: a pass/fail
// suite and a continuous one.
func TestProfileNightlyDrop(t *testing.T) {
	t.Parallel()
	o := DefaultOptions()
	o.Mode = ModeNightly
	for _, dropped := range []string{"classify", "summarise"} {
		out := profileRun(t, o, simReps, 200, map[string]float64{dropped: 0.25})
		t.Logf("25-point drop on %s: it alone failed in %d of %d repetitions (it failed %d times; suites failed %v)",
			dropped, out.onlyFail[dropped], out.reps, out.failed[dropped], out.failed)
		if r := out.rate(out.onlyFail[dropped]); r < 0.95 {
			t.Errorf("%s: failed on that suite only in %.3f of repetitions, want at least 0.95", dropped, r)
		}
	}
}

// TestProfileMigration: in migration mode at 200 cases a clone is
// inconclusive, stating the cases each suite needs; at those cases (the
// median stated over the repetitions) it passes with about the planned
// power, 0.8 (within 5 points).
func TestProfileMigration(t *testing.T) {
	t.Parallel()
	o := DefaultOptions()
	small := profileRun(t, o, simReps, 200, nil)
	t.Logf("clone, migration, 200 cases: inconclusive in %d of %d (pass %d, fail %d)",
		small.overall[Inconclusive], small.reps, small.overall[Pass], small.overall[Fail])
	if r := small.rate(small.overall[Inconclusive]); r < 0.9 {
		t.Errorf("a clone at 200 cases is inconclusive in %.3f of repetitions, want most", r)
	}
	needed := map[string]int{}
	for _, s := range profileSuites {
		needed[s.name] = median(small.stated[s.name])
		if needed[s.name] == 0 {
			t.Fatalf("%s: no cases_needed stated", s.name)
		}
	}
	t.Logf("cases needed, median stated at 200 cases: %v", needed)
	var big profileOutcome
	for rep := range simReps {
		big.add(profileGateSized(t, o, rep, needed, nil))
	}
	pass := big.rate(big.overall[Pass])
	t.Logf("clone, migration, at the stated cases: passed %d of %d (%.3f; planned 0.8)", big.overall[Pass], big.reps, pass)
	if math.Abs(pass-o.Power) > 0.05 {
		t.Errorf("pass rate %.3f at the stated cases, want the planned power %.2f within 0.05", pass, o.Power)
	}
}

// median returns the median of xs (the lower of the middle two).
func median(xs []int) int {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	return s[(len(s)-1)/2]
}

// The sequential gate on the profile of profile_test.go, through its real
// code: the cases of all suites in a seeded random order (as runner.Order
// sends them), each offered to Admit, its two rows observed and added to
// the gate only when admitted, then Result. Rows arrive the moment a case
// is admitted; a real run has up to a provider's concurrency in flight
// when a suite is decided, which the end-to-end test in cmd/parity covers.

// seqProfile runs one repetition sequentially and returns the result.
func seqProfile(t *testing.T, o Options, rep, cases int, drop map[string]float64) *Result {
	t.Helper()
	o.Baseline, o.Candidate = "base", "cand"
	o.Stats.Seed = uint64(rep) + 1
	plan := make([]SequentialPlan, len(profileSuites))
	sized := map[string]int{}
	for i, s := range profileSuites {
		plan[i] = SequentialPlan{Suite: s.name, Cases: cases}
		sized[s.name] = cases
	}
	seq, err := NewSequential(o, plan, 1, uint64(rep))
	if err != nil {
		t.Fatal(err)
	}
	o.Sequential = seq
	g, err := New(o)
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(uint64(rep), 0x5eed))
	byCase := map[string][]*results.Row{}
	var order []string
	profileRows(rng, sized, drop, func(r *results.Row) {
		k := r.Suite + "\x00" + r.CaseID
		if byCase[k] == nil {
			order = append(order, k)
		}
		byCase[k] = append(byCase[k], r)
	})
	rand.New(rand.NewPCG(uint64(rep), 0x0bde)).Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
	for _, k := range order {
		rows := byCase[k]
		if !seq.Admit(rows[0].Suite, rows[0].CaseID) {
			continue
		}
		for _, r := range rows {
			seq.Observe(r.Provider, r.Suite, r.CaseID, r.Score, r.CostUSD)
			g.Add(SideBaseline, r)
			g.Add(SideCandidate, r)
		}
	}
	res, err := g.Result()
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// TestSequentialProfile: nightly, sequential, 4 suites x 200 cases: a
// clone exits 0 in at least 95% of 200 repetitions; a 25-point drop on one
// suite fails on that suite only in at least 95%, with at most half the
// requests of the fixed design.
func TestSequentialProfile(t *testing.T) {
	t.Parallel()
	o := DefaultOptions()
	o.Mode = ModeNightly
	var clone profileOutcome
	cloneReq := 0
	for rep := range simReps {
		res := seqProfile(t, o, rep, 200, nil)
		clone.add(res)
		cloneReq += res.Sequential.Requests
	}
	exit0 := clone.reps - clone.overall[Fail]
	t.Logf("sequential clone: exit 0 in %d of %d (pass %d, inconclusive %d); requests %.0f%% of the fixed design",
		exit0, clone.reps, clone.overall[Pass], clone.overall[Inconclusive], 100*float64(cloneReq)/float64(simReps*1600))
	if r := clone.rate(exit0); r < 0.95 {
		t.Errorf("a clone exits 0 in %.3f of repetitions, want at least 0.95", r)
	}
	for _, dropped := range []string{"classify", "summarise"} {
		var out profileOutcome
		sent, fixed := 0, 0
		for rep := range simReps {
			res := seqProfile(t, o, rep, 200, map[string]float64{dropped: 0.25})
			out.add(res)
			sent += res.Sequential.Requests
			fixed += res.Sequential.FixedRequests
		}
		share := float64(sent) / float64(fixed)
		t.Logf("sequential, 25-point drop on %s: it alone failed in %d of %d; requests %d of the fixed design's %d (%.1f%%)",
			dropped, out.onlyFail[dropped], out.reps, sent, fixed, 100*share)
		if r := out.rate(out.onlyFail[dropped]); r < 0.95 {
			t.Errorf("%s: failed on that suite only in %.3f of repetitions, want at least 0.95", dropped, r)
		}
		if share > 0.5 {
			t.Errorf("%s: sent %.3f of the fixed design's requests, want at most half", dropped, share)
		}
	}
}
