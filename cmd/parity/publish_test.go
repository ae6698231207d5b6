package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/parity-eval/parity/cmd/parity/internal/resume"
	"github.com/parity-eval/parity/results"
)

// TestRunPublishesIntoHistory: `parity run --history ROOT` publishes each
// complete run at its start day and id, which parity history and parity
// report then read from ROOT; a run cut short is not published.
func TestRunPublishesIntoHistory(t *testing.T) {
	t.Parallel()
	_, hs := e2eServer(t, 3, "../../suites/examples/classify.yaml")
	vars := map[string]string{"PARITY_FIXTURES": hs.URL}
	tmp, root := t.TempDir(), filepath.Join(t.TempDir(), "runs")
	run := func(id string, extra ...string) (int, string, string) {
		args := append([]string{"run", "--config", "../../parity.yaml", "--suites", "../../suites/examples/classify.yaml",
			"--providers", "sim-frontier,sim-mini", "--out", filepath.Join(tmp, id), "--quiet", "--run-id", id, "--history", root}, extra...)
		return cli(t, vars, args...)
	}
	for _, id := range []string{"n-1", "n-2"} {
		code, stdout, stderr := run(id)
		if code != ExitOK {
			t.Fatalf("run %s: exit %d\n%s", id, code, stderr)
		}
		rm, err := resume.Read(filepath.Join(tmp, id))
		if err != nil {
			t.Fatal(err)
		}
		want, _ := results.HivePath(root, rm.Started, id)
		if !strings.Contains(stdout, "history  "+want+"\n") {
			t.Errorf("run %s: stdout does not say it published to %s:\n%s", id, want, stdout)
		}
		m, err := results.ReadManifest(want)
		if err != nil || m.Started == nil || !m.Started.Equal(rm.Started) || m.RunID != id {
			t.Errorf("run %s: published manifest %+v, %v; want run.json's start %v", id, m, err, rm.Started)
		}
		if got, sent := len(readRows(t, filepath.Dir(want))), len(readRows(t, filepath.Join(tmp, id))); got != sent || got == 0 {
			t.Errorf("run %s: %d rows published of %d", id, got, sent)
		}
	}
	code, stdout, stderr := cli(t, nil, "history", "--format", "json", root)
	var h struct {
		Runs []struct {
			RunID string `json:"run_id"`
		} `json:"runs"`
	}
	if err := json.Unmarshal([]byte(stdout), &h); code != ExitOK || err != nil || len(h.Runs) != 2 || h.Runs[0].RunID != "n-1" || h.Runs[1].RunID != "n-2" {
		t.Errorf("history ROOT: exit %d, %+v, %v %s", code, h, err, stderr)
	}
	rep := filepath.Join(tmp, "rep")
	if code, _, stderr := cli(t, nil, "report", "--out", rep, root); code != ExitOK {
		t.Errorf("report ROOT: exit %d %s", code, stderr)
	} else if n, one := len(readRows(t, rep)), len(readRows(t, filepath.Join(tmp, "n-1"))); n != 2*one {
		t.Errorf("report ROOT: %d rows, want both runs' %d", n, 2*one)
	}
	// A budget spent at once: the run is not complete and stays out.
	code, _, stderr = run("n-3", "--max-cost", "0.0000001")
	if code == ExitOK || !strings.Contains(stderr, "not published") {
		t.Errorf("a run cut short: exit %d, stderr %s", code, stderr)
	}
	if files, _ := results.HiveFiles(root); len(files) != 2 {
		t.Errorf("the history holds %d runs, want the 2 complete ones", len(files))
	}
}

// writeRun writes a synthetic run's rows with a manifest of its id and
// start, as parity run would, and returns its directory.
func writeRun(t *testing.T, run synthRun) string {
	t.Helper()
	dir := t.TempDir()
	f, err := os.Create(filepath.Join(dir, results.FileName))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	w := results.NewWriter(f)
	rows := run.rows()
	for i := range rows {
		if err := w.AddRow(&rows[i]); err != nil {
			t.Fatal(err)
		}
	}
	m := results.NewManifest(run.runID, nil, nil)
	m.Started = &run.started
	if err := w.SetManifest(m); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return dir
}

// TestPublishAndRange: parity publish files runs by day and id, and
// history's --since and --until choose among a root's runs.
func TestPublishAndRange(t *testing.T) {
	t.Parallel()
	day := time.Date(2025, 3, 1, 2, 0, 0, 0, time.UTC)
	var dirs []string
	for i := range 3 {
		q := map[string]map[string]float64{"base": {"classify-ticket": 0.8}}
		dirs = append(dirs, writeRun(t, synthRun{runID: "n" + string(rune('1'+i)), started: day.Add(time.Duration(i) * 24 * time.Hour), seed: uint64(i), quality: q}))
	}
	root := filepath.Join(t.TempDir(), "runs")
	code, stdout, stderr := cli(t, nil, "publish", "--history", root, dirs[2], dirs[0], dirs[1])
	if code != ExitOK {
		t.Fatalf("publish: exit %d %s", code, stderr)
	}
	want := []string{"date=2025-03-03/run_id=n3", "date=2025-03-01/run_id=n1", "date=2025-03-02/run_id=n2"}
	for i, line := range strings.Split(strings.TrimSpace(stdout), "\n") {
		if line != filepath.Join(root, want[i], results.FileName) {
			t.Errorf("publish printed %q, want %s", line, want[i])
		}
	}
	for _, tt := range []struct {
		args []string
		runs string
	}{
		{nil, "n1 n2 n3"},
		{[]string{"--since", "2025-03-02"}, "n2 n3"},
		{[]string{"--until", "2025-03-02"}, "n1 n2"},
		{[]string{"--since", "2025-03-02", "--until", "2025-03-02"}, "n2"},
	} {
		args := append(append([]string{"history", "--order", "args", "--format", "json"}, tt.args...), root)
		code, stdout, stderr := cli(t, nil, args...)
		var h struct {
			Runs []struct {
				RunID string `json:"run_id"`
			} `json:"runs"`
		}
		if err := json.Unmarshal([]byte(stdout), &h); code != ExitOK || err != nil {
			t.Fatalf("%v: exit %d %v %s", tt.args, code, err, stderr)
		}
		var got []string
		for _, r := range h.Runs {
			got = append(got, r.RunID)
		}
		if strings.Join(got, " ") != tt.runs {
			t.Errorf("history %v: runs %v, want %s", tt.args, got, tt.runs)
		}
	}
}

// TestPublishErrors: bad input is a usage error (2), a history that
// cannot be written an error (3).
func TestPublishErrors(t *testing.T) {
	t.Parallel()
	tmp := t.TempDir()
	merged := writeRun(t, synthRun{runID: "a+b", started: time.Now(), quality: map[string]map[string]float64{"base": {"classify-ticket": 1}}})
	good := writeRun(t, synthRun{runID: "ok", started: time.Now(), quality: map[string]map[string]float64{"base": {"classify-ticket": 1}}})
	blocked := filepath.Join(tmp, "file")
	if err := os.WriteFile(blocked, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	root := filepath.Join(tmp, "runs")
	if code, _, stderr := cli(t, nil, "publish", "--history", root, good); code != ExitOK {
		t.Fatalf("publish: exit %d %s", code, stderr)
	}
	for _, tt := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"publish", good}, ExitUsage, "--history ROOT"},                                           // no root
		{[]string{"publish", "--history", root}, ExitUsage, "at least one"},                                // nothing to publish
		{[]string{"publish", "--history", root, filepath.Join(tmp, "none")}, ExitUsage, "no such"},         // missing
		{[]string{"publish", "--history", root, merged}, ExitUsage, "letters, digits"},                     // several runs' id
		{[]string{"publish", "--history", blocked, good}, ExitError, "publishing"},                         // root is a file
		{[]string{"history", "--since", "2025-03-05", "--until", "2025-03-01", root}, ExitUsage, "before"}, // empty range
		{[]string{"history", "--since", "March", root}, ExitUsage, "YYYY-MM-DD"},                           // not a day
		{[]string{"history", "--since", "2099-01-01", root}, ExitUsage, "no run dated from 2099"},          // nothing in range
		{[]string{"history", "--since", "2025-03-01", good}, ExitUsage, "history ROOT"},                    // no root to choose from
		{[]string{"report", "--out", filepath.Join(tmp, "r"), "--until", "2000-01-01", root}, ExitUsage, "no run dated"},
		{[]string{"report", "--out", root, root}, ExitUsage, "inside the history"},                                   // would write results.parquet into it
		{[]string{"report", "--out", filepath.Join(root, "date=2025-01-01"), root}, ExitUsage, "inside the history"}, // or into a partition
	} {
		code, _, stderr := cli(t, nil, tt.args...)
		if code != tt.code || !strings.Contains(stderr, tt.want) {
			t.Errorf("%v: exit %d, stderr %q; want %d saying %q", tt.args, code, stderr, tt.code, tt.want)
		}
	}
}
