package gate

import (
	"fmt"
	"testing"
)

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
