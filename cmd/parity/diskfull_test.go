package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/parity-eval/parity/fixtures"
	"github.com/parity-eval/parity/report"
	"github.com/parity-eval/parity/results"
)

// fullAfter makes the writes to the file name fail once n lines of them
// went through (the journal's rows, which rows arriving together share a
// write for): from then on they go to /dev/full, which fails every write
// as a full disk does (ENOSPC), and a write holding more lines than are
// left writes those first, as a disk filling mid-write does. onFull,
// when not nil, is called at the first failed write.
func fullAfter(t *testing.T, name string, n int, onFull func()) func(string, io.Writer) io.Writer {
	t.Helper()
	full, err := os.OpenFile("/dev/full", os.O_WRONLY, 0)
	if err != nil {
		t.Skipf("no /dev/full: %v", err)
	}
	t.Cleanup(func() { full.Close() })
	return func(file string, w io.Writer) io.Writer {
		if file != name {
			return w
		}
		return &switchAfter{w: w, full: full, left: n, onFull: onFull}
	}
}

// switchAfter writes to w until left lines went through, then to full.
type switchAfter struct {
	mu      sync.Mutex
	w, full io.Writer
	left    int
	onFull  func()
}

func (s *switchAfter) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	end := 0 // the end of the lines left
	for ; s.left > 0 && end < len(p); s.left-- {
		i := bytes.IndexByte(p[end:], '\n')
		if i < 0 {
			return s.w.Write(p) // the rest of a line: the next write ends it
		}
		end += i + 1
	}
	if end == len(p) {
		return s.w.Write(p)
	}
	n, err := s.w.Write(p[:end])
	if err != nil {
		return n, err
	}
	if s.onFull != nil {
		s.onFull()
		s.onFull = nil
	}
	m, err := s.full.Write(p[end:])
	return n + m, err
}

// cliWrites runs the CLI in-process as cli does, with the run's writes to
// results.parquet and the journal going through writes.
func cliWrites(t *testing.T, writes func(string, io.Writer) io.Writer, args ...string) (int, string) {
	t.Helper()
	var out, errb bytes.Buffer
	cacheDir := t.TempDir()
	e := &env{stdout: &out, stderr: &errb, writesThrough: writes, lookupEnv: func(k string) (string, bool) {
		if k == "PARITY_CACHE_DIR" {
			return cacheDir, true
		}
		return "", false
	}}
	return parityEnv(context.Background(), args, e), errb.String()
}

// readSummary reads summary.json's completeness and write error.
func readSummary(t *testing.T, out string) (complete bool, writeErr string) {
	t.Helper()
	var sum struct {
		Complete   bool   `json:"complete"`
		WriteError string `json:"write_error"`
	}
	b, err := os.ReadFile(filepath.Join(out, report.SummaryFile))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &sum); err != nil {
		t.Fatal(err)
	}
	return sum.Complete, sum.WriteError
}

// TestJournalFullStopsSending: the journal's disk fills at row 40 of 660.
// Sending stops at once (only what was on the wire then still arrives),
// the run exits ExitError with summary.json saying complete: false, the
// journal is kept, and --resume sends again nothing the journal holds.
// Before, all 660 requests went out after the journal failed.
func TestJournalFullStopsSending(t *testing.T) {
	t.Parallel()
	const concurrency, providers = 2, 2
	srv, cfg, out, quiesce := quiescentProviders(t, always, fmt.Sprintf("{concurrency: %d}", concurrency))
	const journaled, planned = 40, 11 * providers * 30
	args := []string{"run", "--config", cfg, "--suites", classifySuite, "--out", out, "--repeat", "30", "--quiet", "--no-cache"}
	atFailure := -1
	code, stderr := cliWrites(t, fullAfter(t, results.JournalFile, journaled, func() { atFailure = srv.Count("", fixtures.EndpointChat) }), args...)
	if code != ExitError || !strings.Contains(stderr, "no space left on device") || !strings.Contains(stderr, "--resume") {
		t.Fatalf("exit %d, want %d (ExitError) naming the error and --resume: %s", code, ExitError, stderr)
	}
	// Once the journal failed, at most the two providers' four workers,
	// past their check of the context already, send a request; what they
	// left on the wire is served (or dropped) before it is counted.
	quiesce()
	sent := srv.Count("", fixtures.EndpointChat)
	// What was in flight when the write failed may still arrive: at most
	// each provider's concurrency.
	if atFailure < journaled || sent-atFailure > concurrency*providers {
		t.Errorf("%d requests sent when the journal failed at row %d, %d of %d in all: sending did not stop", atFailure, journaled+1, sent, planned)
	}
	t.Logf("%d requests sent when the journal failed at row %d, %d of %d in all", atFailure, journaled+1, sent, planned)
	if complete, why := readSummary(t, out); complete || !strings.Contains(why, "no space left on device") {
		t.Errorf("summary.json: complete %v, write_error %q", complete, why)
	}
	journal := filepath.Join(out, results.JournalFile)
	if n := countLines(journal); n != journaled {
		t.Fatalf("the journal holds %d rows, want %d", n, journaled)
	}
	held := journalPrompts(t, journal)

	before := len(srv.Requests())
	if code, _, errs := cli(t, nil, "run", "--resume", "--out", out, "--quiet"); code != ExitOK {
		t.Fatalf("resume: exit %d: %s", code, errs)
	}
	assertOneRowEach(t, readRows(t, out), planned)
	again := map[string]int{}
	for _, rec := range srv.Requests()[before:] {
		again[rec.Provider+"|"+userPrompt(t, rec.Body)]++
	}
	for key, n := range again {
		if want := 30 - held[key]; n != want {
			t.Errorf("%s: resume sent %d, want %d (30 repeats, %d journaled)", key, n, want, held[key])
		}
	}
	if len(srv.Requests())-before != planned-journaled {
		t.Errorf("resume sent %d requests, want %d", len(srv.Requests())-before, planned-journaled)
	}
}

// TestResultsFullKeepsJournal: results.parquet cannot be written (its
// disk is full from the first byte). The run exits ExitError, summary.json
// says complete: false, no results.parquet is left, the journal is kept,
// and --resume writes the results without sending a request. Before, a
// failed results.parquet sat beside a summary that said complete, and
// the journal was deleted.
func TestResultsFullKeepsJournal(t *testing.T) {
	t.Parallel()
	srv, cfg, out := twoProviders(t, always, "{concurrency: 2}")
	args := []string{"run", "--config", cfg, "--suites", classifySuite, "--out", out, "--quiet", "--no-cache"}
	code, stderr := cliWrites(t, fullAfter(t, results.FileName, 0, nil), args...)
	if code != ExitError || !strings.Contains(stderr, "no space left on device") {
		t.Fatalf("exit %d, want %d (ExitError): %s", code, ExitError, stderr)
	}
	if complete, why := readSummary(t, out); complete || why == "" {
		t.Errorf("summary.json: complete %v, write_error %q", complete, why)
	}
	for _, f := range []string{results.FileName, results.FileName + ".partial"} {
		if _, err := os.Stat(filepath.Join(out, f)); err == nil {
			t.Errorf("%s left beside a run whose results could not be written", f)
		}
	}
	sent := srv.Count("", fixtures.EndpointChat)
	journal := filepath.Join(out, results.JournalFile)
	if n := countLines(journal); n == 0 || n > sent {
		t.Fatalf("the journal holds %d rows of %d sent", n, sent)
	}
	want := countLines(journal)
	if code, _, errs := cli(t, nil, "run", "--resume", "--out", out, "--quiet"); code != ExitOK {
		t.Fatalf("resume: exit %d: %s", code, errs)
	}
	if n := srv.Count("", fixtures.EndpointChat) - sent; n != 22-want {
		t.Errorf("resume sent %d requests, want %d (22 planned, %d journaled)", n, 22-want, want)
	}
	assertOneRowEach(t, readRows(t, out), 22)
	if complete, why := readSummary(t, out); !complete || why != "" {
		t.Errorf("after resume, summary.json: complete %v, write_error %q", complete, why)
	}
}

// TestHugeAnswerIsCapped: a provider answers 3 MiB. The row keeps the
// first results.MaxCellBytes of it with truncated set, results.parquet
// reads back, and the run is complete. Before, the whole answer went into
// every output.
func TestHugeAnswerIsCapped(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	suite := filepath.Join(dir, "huge.yaml")
	huge := strings.Repeat("y", 3<<20)
	yaml := "name: huge\ntags: [long]\nprompt: {user: \"{{.q}}\"}\ncases:\n  - {id: big, vars: {q: big}, reference: " + huge + "}\n  - {id: small, vars: {q: small}, reference: ok}\n"
	if err := os.WriteFile(suite, []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	_, hs := simulate(t, []string{suite}, fixtures.Profiles(fixtures.Profile{ID: "a", Quality: map[string]float64{fixtures.AnyTag: 1}}))
	cfg := writeConfig(t, dir, "baseline: a\nproviders:\n  - {id: a, base_url: URL/a/v1, model: m, price: {input: 1, output: 2}}\n", hs.URL)
	out := filepath.Join(dir, "out")
	code, _, stderr := cli(t, nil, "run", "--config", cfg, "--suites", suite, "--out", out, "--quiet", "--no-cache")
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, r := range readRows(t, out) {
		wantCut := r.CaseID == "big"
		if r.Truncated != wantCut || (wantCut && len(r.Output) != results.MaxCellBytes) {
			t.Errorf("%s: truncated %v, %d bytes of output", r.CaseID, r.Truncated, len(r.Output))
		}
	}
	if complete, _ := readSummary(t, out); !complete {
		t.Error("summary.json says the run is not complete")
	}
}
