package gate

import (
	"fmt"
	"testing"

	"github.com/parity-eval/parity/internal/testkit"
	"github.com/parity-eval/parity/stats"
)

// TestDiffPairsOrWelch checks that a suite whose cases both runs share
// is compared paired, and one whose case ids all changed falls back to
// Welch's unpaired t over each run's cases.
func TestDiffPairsOrWelch(t *testing.T) {
	t.Parallel()
	d := NewDiff(stats.DefaultSettings())
	for i := range 20 {
		s := 0.5 + 0.02*float64(i%10)
		d.AddOld(gateRow("same", fmt.Sprint(i), "p", 0, s))
		d.AddNew(gateRow("same", fmt.Sprint(i), "p", 0, s+0.1))
		d.AddOld(gateRow("renamed", fmt.Sprint("old-", i), "p", 0, s))
		d.AddNew(gateRow("renamed", fmt.Sprint("new-", i), "p", 0, s+0.1))
	}
	res, err := d.Result()
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Drifts) != 2 {
		t.Fatalf("drifts %+v", res.Drifts)
	}
	for _, dr := range res.Drifts {
		wantPaired := dr.Suite == "same"
		if dr.Paired != wantPaired || !testkit.CloseTo(float64(dr.Score.Diff), 0.1, 1e-9) || !dr.Score.Significant {
			t.Errorf("%s: paired %v diff %v significant %v", dr.Suite, dr.Paired, dr.Score.Diff, dr.Score.Significant)
		}
		if !wantPaired && (dr.Score.Method != stats.MethodWelch || dr.Cases != 40) {
			t.Errorf("renamed: method %s cases %d, want welch over 40", dr.Score.Method, dr.Cases)
		}
	}
	// A constant shift: the paired interval has no width, Welch's does.
	if sc := res.Drifts[0].Score; res.Drifts[0].Suite != "same" || sc.CIHigh-sc.CILow > 1e-9 {
		t.Errorf("paired shift: %+v", res.Drifts[0].Score)
	}
}
