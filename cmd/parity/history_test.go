package main

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/parity-eval/parity/internal/testkit"
)

// TestHistoryGolden follows nine nightly runs, given out of order: the
// baseline is steady; the candidate's cost per case doubles in the last
// run and its classify quality collapses in the eighth. Those, and only
// those, are flagged against the mean of the runs before.
func TestHistoryGolden(t *testing.T) {
	t.Parallel()
	day := time.Date(2025, 3, 1, 2, 0, 0, 0, time.UTC)
	var dirs []string
	for i := range 9 {
		cand := map[string]float64{"classify-ticket": 0.8, "extract-invoice": 0.8}
		cost := 0.001
		if i == 7 {
			cand["classify-ticket"] = 0.3
		}
		if i == 8 {
			cost = 0.002
		}
		run := synthRun{runID: "nightly-" + string(rune('1'+i)), started: day.Add(time.Duration(i) * 24 * time.Hour), seed: uint64(i),
			quality: map[string]map[string]float64{"base": {"classify-ticket": 0.8, "extract-invoice": 0.8}, "cand": cand},
			cost:    map[string]float64{"base": 0.001, "cand": cost}}
		dirs = append(dirs, writeResults(t, run.rows()))
	}
	shuffled := []string{dirs[3], dirs[0], dirs[8], dirs[1], dirs[5], dirs[2], dirs[7], dirs[4], dirs[6]}
	code, stdout, stderr := cli(t, nil, append([]string{"history"}, shuffled...)...)
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	stable := strings.NewReplacer(stdoutDirs(dirs)...).Replace(stdout)
	testkit.Golden(t, "gate/history.txt", stable)
	code, stdout, _ = cli(t, nil, append([]string{"history", "--format", "json"}, shuffled...)...)
	var res struct {
		Order string `json:"order"`
		Runs  []struct {
			RunID string `json:"run_id"`
		} `json:"runs"`
		Flags []struct {
			Run      int    `json:"run"`
			Provider string `json:"provider"`
			Metric   string `json:"metric"`
		} `json:"flags"`
	}
	if err := json.Unmarshal([]byte(stdout), &res); err != nil || code != ExitOK {
		t.Fatalf("exit %d, %v", code, err)
	}
	if res.Order != "time" || res.Runs[0].RunID != "nightly-1" || res.Runs[8].RunID != "nightly-9" {
		t.Errorf("not in time order: %+v", res.Runs)
	}
	for _, f := range res.Flags {
		if f.Provider != "cand" || !(f.Run == 7 && (f.Metric == "score" || f.Metric == "pass_rate") || f.Run == 8 && f.Metric == "cost_per_case_usd") {
			t.Errorf("unexpected flag %+v", f)
		}
	}
}

// stdoutDirs maps the temporary directories to stable names for goldens.
func stdoutDirs(dirs []string) []string {
	var out []string
	for i, d := range dirs {
		out = append(out, d, "run"+string(rune('1'+i)))
	}
	return out
}

// TestHistoryInputErrors: no runs, or an unreadable one, is a usage error.
func TestHistoryInputErrors(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{{"history"}, {"history", t.TempDir()}, {"history", "--order", "name", "x"}, {"history", "--threshold", "0", "x"}} {
		if code, _, stderr := cli(t, nil, args...); code != ExitUsage || stderr == "" {
			t.Errorf("%v: exit %d %s", args, code, stderr)
		}
	}
}
