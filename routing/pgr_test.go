package routing

import "testing"

// TestRoutingMetrics checks PGR and APGR on a tiny example computed by
// hand: the weak reference scores 0.6, the strong 1.0.
func TestRoutingMetrics(t *testing.T) {
	t.Parallel()
	const weak, strong = 0.6, 1.0
	tests := []struct {
		name   string
		q      float64
		points []apgrPoint
		pgr    float64
		apgr   float64
	}{
		{
			// PGR = (0.9 - 0.6) / 0.4 = 0.75. The curve (0, 0.6), (0.2, 0.9),
			// (1, 1): AUC = 0.2·1.5/2 + 0.8·1.9/2 = 0.91, APGR = 0.31/0.4.
			name: "a good router", q: 0.9, points: []apgrPoint{{0.2, 0.9}},
			pgr: 0.75, apgr: 0.775,
		},
		{
			// Half the cost gap for half the quality gap: a random mix.
			name: "a random router scores 0.5", q: 0.8, points: []apgrPoint{{0.5, 0.8}},
			pgr: 0.5, apgr: 0.5,
		},
		{
			// Strong quality for nothing: the curve jumps to 1 at x = 0.
			name: "strong quality at weak cost", q: 1, points: []apgrPoint{{0, 1}},
			pgr: 1, apgr: 1,
		},
		{
			// No router point: the straight line between the references.
			name: "only the references", q: 0.6, pgr: 0, apgr: 0.5,
		},
		{
			// Two points, one costlier and worse: the area follows the curve.
			name: "a dip", q: 0.9, points: []apgrPoint{{0.25, 0.9}, {0.5, 0.7}},
			pgr:  0.75,
			apgr: (0.25*(0.6+0.9)/2 + 0.25*(0.9+0.7)/2 + 0.5*(0.7+1)/2 - 0.6) / 0.4,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p, ok := pgr(tt.q, weak, strong)
			a, ok2 := apgr(tt.points, weak, strong)
			if !ok || !ok2 || !near(p, tt.pgr) || !near(a, tt.apgr) {
				t.Errorf("PGR %v APGR %v, want %v %v", p, a, tt.pgr, tt.apgr)
			}
		})
	}
	if _, ok := pgr(0.7, 0.7, 0.7); ok {
		t.Error("PGR defined with no gap")
	}
	if _, ok := apgr(nil, 0.7, 0.7); ok {
		t.Error("APGR defined with no gap")
	}
	if x, ok := costGapShare(0.003, 0.001, 0.011); !ok || !near(x, 0.2) {
		t.Errorf("cost share %v", x)
	}
	if x, _ := costGapShare(0.02, 0.001, 0.011); x != 1 {
		t.Errorf("cost share above the strong: %v, want 1", x)
	}
	if _, ok := costGapShare(0.02, 0.01, 0.01); ok {
		t.Error("cost share defined when the strong costs no more")
	}
}
