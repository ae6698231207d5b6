package main

import (
	"bufio"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/parity-eval/parity/fixtures"
	"github.com/parity-eval/parity/suites"
)

// benchRemote is the process serving a bench's two providers: this test
// binary re-run as TestBenchServerProcess. Out of parity's process, the
// servers' garbage no longer sets off collections that mark parity's
// live heap (nor the ceiling's), as a remote provider's would not, and
// their CPU still competes for the same cores.
type benchRemote struct {
	// urls are the providers' servers, a then b; control answers
	// /opened and /first.
	urls    [2]string
	control string
}

// startBenchServer starts the process serving the suite's providers,
// flushing every event (as fixtures does on its own) or not; it ends with
// the benchmark.
func startBenchServer(b *testing.B, suite string, flushed bool) *benchRemote {
	b.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestBenchServerProcess$")
	cmd.Env = append(os.Environ(), fmt.Sprintf("PARITY_BENCH_SERVE=%s\n%v", suite, flushed))
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		b.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		b.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() {
		stdin.Close() // the server's signal to end
		_ = cmd.Wait()
	})
	line, err := bufio.NewReader(stdout).ReadString('\n')
	var r benchRemote
	if _, scanErr := fmt.Sscan(line, &r.urls[0], &r.urls[1], &r.control); err != nil || scanErr != nil {
		b.Fatalf("bench server: %q: %v %v", line, err, scanErr)
	}
	go func() { _, _ = io.Copy(io.Discard, stdout) }()
	return &r
}

// opened is how many connections each provider's server has accepted.
func (r *benchRemote) opened(b *testing.B) []int {
	var a, c int
	if _, err := fmt.Sscan(string(r.get(b, "/opened")), &a, &c); err != nil {
		b.Fatalf("bench server: /opened: %v", err)
	}
	return []int{a, c}
}

// first is the first request body parity (not the ceiling) sent a.
func (r *benchRemote) first(b *testing.B) []byte { return r.get(b, "/first") }

// get reads one answer of the control server; an error fails b rather
// than reach a figure the benchmark reports.
func (r *benchRemote) get(b *testing.B, path string) []byte {
	b.Helper()
	resp, err := http.Get(r.control + path)
	if err != nil {
		b.Fatalf("bench server: %s: %v", path, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		b.Fatalf("bench server: %s: %s %v", path, resp.Status, err)
	}
	return body
}

// TestBenchServerProcess is the benchmarks' server process: with
// PARITY_BENCH_SERVE set to a suite and whether to flush every event, it
// serves the two zero-latency simulated providers of the suite on
// loopback servers of their own, counting connections, prints their URLs
// and a control server's, and serves until its stdin closes; otherwise
// it does nothing.
func TestBenchServerProcess(t *testing.T) {
	spec := os.Getenv("PARITY_BENCH_SERVE")
	if spec == "" {
		t.Skip("only a benchmark's server process")
	}
	suite, flushed, _ := strings.Cut(spec, "\n")
	var first atomic.Pointer[[]byte]
	srv := benchFixtures(t, suite, &first)
	var h http.Handler = srv
	if flushed != "true" {
		h = coalesced(srv)
	}
	var conns [2]fixtures.Conns
	var urls [2]string
	for i := range conns {
		hs := httptest.NewUnstartedServer(h)
		hs.Config.ConnState = conns[i].ConnState
		hs.Start()
		defer hs.Close()
		urls[i] = hs.URL
	}
	control := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/opened":
			fmt.Fprintf(w, "%d %d", conns[0].Opened(), conns[1].Opened())
		case "/first":
			if p := first.Load(); p != nil {
				_, _ = w.Write(*p)
			}
		}
	}))
	defer control.Close()
	fmt.Printf("%s %s %s\n", urls[0], urls[1], control.URL)
	_, _ = io.Copy(io.Discard, os.Stdin)
}

// benchFixtures is the simulation of both providers: zero latency, every
// answer right; it keeps no requests but the first body parity sent
// provider a.
func benchFixtures(t *testing.T, suite string, first *atomic.Pointer[[]byte]) *fixtures.Server {
	t.Helper()
	ss, err := suites.Load(suite)
	if err != nil {
		t.Fatal(err)
	}
	p := fixtures.Profile{Quality: map[string]float64{fixtures.AnyTag: 1}}
	a, c := p, p
	a.ID, c.ID = "a", "b"
	return fixtures.New(fixtures.UseOracle(fixtures.OracleFrom(ss)), fixtures.Profiles(a, c), fixtures.Keep(0),
		fixtures.OnRequest(func(r fixtures.Recorded) {
			if first.Load() == nil && r.Provider == "a" && r.Header.Get("User-Agent") != ceilingAgent {
				first.CompareAndSwap(nil, &r.Body)
			}
		}))
}
