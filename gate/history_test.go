package gate

import "testing"

// historyPoints returns one provider's points with the given scores.
func historyPoints(scores ...float64) []HistoryPoint {
	out := make([]HistoryPoint, len(scores))
	for i, s := range scores {
		out[i] = HistoryPoint{Run: i, Metrics: map[string]NullFloat{HistoryScore: NullFloat(s)}}
	}
	return out
}

// TestHistoryFlags checks the rolling mean: over at most Window previous
// runs, the first run never flagged, a change from 0 always.
func TestHistoryFlags(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		scores []float64
		window int
		want   []int // flagged runs
	}{
		// The mean of the previous runs is 0.8; 0.63 is 21% below it.
		{"drop", []float64{0.8, 0.8, 0.8, 0.63}, 7, []int{3}},
		// 0.65 is 18.75% below 0.8: inside 20%.
		{"small drop", []float64{0.8, 0.8, 0.65}, 7, nil},
		// With a window of 1 only the run before counts: 1.0 after 0.5.
		{"window", []float64{1, 1, 0.5, 1}, 1, []int{2, 3}},
		// The same jump against the mean of three runs (0.833): +20% is not
		// more than 20%.
		{"window 3", []float64{1, 1, 0.5, 1}, 3, []int{2}},
		{"from zero", []float64{0, 0, 0.1}, 7, []int{2}},
	}
	for _, tt := range tests {
		res := &HistoryResult{Threshold: 0.2, Window: tt.window, Providers: []ProviderHistory{{Provider: "p", Points: historyPoints(tt.scores...)}}}
		res.flag()
		var got []int
		for _, f := range res.Flags {
			got = append(got, f.Run)
		}
		if len(got) != len(tt.want) || len(got) > 0 && got[0] != tt.want[0] || len(got) > 1 && got[1] != tt.want[1] {
			t.Errorf("%s: flagged %v, want %v (%+v)", tt.name, got, tt.want, res.Flags)
		}
	}
}
