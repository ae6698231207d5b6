package main

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/parity-eval/parity/fixtures"
	"github.com/parity-eval/parity/results"
)

// demoProfiles are the demo's simulated providers without their latency
// (the test would wait for it), with their failures: sim-flaky's 503s
// are retried, and deterministic per case.
func demoProfiles() fixtures.Option {
	var ps []fixtures.Profile
	for _, p := range append(fixtures.DefaultProfiles(), fixtures.ImageProfiles()...) {
		p.Latency, p.Jitter, p.TokensPerSecond = 0, 0, 0
		ps = append(ps, p)
	}
	return fixtures.Profiles(ps...)
}

// TestShardedDemoMatchesUnsharded is issue 15's done-when test: the demo
// (its config, every example suite, its simulated providers on loopback
// HTTP) run whole and as 4 shards at once, the shards merged:
// the merged results hold exactly the unsharded rows (every column that
// does not depend on timing), and parity gate gives both the same
// verdicts, suite by suite and check by check.
func TestShardedDemoMatchesUnsharded(t *testing.T) {
	t.Parallel()
	paths := []string{"../../suites/examples", "../../suites/examples/capabilities"}
	// The simulated providers answer the n-th ask of a prompt as its n-th
	// draw: the whole run and the shards each have a server of their own
	// (the shards share one, as they share a real provider), and one
	// repeat, since a case's repeats in flight at once reach the server
	// in any order.
	_, wholeSrv := simulate(t, paths, demoProfiles())
	_, shardSrv := simulate(t, paths, demoProfiles())
	run := func(url, out string, extra ...string) {
		args := append([]string{"run", "--config", "../../parity.yaml", "--suites", strings.Join(paths, ","), "--out", out,
			"--run-id", "nightly-1", "--no-cache", "--quiet"}, extra...)
		vars := map[string]string{"PARITY_FIXTURES": url}
		if code, _, stderr := cli(t, vars, args...); code != ExitOK {
			t.Errorf("parity %s: exit %d: %s", strings.Join(args, " "), code, stderr)
		}
	}
	dir := t.TempDir()
	whole := filepath.Join(dir, "whole")
	var wg sync.WaitGroup
	wg.Go(func() { run(wholeSrv.URL, whole) })
	var shards []string
	for i := 1; i <= 4; i++ {
		out := filepath.Join(dir, fmt.Sprintf("shard-%d", i))
		shards = append(shards, out)
		wg.Go(func() { run(shardSrv.URL, out, "--shard", fmt.Sprintf("%d/4", i)) })
	}
	wg.Wait()
	if t.Failed() {
		t.FailNow()
	}
	merged := filepath.Join(dir, "merged")
	code, stdout, stderr := cli(t, nil, append([]string{"merge", "--out", merged}, shards...)...)
	if code != ExitOK || stderr != "" || !strings.Contains(stdout, "merged 4 shards of run nightly-1") {
		t.Fatalf("merge: exit %d\n%s\n%s", code, stdout, stderr)
	}
	// The merged run keeps the shards' fingerprint (the unsharded run's
	// differs here only by its server's port) and is no shard.
	sm, err1 := results.ReadManifest(shards[0])
	mm, err2 := results.ReadManifest(merged)
	if err1 != nil || err2 != nil || sm.Fingerprint == "" || mm.Fingerprint != sm.Fingerprint || mm.Shard != nil {
		t.Errorf("the merged run's fingerprint %q (shard %v), the shards' %q: %v %v", mm.Fingerprint, mm.Shard, sm.Fingerprint, err1, err2)
	}
	want, got := timeless(readRows(t, whole)), timeless(readRows(t, merged))
	if len(want) < 150 {
		t.Fatalf("the unsharded run has %d rows", len(want))
	}
	if len(got) != len(want) {
		t.Fatalf("merged %d rows, the unsharded run has %d", len(got), len(want))
	}
	for i := range want {
		if !reflect.DeepEqual(got[i], want[i]) {
			t.Fatalf("row %s differs:\nmerged    %+v\nunsharded %+v", rowKey(want[i]), got[i], want[i])
		}
	}
	for _, candidate := range []string{"sim-mini", "sim-budget", "sim-flaky"} {
		if g, w := gateVerdicts(t, merged, candidate), gateVerdicts(t, whole, candidate); g != w {
			t.Errorf("gate %s: merged\n%s\nunsharded\n%s", candidate, g, w)
		}
	}
}

// timeless is rows sorted by key, with what depends on timing zeroed
// (latency, time to first token, when sent; and the scoring cost: an
// embedding shared by several rows is paid by the first of them to be
// scored) and each image by its file name (the merged rows point into
// the shards' directories).
func timeless(rows []results.Row) []results.Row {
	for i := range rows {
		r := &rows[i]
		r.LatencyMS, r.TTFTMS, r.StartedAt, r.ScoringCostUSD = 0, 0, nil, 0
		if r.Image != "" {
			r.Image = filepath.Base(r.Image)
		}
	}
	slices.SortFunc(rows, func(a, b results.Row) int { return strings.Compare(rowKey(a), rowKey(b)) })
	return rows
}

// gateVerdicts is parity gate's JSON of sim-frontier against candidate
// on the run in dir, less the p95 latency check, which measures timing.
func gateVerdicts(t *testing.T, dir, candidate string) string {
	t.Helper()
	code, stdout, stderr := cli(t, nil, "gate", dir, "--baseline", "sim-frontier", "--candidate", candidate, "--max-p95-increase", "off", "--format", "json")
	if code != ExitOK && code != ExitFailed && code != ExitInconclusive {
		t.Fatalf("gate %s %s: exit %d: %s", dir, candidate, code, stderr)
	}
	var v any
	if err := json.Unmarshal([]byte(stdout), &v); err != nil {
		t.Fatalf("gate %s: %v\n%s", dir, err, stdout)
	}
	b, _ := json.MarshalIndent(dropTiming(v), "", " ")
	return fmt.Sprintf("exit %d\n%s", code, b)
}

// dropTiming removes what of a gate's JSON measures latency.
func dropTiming(v any) any {
	switch v := v.(type) {
	case map[string]any:
		for k := range v {
			if strings.Contains(k, "p95") || strings.Contains(k, "latency") {
				delete(v, k)
			} else {
				v[k] = dropTiming(v[k])
			}
		}
	case []any:
		out := v[:0]
		for _, x := range v {
			if m, ok := x.(map[string]any); ok && m["name"] == "p95_latency" {
				continue
			}
			out = append(out, dropTiming(x))
		}
		return out
	}
	return v
}

// TestShardResume interrupts shard 2 of 3 after its first result and
// resumes it with --resume alone: the run takes its shard back from
// run.json (a --shard that differs is refused), sends only what its
// journal lacks, and its results hold its share of the cases once, with
// the shard and the plan in the manifest.
func TestShardResume(t *testing.T) {
	t.Parallel()
	_, hs := simulate(t, []string{classifySuite}, fixtures.Profiles(fastProfiles()...))
	lookup := func(k string) (string, bool) {
		if k == "PARITY_FIXTURES" {
			return hs.URL, true
		}
		return "", false
	}
	out := filepath.Join(t.TempDir(), "shard-2")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	e, _, stderr := demoEnv(cancelOnWrite(cancel))
	e.lookupEnv = lookup
	args := []string{"run", "--config", "../../parity.yaml", "--suites", classifySuite, "--out", out, "--no-cache", "--quiet",
		"--shard", "2/3", "--run-id", "n1", "--providers", "sim-frontier,sim-mini"}
	if code := parityEnv(ctx, args, e); code != ExitInterrupted {
		t.Fatalf("the interrupted shard: exit %d: %s", code, stderr)
	}
	e, _, stderr = demoEnv(nil)
	e.lookupEnv = lookup
	if code := parityEnv(context.Background(), []string{"run", "--resume", "--out", out, "--shard", "1/3"}, e); code != ExitUsage ||
		!strings.Contains(stderr.String(), "drop --shard (1/3; the run's is 2/3)") {
		t.Errorf("resume as another shard: exit %d: %s", code, stderr)
	}
	e, _, stderr = demoEnv(nil)
	e.lookupEnv = lookup
	if code := parityEnv(context.Background(), []string{"run", "--resume", "--out", out}, e); code != ExitOK {
		t.Fatalf("resume: exit %d: %s", code, stderr)
	}
	m, err := results.ReadManifest(out)
	if err != nil {
		t.Fatal(err)
	}
	rows := readRows(t, out)
	// The classify suite's 11 cases over 3 shards: 3 or 4 of them here,
	// on 2 providers.
	if m.Shard == nil || *m.Shard != (results.ManifestShard{Index: 2, Count: 3, Planned: len(rows)}) || (len(rows) != 6 && len(rows) != 8) {
		t.Fatalf("manifest shard %+v, %d rows", m.Shard, len(rows))
	}
	assertOneRowEach(t, rows, len(rows))
}
