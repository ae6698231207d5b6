package gate

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/parity-eval/parity/results"
)

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

// TestSequentialAdmitsNothingOnceDecided: a suite decided admits no
// more cases, and a failed suite stops every suite.
func TestSequentialAdmitsNothingOnceDecided(t *testing.T) {
	t.Parallel()
	o := DefaultOptions()
	o.Baseline, o.Candidate = "base", "cand"
	seq, err := NewSequential(o, []SequentialPlan{{"a", 1000}, {"b", 1000}}, 2, 1)
	if err != nil {
		t.Fatal(err)
	}
	// Suite a: the candidate always wrong, the baseline always right.
	n := 0
	for i := range 1000 {
		id := fmt.Sprint(i)
		if !seq.Admit("a", id) {
			break
		}
		n++
		for range 2 {
			seq.Observe("base", "a", id, 1, 0.01)
			seq.Observe("cand", "a", id, 0, 0.01)
			seq.Observe("other", "a", id, 0, 0.01) // not a side: ignored
		}
	}
	sum := seq.Summary()
	if sum.StoppedBy != "a" || sum.Suites[0].Verdict != Fail {
		t.Fatalf("suite a not failed: %+v", sum)
	}
	if n > 20 {
		t.Errorf("a certain harm took %d cases to show", n)
	}
	if seq.Admit("b", "0") {
		t.Error("suite b admitted a case after suite a failed")
	}
	if got, want := sum.Requests, n*2*2; got != want {
		t.Errorf("requests %d, want %d (cases x sides x repeats)", got, want)
	}
	if sum.SavedRequests != sum.FixedRequests-sum.Requests || sum.FixedRequests != 2000*4 {
		t.Errorf("fixed %d, saved %d", sum.FixedRequests, sum.SavedRequests)
	}
	if !(sum.Suites[0].UpperBound < 0) {
		t.Errorf("upper bound %v, want below 0", sum.Suites[0].UpperBound)
	}
}
