package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/parity-eval/parity/results"
	"github.com/parity-eval/parity/suites"
)

// synthetic describes a run written without sending anything: cases x
// providers x repeats rows over two suites, dealt to shards by case
// number.
type synthetic struct {
	runID, fingerprint string
	cases, providers   int
	repeats, shards    int
}

// config is the synthetic run's providers and suites.
func (s synthetic) config() (*suites.Config, []*suites.Suite) {
	cfg := &suites.Config{Baseline: "p0", Routing: suites.Routing{Tolerance: 0.05, MaxFallbacks: 2}}
	for i := range s.providers {
		p := &suites.Provider{ID: fmt.Sprintf("p%d", i)}
		p.Model, p.BaseURL = fmt.Sprintf("m%d", i), fmt.Sprintf("http://127.0.0.1:9/p%d/v1", i)
		p.Price = suites.Price{Input: 0.1 * float64(i+1), Output: 0.4 * float64(i+1)}
		cfg.Providers = append(cfg.Providers, p)
	}
	return cfg, []*suites.Suite{{Name: "classify", Tags: []string{"classify"}, Tier: "default"}, {Name: "extract", Tags: []string{"extract"}, Tier: "default"}}
}

// row is the synthetic row of case c, provider p, repeat k.
func (s synthetic) row(c, p, k int) results.Row {
	at := time.Date(2026, 11, 30, 2, 0, 0, 0, time.UTC).Add(time.Duration(c) * time.Millisecond)
	suite, tag := "classify", "classify"
	if c%2 == 1 {
		suite, tag = "extract", "extract"
	}
	score := float64((c*7+p*3+k)%10) / 9
	return results.Row{RunID: s.runID, Suite: suite, CaseID: fmt.Sprintf("c%07d", c), Tags: []string{tag}, Tier: "default",
		Provider: fmt.Sprintf("p%d", p), Model: fmt.Sprintf("m%d", p), Repeat: int32(k),
		Output: fmt.Sprintf("answer %d from p%d: the label is billing", c, p), FinishReason: "stop",
		LatencyMS: float64(200 + (c*13+p*31)%900), TTFTMS: 80, InputTokens: 120, OutputTokens: 12,
		CostUSD: float64(120*(p+1))*0.1/1e6 + float64(12*(p+1))*0.4/1e6, Attempts: 1, StartedAt: &at,
		Score: score, Pass: score >= 0.5, Checks: `[{"name":"right-label","type":"equals","score":1,"raw":1,"pass":true}]`,
		Metadata: map[string]string{"feature": "tickets"}}
}

// write writes shard i's results.parquet into dir (cases c with c mod
// shards == i-1), planned claiming planned rows (its own count when 0),
// and extra rows after its own; it returns dir.
func (s synthetic) write(tb testing.TB, dir string, i, planned int, extra ...results.Row) string {
	tb.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		tb.Fatal(err)
	}
	f, err := os.Create(filepath.Join(dir, results.FileName))
	if err != nil {
		tb.Fatal(err)
	}
	w := results.NewWriter(f)
	n := 0
	for c := i - 1; c < s.cases; c += s.shards {
		for p := range s.providers {
			for k := range s.repeats {
				r := s.row(c, p, k)
				if err := w.AddRow(&r); err != nil {
					tb.Fatal(err)
				}
				n++
			}
		}
	}
	for _, r := range extra {
		if err := w.AddRow(&r); err != nil {
			tb.Fatal(err)
		}
	}
	if planned == 0 {
		planned = n + len(extra)
	}
	cfg, ss := s.config()
	m := results.NewManifest(s.runID, cfg, ss)
	m.Fingerprint, m.Shard = s.fingerprint, &results.ManifestShard{Index: i, Count: s.shards, Planned: planned}
	if err := w.SetManifest(m); err != nil {
		tb.Fatal(err)
	}
	if err := w.Close(); err != nil {
		tb.Fatal(err)
	}
	if err := f.Close(); err != nil {
		tb.Fatal(err)
	}
	return dir
}

// writeAll writes every shard of s under root and returns their
// directories.
func (s synthetic) writeAll(tb testing.TB, root string) []string {
	tb.Helper()
	var dirs []string
	for i := 1; i <= s.shards; i++ {
		dirs = append(dirs, s.write(tb, filepath.Join(root, fmt.Sprintf("shard-%d", i)), i, 0))
	}
	return dirs
}

// TestMergeRefuses: merge refuses every set of inputs that is not each
// shard of one run's work once, exiting 2 for inputs of other runs and 3
// for missing shards and work done twice, and names the files; it
// writes nothing then.
func TestMergeRefuses(t *testing.T) {
	t.Parallel()
	base := synthetic{runID: "n1", fingerprint: "f1", cases: 12, providers: 2, repeats: 1, shards: 3}
	dir := t.TempDir()
	good := base.writeAll(t, filepath.Join(dir, "good"))
	other := base
	other.runID = "n2"
	otherRun := other.write(t, filepath.Join(dir, "other-run"), 3, 0)
	other = base
	other.fingerprint = "f2"
	otherWork := other.write(t, filepath.Join(dir, "other-work"), 3, 0)
	other = base
	other.shards = 4
	otherCount := other.write(t, filepath.Join(dir, "other-count"), 3, 0)
	twice := base.write(t, filepath.Join(dir, "twice"), 3, 0, base.row(0, 1, 0)) // case 0 is shard 1's
	tests := []struct {
		name   string
		inputs []string
		code   int
		want   []string
	}{
		{"missing shard", good[:2], ExitError, []string{"run n1 is missing shard 3/3 (2 of 3 given)", "--shard 3/3 --run-id n1"}},
		{"shard twice", append(good[:3:3], good[1]), ExitError, []string{"shard 2/3 twice", good[1]}},
		{"other run id", []string{good[0], good[1], otherRun}, ExitUsage, []string{"is run n1 but", "other-run", "is run n2"}},
		{"other work", []string{good[0], good[1], otherWork}, ExitUsage, []string{"did different work", "other-work"}},
		{"other count", []string{good[0], good[1], otherCount}, ExitUsage, []string{"is shard 1/3 but", "is 3/4"}},
		{"work done twice", []string{good[0], good[1], twice}, ExitError, []string{"work done twice", "suite classify case c0000000 provider p1 repeat 0 in", "shard-1", "twice"}},
		{"not a shard", []string{good[0], good[1], filepath.Join(dir, "whole")}, ExitUsage, []string{"is not a shard", "parity report"}},
		{"no inputs", nil, ExitUsage, []string{"merge needs --out DIR and the shards"}},
	}
	whole := synthetic{runID: "n1", fingerprint: "f1", cases: 12, providers: 2, repeats: 1, shards: 1}
	whole.write(t, filepath.Join(dir, "whole"), 1, 0)
	wm, _ := results.ReadManifest(filepath.Join(dir, "whole"))
	wm.Shard = nil
	rewriteManifest(t, filepath.Join(dir, "whole"), wm)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			out := filepath.Join(t.TempDir(), "merged")
			code, _, stderr := cli(t, nil, append([]string{"merge", "--out", out}, tt.inputs...)...)
			if code != tt.code {
				t.Errorf("exit %d, want %d: %s", code, tt.code, stderr)
			}
			for _, w := range tt.want {
				if !strings.Contains(stderr, w) {
					t.Errorf("stderr lacks %q:\n%s", w, stderr)
				}
			}
			if _, err := os.Stat(filepath.Join(out, results.FileName)); err == nil {
				t.Errorf("a refused merge left %s", filepath.Join(out, results.FileName))
			}
		})
	}
}

// rewriteManifest writes dir's results again with manifest m.
func rewriteManifest(t *testing.T, dir string, m *results.Manifest) {
	t.Helper()
	rows := readRows(t, dir)
	f, err := os.Create(filepath.Join(dir, results.FileName))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	w := results.NewWriter(f)
	for i := range rows {
		if err := w.AddRow(&rows[i]); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.SetManifest(m); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
}

// TestMergeUnfinished: a shard that holds fewer rows than it planned is
// merged with a warning naming it, and the merged summary says the run
// is not complete.
func TestMergeUnfinished(t *testing.T) {
	t.Parallel()
	s := synthetic{runID: "n1", fingerprint: "f1", cases: 9, providers: 2, repeats: 2, shards: 3}
	dir := t.TempDir()
	dirs := s.writeAll(t, dir)
	s.write(t, dirs[1], 2, 20) // 3 cases x 2 providers x 2 repeats = 12 rows
	out := filepath.Join(dir, "merged")
	code, stdout, stderr := cli(t, nil, append([]string{"merge", "--out", out}, dirs...)...)
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if want := "shard 2/3 (" + filepath.Join(dirs[1], results.FileName) + ") planned 20 results and holds 12: it did not finish"; !strings.Contains(stderr, want) {
		t.Errorf("stderr lacks %q:\n%s", want, stderr)
	}
	if !strings.Contains(stdout, "36 of 44 results") {
		t.Errorf("stdout:\n%s", stdout)
	}
	sum, err := os.ReadFile(filepath.Join(out, "summary.json"))
	if err != nil || !strings.Contains(string(sum), `"complete": false`) {
		t.Errorf("summary.json: %v\n%.400s", err, sum)
	}
	if rows := readRows(t, out); len(rows) != 36 {
		t.Errorf("merged %d rows, want 36", len(rows))
	}
}

// TestMergeOneShard: a run of --shard 1/1 (a matrix of one job) merges.
func TestMergeOneShard(t *testing.T) {
	t.Parallel()
	s := synthetic{runID: "n1", fingerprint: "f1", cases: 4, providers: 2, repeats: 1, shards: 1}
	dirs := s.writeAll(t, t.TempDir())
	code, stdout, stderr := cli(t, nil, "merge", "--out", filepath.Join(t.TempDir(), "merged"), dirs[0])
	if code != ExitOK || !strings.Contains(stdout, "merged 1 shard of run n1: 8 results") {
		t.Errorf("exit %d\n%s%s", code, stdout, stderr)
	}
}

// TestMergePublishes: merge --history files the merged run under its
// start day and run id when every shard is whole, leaves a merge with an
// unfinished shard out (saying so), and refuses a run id a history cannot
// hold before writing anything.
func TestMergePublishes(t *testing.T) {
	t.Parallel()
	s := synthetic{runID: "nightly-7", fingerprint: "f1", cases: 6, providers: 2, repeats: 1, shards: 2}
	dir := t.TempDir()
	dirs := s.writeAll(t, dir)
	root := filepath.Join(dir, "runs")
	code, stdout, stderr := cli(t, nil, append([]string{"merge", "--out", filepath.Join(dir, "merged"), "--history", root}, dirs...)...)
	want := filepath.Join(root, "date=2026-11-30", "run_id=nightly-7", results.FileName)
	if code != ExitOK || !strings.Contains(stdout, "history  "+want) {
		t.Fatalf("exit %d\n%s%s", code, stdout, stderr)
	}
	if rows := readRows(t, filepath.Dir(want)); len(rows) != 12 {
		t.Errorf("published %d rows, want 12", len(rows))
	}

	s.write(t, dirs[1], 2, 99)
	root2 := filepath.Join(dir, "runs2")
	code, stdout, stderr = cli(t, nil, append([]string{"merge", "--out", filepath.Join(dir, "merged2"), "--history", root2}, dirs...)...)
	if code != ExitOK || !strings.Contains(stderr, "not published into "+root2) || strings.Contains(stdout, "history ") {
		t.Errorf("an unfinished merge: exit %d\n%s%s", code, stdout, stderr)
	}
	if _, err := os.Stat(root2); !os.IsNotExist(err) {
		t.Errorf("an unfinished merge made %s: %v", root2, err)
	}

	bad := synthetic{runID: "a b", fingerprint: "f1", cases: 2, providers: 1, repeats: 1, shards: 1}
	badDirs := bad.writeAll(t, filepath.Join(dir, "bad"))
	out := filepath.Join(dir, "merged3")
	code, _, stderr = cli(t, nil, "merge", "--out", out, "--history", root, badDirs[0])
	if code != ExitUsage || !strings.Contains(stderr, "run id") {
		t.Errorf("a run id a history cannot hold: exit %d\n%s", code, stderr)
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("a refused merge wrote %s", out)
	}
}
