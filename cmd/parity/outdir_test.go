package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/parity-eval/parity/cmd/parity/internal/resume"
	"github.com/parity-eval/parity/report"
	"github.com/parity-eval/parity/results"
)

// TestConcurrentRunsOneOut starts a second run into the --out of a run
// under way: it is refused at once, naming the holder, and sends
// nothing, whatever it asks (--overwrite, --resume); the first run's
// results are whole and its own.
func TestConcurrentRunsOneOut(t *testing.T) {
	t.Parallel()
	slow := always
	slow.Latency = 20 * time.Millisecond
	srv, cfg, out := twoProviders(t, slow, "{concurrency: 2}")
	args := []string{"run", "--config", cfg, "--suites", classifySuite, "--out", out, "--repeat", "3", "--quiet", "--no-cache"}
	type ended struct {
		code   int
		stderr string
	}
	first := make(chan ended, 1)
	go func() {
		code, _, stderr := cli(t, nil, append(args, "--run-id", "first")...)
		first <- ended{code, stderr}
	}()
	journal := filepath.Join(out, results.JournalFile)
	for deadline := time.Now().Add(20 * time.Second); countLines(journal) < 2; time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the first run journaled nothing in 20s")
		}
	}
	holder := fmt.Sprintf("is in use by run first (pid %d on ", os.Getpid())
	for _, second := range [][]string{
		append(args[:len(args):len(args)], "--run-id", "second"),
		append(args[:len(args):len(args)], "--run-id", "second", "--overwrite"),
		{"run", "--resume", "--out", out, "--quiet"},
	} {
		code, _, stderr := cli(t, nil, second...)
		if code != ExitUsage || !strings.Contains(stderr, holder) || !strings.Contains(stderr, ", started ") {
			t.Errorf("a second run %v: exit %d: %s", second[len(second)-2:], code, stderr)
		}
	}
	if e := <-first; e.code != ExitOK {
		t.Fatalf("the first run: exit %d: %s", e.code, e.stderr)
	}
	rows := readRows(t, out)
	assertOneRowEach(t, rows, 11*2*3)
	for _, r := range rows {
		if r.RunID != "first" {
			t.Fatalf("a row of run %q in the first run's results", r.RunID)
		}
	}
	if m, err := resume.Read(out); err != nil || m.RunID != "first" {
		t.Errorf("run.json: %+v, %v", m, err)
	}
	if n := len(srv.Requests()); n != 11*2*3 {
		t.Errorf("%d requests, want the first run's 66", n)
	}
	if _, err := os.Stat(filepath.Join(out, resume.LockFile)); err == nil {
		t.Error("the lock outlived the run")
	}
}

// TestStaleLockTakenOver: a lock file left by a run that died (kill -9)
// does not keep the directory: the next run takes it over and says so.
func TestStaleLockTakenOver(t *testing.T) {
	t.Parallel()
	_, cfg, out := twoProviders(t, always, "{concurrency: 4}")
	if err := os.MkdirAll(out, 0o755); err != nil {
		t.Fatal(err)
	}
	dead := resume.Holder{PID: 1 << 22, Host: "gone", RunID: "dead", Started: time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)}
	b, _ := json.Marshal(dead)
	if err := os.WriteFile(filepath.Join(out, resume.LockFile), b, 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, stderr := cli(t, nil, "run", "--config", cfg, "--suites", classifySuite, "--out", out, "--quiet", "--no-cache")
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if want := "run dead (pid 4194304 on gone, started 2025-01-02T03:04:05Z) ended without letting go of " + out + "; this run takes it over"; !strings.Contains(stderr, want) {
		t.Errorf("stderr does not say the stale lock was taken over:\n%s", stderr)
	}
	assertOneRowEach(t, readRows(t, out), 11*2)
}

// TestOverwrite: a new run into a directory holding another run's
// outputs is refused, naming them; with --overwrite every file the old
// run wrote goes (its gate verdict and exports too), and nothing else.
func TestOverwrite(t *testing.T) {
	t.Parallel()
	srv, cfg, out := twoProviders(t, always, "{concurrency: 4}")
	args := []string{"run", "--config", cfg, "--suites", classifySuite, "--out", out, "--quiet", "--no-cache"}
	// The gate's verdict on latency is noise here: its files are the point.
	if code, _, stderr := cli(t, nil, append(args, "--run-id", "one", "--gate", "b")...); code != ExitOK && code != ExitFailed && code != ExitInconclusive {
		t.Fatalf("the first run: exit %d: %s", code, stderr)
	}
	if _, err := os.Stat(filepath.Join(out, report.GateJSONFile)); err != nil {
		t.Fatalf("the gated run wrote no %s: %v", report.GateJSONFile, err)
	}
	for _, name := range []string{"litellm.yaml", "notes.txt"} {
		if err := os.WriteFile(filepath.Join(out, name), []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	sent := len(srv.Requests())
	code, _, stderr := cli(t, nil, append(args, "--run-id", "two")...)
	if code != ExitUsage || !strings.Contains(stderr, "holds the outputs of run one (") || !strings.Contains(stderr, "gate.json") ||
		!strings.Contains(stderr, "litellm.yaml") || !strings.Contains(stderr, "pass --overwrite") {
		t.Errorf("a new run over another's outputs: exit %d: %s", code, stderr)
	}
	if len(srv.Requests()) != sent {
		t.Error("a refused run sent requests")
	}
	if code, _, stderr := cli(t, nil, append(args, "--run-id", "two", "--overwrite")...); code != ExitOK {
		t.Fatalf("--overwrite: exit %d: %s", code, stderr)
	}
	for _, name := range []string{report.GateJSONFile, report.GateJUnitFile, report.GateMarkdownFile, "litellm.yaml"} {
		if _, err := os.Stat(filepath.Join(out, name)); err == nil {
			t.Errorf("the old run's %s is still beside the new run's results", name)
		}
	}
	if _, err := os.Stat(filepath.Join(out, "notes.txt")); err != nil {
		t.Errorf("--overwrite removed a file no run wrote: %v", err)
	}
	for _, r := range readRows(t, out) {
		if r.RunID != "two" {
			t.Fatalf("a row of run %q after --overwrite", r.RunID)
		}
	}
	if code, _, stderr := cli(t, nil, "run", "--out", out, "--overwrite", "--resume"); code != ExitUsage || !strings.Contains(stderr, "choose one") {
		t.Errorf("--overwrite --resume: exit %d: %s", code, stderr)
	}
}
