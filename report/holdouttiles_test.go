package report

import (
	"strings"
	"testing"

	"github.com/parity-eval/parity/routing"
	"github.com/parity-eval/parity/stats"
)

// TestHoldoutTilesRanges: the held-out tiles carry the bootstrap's
// range when the proof has one, and the note says what the range is and
// what the training split costs.
func TestHoldoutTilesRanges(t *testing.T) {
	t.Parallel()
	kept, saved := 95.45, 42.0
	h := &routing.Holdout{Cases: 82, QualityKeptVsBaselinePct: &kept, CostSavedVsBaselinePct: &saved,
		Baseline: &routing.Outcome{MeanScore: 0.9, CostPerCaseUSD: 0.01},
		Interval: &routing.HoldoutInterval{Method: stats.MethodBootstrap, Confidence: 0.95,
			QualityKeptVsBaselinePct: &routing.Bounds{Low: 91.77, High: 98.81}, CostSavedVsBaselinePct: &routing.Bounds{Low: 18.78, High: 56.23}},
		SplitCost: &routing.SplitCost{Summary: "choosing from half the training cases keeps 88.8%"}}
	var values []string
	for _, tile := range holdoutTiles(h) {
		values = append(values, tile.Value)
	}
	if got := strings.Join(values, " | "); got != "95.5% (91.8–98.8%) | 42.0% (18.8–56.2%)" {
		t.Errorf("tiles %q", got)
	}
	note := holdoutNote(h)
	if !strings.Contains(note, "95% intervals by a cluster bootstrap") || !strings.Contains(note, "Training size: choosing from half the training cases keeps 88.8%.") {
		t.Errorf("note %q", note)
	}
}
