package main

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/parity-eval/parity/fixtures"
	"github.com/parity-eval/parity/internal/testkit"
)

// TestCasesFileEditedDuringRun checks parity run over a cases_file edited
// once the run has begun: it stops at the first case it reads from the
// file after the edit (lines of 1 KB, so the reader's 64 KiB holds the
// first 64 or so), exit 130, naming the file and line, keeps what was
// sent, and no row holds a case the file did not have when the run
// began.
func TestCasesFileEditedDuringRun(t *testing.T) {
	t.Parallel()
	var lines strings.Builder
	for i := range 200 {
		fmt.Fprintf(&lines, `{"id": "c%03d", "vars": {"text": "ticket %03d", "pad": "%s"}, "reference": "bug"}`+"\n", i, i, strings.Repeat("x", 1000))
	}
	ss, dir := testkit.LoadSuite(t, map[string]string{
		"s.yaml":  "name: s\ntags: [classify]\nprompt: {user: 'Ticket: {{.text}}'}\ncases_file: c.jsonl\nchecks: [{type: contains}]\n",
		"c.jsonl": lines.String(),
	})
	suite := filepath.Join(dir, "s.yaml")
	srv := fixtures.New(fixtures.UseOracle(fixtures.OracleFrom(ss)), fixtures.Profiles(
		fixtures.Profile{ID: "p", Quality: map[string]float64{fixtures.AnyTag: 1}, Latency: 20 * time.Millisecond}))
	first := make(chan struct{})
	var once sync.Once
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		once.Do(func() { close(first) })
		srv.ServeHTTP(w, r)
	}))
	t.Cleanup(hs.Close)
	cfg := writeConfig(t, dir, "providers:\n  - {id: p, base_url: URL/p/v1, model: m, limits: {concurrency: 1}}\n", hs.URL)
	edited := make(chan error, 1)
	go func() {
		<-first
		edited <- os.WriteFile(filepath.Join(dir, "c.jsonl"), []byte(strings.ReplaceAll(lines.String(), "ticket", "TICKET")), 0o644)
	}()
	out := filepath.Join(dir, "out")
	code, _, stderr := cli(t, nil, "run", "--config", cfg, "--suites", suite, "--out", out, "--quiet", "--no-cache")
	if err := <-edited; err != nil {
		t.Fatal(err)
	}
	if code != ExitInterrupted || !strings.Contains(stderr, "c.jsonl:") || !strings.Contains(stderr, "changed since the suite was loaded") {
		t.Fatalf("exit %d, want %d naming the changed line: %s", code, ExitInterrupted, stderr)
	}
	rows := readRows(t, out)
	if len(rows) == 0 || len(rows) >= 100 {
		t.Fatalf("%d rows: want those read before the edit", len(rows))
	}
	for i, r := range rows {
		if r.ErrorClass != "" || r.CaseID != fmt.Sprintf("c%03d", i) {
			t.Errorf("row %d: case %s: %s %s", i, r.CaseID, r.ErrorClass, r.Error)
		}
	}
}
