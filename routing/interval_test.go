package routing

import (
	"github.com/parity-eval/parity/internal/testkit"
	"math"
	"testing"
)

// near reports whether a and b agree to 1e-9.
func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

func TestClusteredInterval(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name             string
		cs               []clusterTotal
		mean, se, low    float64
		n, clusters      int
		floorBelowTwo    bool
		lowIsFloorAtZero bool
	}{
		{
			// One row per case: the usual sqrt(Var/n). 1,0,1,1: mean 0.75,
			// Var 0.25, SE 0.25; t(3) = 3.182 puts the bound below 0.
			name: "one row per case", cs: []clusterTotal{{1, 1}, {0, 1}, {1, 1}, {1, 1}},
			mean: 0.75, se: 0.25, n: 4, clusters: 4, lowIsFloorAtZero: true,
		},
		{
			// Cases (1,1), (0,0), (1,0): mean 0.5; residual sums 1, -1, 0;
			// SE = sqrt(3/2 · 2) / 6 = 0.2887, above the naive 0.2236.
			name: "repeats clustered by case", cs: []clusterTotal{{2, 2}, {0, 2}, {1, 2}},
			mean: 0.5, se: math.Sqrt(3) / 6, n: 6, clusters: 3, lowIsFloorAtZero: true,
		},
		{
			// Ten cases at 0.9 and ten at 1: SE = sqrt(20/19 · 20 · 0.05²)/20.
			name: "a tight interval", cs: append(repeatClusters(0.9, 10), repeatClusters(1, 10)...),
			mean: 0.95, se: math.Sqrt(20.0/19*20*0.0025) / 20, n: 20, clusters: 20,
			low: 0.95 - studentT975(19)*math.Sqrt(20.0/19*20*0.0025)/20,
		},
		{name: "one case: unbounded", cs: []clusterTotal{{3, 3}}, mean: 1, n: 3, clusters: 1, floorBelowTwo: true},
		{name: "no rows", cs: nil, n: 0, floorBelowTwo: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			iv := caseClusteredInterval(tt.cs, 0)
			want := tt.low
			if tt.floorBelowTwo || tt.lowIsFloorAtZero {
				want = 0
			}
			if !near(iv.mean, tt.mean) || !near(iv.stdErr, tt.se) || !near(iv.low, want) || iv.n != tt.n || iv.clusters != tt.clusters {
				t.Errorf("got %+v, want mean %v se %v low %v n %d clusters %d", iv, tt.mean, tt.se, want, tt.n, tt.clusters)
			}
		})
	}
}

// repeatClusters returns n single-row clusters of value x.
func repeatClusters(x float64, n int) []clusterTotal {
	out := make([]clusterTotal, n)
	for i := range out {
		out[i] = clusterTotal{x, 1}
	}
	return out
}

func TestStudentT975(t *testing.T) {
	t.Parallel()
	for df, want := range map[int]float64{1: 12.706, 9: 2.262, 19: 2.093, 1000: 1.962} {
		if got := studentT975(df); math.Abs(got-want) > 5e-4 {
			t.Errorf("t(%d) = %.4f, want %.3f", df, got, want)
		}
	}
}

func TestPairedByCase(t *testing.T) {
	t.Parallel()
	// a and b on three cases, two repeats each; on a fourth case b lacks
	// its second repeat, so only the first pairs.
	ev := NewEvidence()
	rows := map[string][][]float64{
		"a": {{1, 1}, {1, 0}, {0, 0}, {1, 1}},
		"b": {{1, 1}, {1, 1}, {1, 0}, {1}},
	}
	for _, id := range []string{"a", "b"} {
		for i, reps := range rows[id] {
			for rep, score := range reps {
				o := testkit.SpecRow(testkit.Spec{ID: id, Cost: 0.001}, "x", DefaultTier, i, rep, score)
				ev.AddScored(o)
			}
		}
	}
	v, _ := viewOf(ev, "x", DefaultTier, nil)
	d := pairedByCase(v.route, v.cases, 0, 1)
	// Differences: (0,0) (0,-1) (-1,0) (0): 7 pairs, mean -2/7.
	mean := -2.0 / 7
	resid := []float64{0 - 2*mean, -1 - 2*mean, -1 - 2*mean, 0 - mean}
	var ss float64
	for _, r := range resid {
		ss += r * r
	}
	se := math.Sqrt(4.0/3*ss) / 7
	if d.n != 7 || d.clusters != 4 || !near(d.mean, mean) || !near(d.stdErr, se) || !near(d.low, max(mean-studentT975(3)*se, -1)) {
		t.Errorf("paired %+v, want n 7, 4 cases, mean %v, se %v", d, mean, se)
	}
	if d.nonInferior(0.05) || !d.nonInferior(1) {
		t.Errorf("non-inferiority at 0.05 and 1: %v %v", d.nonInferior(0.05), d.nonInferior(1))
	}
}
