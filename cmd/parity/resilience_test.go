package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/parity-eval/parity/fixtures"
	"github.com/parity-eval/parity/internal/testkit"
	"github.com/parity-eval/parity/results"
	"github.com/parity-eval/parity/suites"
)

const classifySuite = "../../suites/examples/classify.yaml"

// twoProviders starts simulated providers a and b that know the classify
// suite, and writes a config for them; it returns the server, the config
// path and an output directory.
func twoProviders(t *testing.T, prof fixtures.Profile, limits string) (*fixtures.Server, string, string) {
	t.Helper()
	srv, cfg, out, _ := quiescentProviders(t, prof, limits)
	return srv, cfg, out
}

// quiescentProviders is twoProviders, and a func that returns once every
// request a run has put on the wire has been served or dropped: it closes
// the server's connections and waits for the last to close (a closed
// connection's handler has returned). What a run cancelled or killed
// left in flight can so not reach the server after the test counted what
// it was sent.
func quiescentProviders(t *testing.T, prof fixtures.Profile, limits string) (*fixtures.Server, string, string, func()) {
	t.Helper()
	a, b := prof, prof
	a.ID, b.ID = "a", "b"
	ss, err := suites.Load(classifySuite)
	if err != nil {
		t.Fatal(err)
	}
	srv := fixtures.New(fixtures.UseOracle(fixtures.OracleFrom(ss)), fixtures.Profiles(a, b))
	var conns fixtures.Conns
	hs := httptest.NewUnstartedServer(srv)
	hs.Config.ConnState = conns.ConnState
	hs.Start()
	t.Cleanup(hs.Close)
	quiesce := func() {
		t.Helper()
		hs.CloseClientConnections()
		for deadline := time.Now().Add(30 * time.Second); conns.Open() > 0; time.Sleep(time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatalf("%d connections still open 30s after they were closed", conns.Open())
			}
		}
	}
	dir := t.TempDir()
	cfg := strings.ReplaceAll(`baseline: a
providers:
  - {id: a, base_url: URL/a/v1, model: m, price: {input: 1, output: 2}, limits: LIMITS}
  - {id: b, base_url: URL/b/v1, model: m, price: {input: 1, output: 2}, limits: LIMITS}
`, "LIMITS", limits)
	return srv, writeConfig(t, dir, cfg, hs.URL), filepath.Join(dir, "out"), quiesce
}

func rowKey(r results.Row) string {
	return fmt.Sprintf("%s/%s/%s/%d", r.Suite, r.CaseID, r.Provider, r.Repeat)
}

// assertOneRowEach checks there is exactly one row per case x provider x repeat.
func assertOneRowEach(t *testing.T, rows []results.Row, want int) {
	t.Helper()
	seen := map[string]bool{}
	for _, r := range rows {
		if seen[rowKey(r)] {
			t.Errorf("duplicate row %s", rowKey(r))
		}
		seen[rowKey(r)] = true
	}
	if len(rows) != want || len(seen) != want {
		t.Errorf("%d rows (%d distinct), want %d", len(rows), len(seen), want)
	}
}

var always = fixtures.Profile{Quality: map[string]float64{fixtures.AnyTag: 1}}

// TestRerunHitsCache checks a second identical run sends no request: every
// answer comes from the cache, marked on the row, and costs nothing.
func TestRerunHitsCache(t *testing.T) {
	t.Parallel()
	srv, cfg, out := twoProviders(t, always, "{concurrency: 4}")
	cache := t.TempDir()
	vars := map[string]string{"PARITY_CACHE_DIR": cache}
	args := []string{"run", "--config", cfg, "--suites", classifySuite, "--quiet", "--repeat", "2"}
	if code, _, stderr := cli(t, vars, append(args, "--out", out+"1")...); code != ExitOK {
		t.Fatalf("first run: exit %d: %s", code, stderr)
	}
	first := srv.Count("", fixtures.EndpointChat)
	if first != 11*2*2 {
		t.Fatalf("first run sent %d requests, want 44", first)
	}
	code, stdout, stderr := cli(t, vars, append(args, "--out", out+"2")...)
	if code != ExitOK {
		t.Fatalf("second run: exit %d: %s", code, stderr)
	}
	if n := srv.Count("", fixtures.EndpointChat) - first; n != 0 {
		t.Errorf("the second identical run sent %d requests, want 0", n)
	}
	rows := readRows(t, out+"2")
	assertOneRowEach(t, rows, 44)
	for _, r := range rows {
		if !r.Cached || !r.Pass || r.LatencyMS <= 0 {
			t.Errorf("%s: cached %v pass %v latency %v", rowKey(r), r.Cached, r.Pass, r.LatencyMS)
		}
	}
	if !strings.Contains(stdout, "44 answers from the cache, $0 spent in this run") {
		t.Errorf("the summary does not say the answers came from the cache:\n%s", stdout)
	}
	// --no-cache sends again.
	if code, _, _ := cli(t, vars, append(args, "--out", out+"3", "--no-cache")...); code != ExitOK || srv.Count("", fixtures.EndpointChat) != 2*first {
		t.Errorf("--no-cache: exit %d, %d requests in all", code, srv.Count("", fixtures.EndpointChat))
	}
}

// TestDryRunSendsNothing checks --dry-run prints the plan and sends nothing.
func TestDryRunSendsNothing(t *testing.T) {
	t.Parallel()
	srv, cfg, out := twoProviders(t, always, "{concurrency: 4}")
	code, stdout, stderr := cli(t, nil, "run", "--config", cfg, "--suites", classifySuite, "--out", out, "--repeat", "3", "--dry-run")
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if n := len(srv.Requests()); n != 0 {
		t.Errorf("a dry run sent %d requests", n)
	}
	if _, err := os.Stat(out); err == nil {
		t.Error("a dry run wrote outputs")
	}
	testkit.Golden(t, "dryrun.stdout", stdout)
}

// TestMaxCost checks --max-cost stops sending within one request's cost of
// the budget, says so, and keeps what finished.
func TestMaxCost(t *testing.T) {
	t.Parallel()
	srv, cfg, out := twoProviders(t, always, "{concurrency: 2}")
	// At $1/$2 per million tokens, a classify request costs about $0.0001.
	const budget = 0.002
	code, _, stderr := cli(t, nil, "run", "--config", cfg, "--suites", classifySuite, "--out", out, "--repeat", "5", "--quiet", "--max-cost", fmt.Sprint(budget))
	if code != ExitInterrupted || !strings.Contains(stderr, "the budget of $0.0020 is spent") {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	rows := readRows(t, out)
	spent, most := 0.0, 0.0
	for _, r := range rows {
		spent += r.CostUSD
		most = max(most, r.CostUSD)
	}
	if spent > budget+most {
		t.Errorf("spent $%.6f, more than the budget $%.4f plus one request ($%.6f)", spent, budget, most)
	}
	if testing.Verbose() {
		for _, r := range rows {
			t.Logf("%s cached=%v attempts=%d cost=%v class=%s", rowKey(r), r.Cached, r.Attempts, r.CostUSD, r.ErrorClass)
		}
	}
	if len(rows) == 0 || len(rows) >= 110 || len(srv.Requests()) != len(rows) {
		t.Errorf("%d rows, %d requests: want some, not all, and no request without its row", len(rows), len(srv.Requests()))
	}
}

// TestKillAndResume kills a run with SIGKILL midway, resumes it, and checks
// the result: one row per case x provider x repeat, and no request sent
// again for a result the journal held.
func TestKillAndResume(t *testing.T) {
	t.Parallel()
	slow := always
	slow.Latency = 20 * time.Millisecond
	srv, cfg, out, quiesce := quiescentProviders(t, slow, "{concurrency: 2}")
	cmd := exec.Command(os.Args[0], "run", "--config", cfg, "--suites", classifySuite, "--out", out, "--repeat", "3", "--quiet", "--no-cache")
	cmd.Env = append(os.Environ(), "PARITY_TEST_MAIN=1")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	journal := filepath.Join(out, results.JournalFile)
	deadline := time.Now().Add(20 * time.Second)
	for countLines(journal) < 20 {
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatalf("the run journaled %d rows in 20s: %s", countLines(journal), stderr.String())
		}
		time.Sleep(5 * time.Millisecond)
	}
	if err := cmd.Process.Kill(); err != nil { // SIGKILL: no cleanup runs
		t.Fatal(err)
	}
	cmd.Wait()
	quiesce() // requests already on the wire arrive, or never will
	before := len(srv.Requests())
	journaled := journalPrompts(t, journal)
	if len(journaled) == 0 || before >= 66 {
		t.Fatalf("killed too late: %d requests sent, %d journaled", before, len(journaled))
	}
	if _, err := os.Stat(filepath.Join(out, results.FileName)); err == nil {
		t.Fatal("a killed run left a results.parquet: it cannot have a footer")
	}

	// A new run into the same directory, or a resume that changes the
	// run's settings, is refused before anything is sent.
	if code, _, errs := cli(t, nil, "run", "--config", cfg, "--suites", classifySuite, "--out", out); code != ExitUsage || !strings.Contains(errs, "holds an unfinished run") {
		t.Errorf("a new run over an unfinished one: exit %d: %s", code, errs)
	}
	if code, _, errs := cli(t, nil, "run", "--resume", "--out", out, "--repeat", "5"); code != ExitUsage || !strings.Contains(errs, "drop --repeat") {
		t.Errorf("resume with --repeat: exit %d: %s", code, errs)
	}
	if len(srv.Requests()) != before {
		t.Fatal("a refused run sent requests")
	}
	code, _, errs := cli(t, nil, "run", "--resume", "--out", out, "--quiet", "--no-cache")
	if code != ExitOK {
		t.Fatalf("resume: exit %d: %s", code, errs)
	}
	assertOneRowEach(t, readRows(t, out), 11*2*3)
	// After the kill, each (provider, prompt) is sent once per repeat the
	// journal lacked: nothing journaled is sent again.
	after := map[string]int{}
	for _, rec := range srv.Requests()[before:] {
		after[rec.Provider+"|"+userPrompt(t, rec.Body)]++
	}
	for key, n := range after {
		if want := 3 - journaled[key]; n != want {
			t.Errorf("%s: %d requests after the kill, want %d (3 repeats, %d journaled)", key, n, want, journaled[key])
		}
	}
	if _, err := os.Stat(journal); err == nil {
		t.Error("the journal outlived a complete run")
	}
	// Resuming a complete run sends nothing and says so.
	sent := len(srv.Requests())
	if code, _, errs := cli(t, nil, "run", "--resume", "--out", out); code != ExitUsage || !strings.Contains(errs, "is complete: there is nothing to resume") {
		t.Errorf("resuming a complete run: exit %d: %s", code, errs)
	}
	if len(srv.Requests()) != sent {
		t.Error("resuming a complete run sent requests")
	}
}

func countLines(path string) int {
	data, err := os.ReadFile(path)
	if err != nil {
		return 0
	}
	return bytes.Count(data, []byte("\n"))
}

// journalPrompts counts the journal's rows per provider and user prompt.
func journalPrompts(t *testing.T, path string) map[string]int {
	t.Helper()
	ss, err := suites.Load(classifySuite)
	if err != nil {
		t.Fatal(err)
	}
	prompts := map[string]string{}
	for _, c := range testkit.Cases(t, ss[0]) {
		m, err := ss[0].Messages(c)
		if err != nil {
			t.Fatal(err)
		}
		prompts[c.ID] = m.User
	}
	out := map[string]int{}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for sc := bufio.NewScanner(f); sc.Scan(); {
		var row results.Row
		if json.Unmarshal(sc.Bytes(), &row) == nil {
			out[row.Provider+"|"+prompts[row.CaseID]]++
		}
	}
	return out
}

func userPrompt(t *testing.T, body []byte) string {
	t.Helper()
	var req struct {
		Messages []struct{ Role, Content string } `json:"messages"`
	}
	if err := json.Unmarshal(body, &req); err != nil {
		t.Fatal(err)
	}
	for _, m := range req.Messages {
		if m.Role == "user" {
			return m.Content
		}
	}
	return ""
}

// TestFaultsBecomeRows runs against providers that fail a quarter of their
// requests in every way the fixtures know (429 with Retry-After, 500, 503,
// slow answers, dropped connections, truncated bodies): every case x
// provider x repeat still has one row, attempts stay bounded, and every
// row either succeeded or carries a classified error.
func TestFaultsBecomeRows(t *testing.T) {
	t.Parallel()
	chaotic := always
	chaotic.Chaos = fixtures.ChaosAll(0.25)
	chaotic.Chaos.SlowDelay = 30 * time.Millisecond
	srv, cfg, out := twoProviders(t, chaotic, "{concurrency: 8}")
	code, _, stderr := cli(t, nil, "run", "--config", cfg, "--suites", classifySuite, "--out", out, "--repeat", "4", "--quiet", "--no-cache")
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	rows := readRows(t, out)
	assertOneRowEach(t, rows, 11*2*4)
	classes := map[string]bool{"rate_limit": true, "server_error": true, "connection": true, "malformed": true, "timeout": true}
	attempts, failed := 0, 0
	for _, r := range rows {
		attempts += int(r.Attempts)
		if r.Attempts < 1 || r.Attempts > 3 {
			t.Errorf("%s: %d attempts, want 1 to 3", rowKey(r), r.Attempts)
		}
		switch {
		case r.ErrorClass == "" && (!r.Pass || r.Output == ""):
			t.Errorf("%s: no error class, but pass %v output %q", rowKey(r), r.Pass, r.Output)
		case r.ErrorClass != "":
			failed++
			if !classes[string(r.ErrorClass)] || r.Error == "" {
				t.Errorf("%s: class %q error %q", rowKey(r), r.ErrorClass, r.Error)
			}
		}
	}
	faults := 0
	for _, p := range []string{"a", "b"} {
		for _, n := range srv.Stats(p).Faults {
			faults += n
		}
	}
	if sent := srv.Count("", fixtures.EndpointChat); sent != attempts {
		t.Errorf("the server saw %d requests, the rows count %d attempts", sent, attempts)
	}
	// With three attempts, a result fails only when all three do: about
	// 0.25³ of the time, fewer for the slow kind that succeeds.
	if faults == 0 || failed > len(rows)/10 {
		t.Errorf("%d faults injected, %d of %d rows failed", faults, failed, len(rows))
	}
}
