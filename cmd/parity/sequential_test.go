package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/parity-eval/parity/fixtures"
	"github.com/parity-eval/parity/gate"
	"github.com/parity-eval/parity/report"
	"github.com/parity-eval/parity/suites"
)

// writeLabelSuite writes a suite of n one-label cases tagged tag.
func writeLabelSuite(t *testing.T, dir, name, tag string, n int) string {
	t.Helper()
	var b strings.Builder
	fmt.Fprintf(&b, "name: %s\ntags: [%s]\nrequest: {temperature: 0, max_tokens: 5}\nprompt:\n  user: \"%s label: {{.x}}\"\ncases:\n", name, tag, name)
	labels := []string{"billing", "bug", "account", "shipping"}
	for i := range n {
		fmt.Fprintf(&b, "  - {id: c%03d, vars: {x: \"case %d\"}, reference: %s}\n", i, i, labels[i%len(labels)])
	}
	b.WriteString("checks:\n  - {type: equals, ignore_case: true}\n")
	path := filepath.Join(dir, name+".yaml")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestSequentialRun: `parity run --gate worse --sequential` against
// simulated providers over loopback: the candidate is as good as the
// baseline on one suite of 150 cases and always wrong on another. The
// run sends only the two gated providers (not the third of the config),
// the same cases to both with every repeat, stops once the bad suite's
// harm is shown, exits 1 naming it, and every output says what was
// saved: gate.json's sequential block matches the requests the servers
// received, gate.md and report.html state the savings.
func TestSequentialRun(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	writeLabelSuite(t, dir, "same", "same", 150)
	writeLabelSuite(t, dir, "broken", "broken", 150)
	base := fixtures.Profile{ID: "base", Model: "m", Quality: map[string]float64{fixtures.AnyTag: 0.9}}
	worse := fixtures.Profile{ID: "worse", Model: "m", Quality: map[string]float64{"same": 0.9, "broken": 0}}
	third := fixtures.Profile{ID: "third", Model: "m", Quality: map[string]float64{fixtures.AnyTag: 1}}
	srv, hs := simulate(t, []string{dir}, fixtures.Profiles(base, worse, third), fixtures.Seed(2))
	cfg := writeConfig(t, t.TempDir(), `baseline: base
providers:
  - {id: base, base_url: URL/base/v1, model: m, price: {input: 1, output: 2}, limits: {concurrency: 4}}
  - {id: worse, base_url: URL/worse/v1, model: m, price: {input: 1, output: 2}, limits: {concurrency: 4}}
  - {id: third, base_url: URL/third/v1, model: m, price: {input: 1, output: 2}, limits: {concurrency: 4}}
`, hs.URL)
	out := filepath.Join(t.TempDir(), "out")
	code, stdout, stderr := cli(t, nil, "run", "--config", cfg, "--suites", dir, "--out", out, "--quiet", "--no-cache",
		"--repeat", "2", "--gate", "worse", "--sequential", "--gate-mode", "nightly", "--seed", "7")
	if code != ExitFailed || !strings.Contains(stderr, "broken") || !strings.Contains(stdout, "sending only base and worse (third left out)") {
		t.Fatalf("exit %d\nstdout %s\nstderr %s", code, stdout, stderr)
	}
	if n := srv.Count("third", fixtures.EndpointChat); n != 0 {
		t.Errorf("third was sent %d requests", n)
	}
	data, err := os.ReadFile(filepath.Join(out, report.GateJSONFile))
	if err != nil {
		t.Fatal(err)
	}
	var g gate.Result
	if err := json.Unmarshal(data, &g); err != nil {
		t.Fatal(err)
	}
	sq := g.Sequential
	if sq == nil || sq.StoppedBy != "broken" || sq.FixedRequests != 2*150*2*2 || sq.SavedRequests <= sq.FixedRequests/2 || sq.SavedUSD <= 0 {
		t.Fatalf("sequential: %+v", sq)
	}
	sent := srv.Count("base", fixtures.EndpointChat) + srv.Count("worse", fixtures.EndpointChat)
	if sent != sq.Requests {
		t.Errorf("the servers received %d requests, gate.json says %d were sent", sent, sq.Requests)
	}
	// Every admitted case has both providers' rows, every repeat.
	pairs := map[string]int{}
	for _, r := range readRows(t, out) {
		pairs[r.Suite+"/"+r.CaseID]++
	}
	for k, n := range pairs {
		if n != 4 {
			t.Errorf("%s has %d rows, want 2 providers x 2 repeats", k, n)
		}
	}
	if len(pairs)*4 != sq.Requests {
		t.Errorf("%d cases have rows, gate.json says %d requests", len(pairs), sq.Requests)
	}
	for _, s := range g.Suites {
		if want := map[string]gate.Verdict{"broken": gate.Fail, "same": gate.Inconclusive}[s.Suite]; s.Verdict != want || s.Sequential == nil {
			t.Errorf("%s: %s, want %s (%v)", s.Suite, s.Verdict, want, s.Reasons)
		}
	}
	for _, f := range []string{report.GateMarkdownFile, report.ReportFile} {
		b, err := os.ReadFile(filepath.Join(out, f))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(b), fmt.Sprintf("%d saved", sq.SavedRequests)) {
			t.Errorf("%s does not state the %d requests saved", f, sq.SavedRequests)
		}
	}
	// A fixed-size gate over the sequential run's rows says they were
	// optionally stopped; the run's own gate did not.
	_, gateOut, _ := cli(t, nil, "gate", "--baseline", "base", "--candidate", "worse", "--mode", "nightly", out)
	if !strings.Contains(gateOut, "comes from a sequential run") {
		t.Errorf("parity gate over a sequential run does not warn:\n%s", gateOut)
	}
	for _, w := range g.Warnings {
		if strings.Contains(w, "comes from a sequential run") {
			t.Errorf("the run's own gate warns of itself: %s", w)
		}
	}
	// A sequential run cannot resume, and needs a gate.
	for _, args := range [][]string{{"--sequential"}, {"--sequential", "--gate", "worse", "--resume"}} {
		if code, _, stderr := cli(t, nil, append([]string{"run", "--config", cfg, "--suites", dir, "--out", t.TempDir()}, args...)...); code != ExitUsage {
			t.Errorf("%v: exit %d: %s", args, code, stderr)
		}
	}
}

// TestSequentialPlanServable: the sequential gate plans only the suites
// both providers send: a suite needing a capability the candidate lacks
// is neither gated nor counted in the fixed design's requests.
func TestSequentialPlanServable(t *testing.T) {
	t.Parallel()
	base := &suites.Provider{ID: "base", Capabilities: []suites.Capability{suites.CapJSONSchema}, Limits: suites.Limits{Concurrency: 1}}
	cand := &suites.Provider{ID: "cand", Limits: suites.Limits{Concurrency: 1}}
	cfg := &suites.Config{Baseline: "base", Providers: []*suites.Provider{base, cand}, Concurrency: 2}
	plain := &suites.Suite{Name: "plain", Cases: suites.NewCases(&suites.Case{ID: "a"}, &suites.Case{ID: "b"}, &suites.Case{ID: "c"})}
	schema := &suites.Suite{Name: "schema", Needs: []suites.Capability{suites.CapJSONSchema}, Cases: suites.NewCases(&suites.Case{ID: "x"})}
	o := &runOptions{repeat: 2, seed: 1}
	g := gate.DefaultOptions()
	g.Baseline, g.Candidate = "base", "cand"
	seq, err := o.newSequential(g, cfg, []*suites.Suite{plain, schema})
	if err != nil {
		t.Fatal(err)
	}
	sum := seq.Summary()
	if len(sum.Suites) != 1 || sum.Suites[0].Suite != "plain" || sum.FixedRequests != 3*2*2 {
		t.Errorf("plan %+v, want only plain: 3 cases x 2 sides x 2 repeats", sum)
	}
	if !seq.Admit("schema", "x") {
		t.Error("a suite outside the gate was not admitted")
	}
}
