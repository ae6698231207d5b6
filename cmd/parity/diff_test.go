package main

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/parity-eval/parity/internal/testkit"
)

// TestDiffGolden compares two synthetic runs of the same suites whose
// changes are known: the baseline provider is unchanged (same rows: "~"),
// the candidate improved on classify and dropped on extract, and a third
// provider appears only in the new run. The largest significant change
// comes first.
func TestDiffGolden(t *testing.T) {
	t.Parallel()
	day := time.Date(2025, 3, 1, 2, 0, 0, 0, time.UTC)
	old := synthRun{runID: "nightly-1", started: day, seed: 3,
		quality: map[string]map[string]float64{
			"base": {"classify-ticket": 0.9, "extract-invoice": 0.8},
			"cand": {"classify-ticket": 0.6, "extract-invoice": 0.8},
		}}
	cur := old
	cur.runID, cur.started = "nightly-2", day.Add(24*time.Hour)
	cur.quality = map[string]map[string]float64{
		"base":  old.quality["base"],
		"cand":  {"classify-ticket": 0.9, "extract-invoice": 0.75},
		"other": {"extract-invoice": 0.5},
	}
	oldDir, newDir := writeResults(t, old.rows()), writeResults(t, cur.rows())
	code, stdout, stderr := cli(t, nil, "diff", oldDir, newDir)
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	testkit.Golden(t, "gate/diff.txt", stdout)
	lines := strings.Split(stdout, "\n")
	if !strings.HasPrefix(lines[3], "cand      classify-ticket") || !strings.HasPrefix(lines[4], "cand      extract-invoice") {
		t.Errorf("the biggest significant changes are not first:\n%s", stdout)
	}
	code, stdout, _ = cli(t, nil, "diff", "--format", "json", oldDir, newDir)
	var res struct {
		Drifts []struct {
			Provider, Suite string
			Paired          bool
			Score           struct {
				Significant bool `json:"significant"`
			} `json:"score"`
		} `json:"drifts"`
		Warnings []string `json:"warnings"`
	}
	if err := json.Unmarshal([]byte(stdout), &res); err != nil || code != ExitOK {
		t.Fatalf("exit %d, %v: %s", code, err, stdout)
	}
	if len(res.Drifts) != 4 || !res.Drifts[0].Paired || res.Drifts[3].Score.Significant || len(res.Warnings) != 1 {
		t.Errorf("json: %+v", res)
	}
}

// TestDiffInputErrors: wrong arguments are usage errors.
func TestDiffInputErrors(t *testing.T) {
	t.Parallel()
	dir := writeResults(t, synthRun{runID: "r", seed: 1, quality: map[string]map[string]float64{"base": {"classify-ticket": 0.9}}}.rows())
	for _, args := range [][]string{{"diff", dir}, {"diff", dir, dir, dir}, {"diff", "--format", "csv", dir, dir}, {"diff", dir, t.TempDir()}} {
		if code, _, stderr := cli(t, nil, args...); code != ExitUsage || stderr == "" {
			t.Errorf("%v: exit %d %s", args, code, stderr)
		}
	}
}
