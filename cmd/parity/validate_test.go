package main

import (
	"path/filepath"
	"regexp"
	"strconv"
	"testing"

	"github.com/parity-eval/parity/fixtures"
)

// TestValidateCountsRequests checks the requests validate says a run
// sends are those the simulated providers receive in that run, when a
// provider lacks the capability a suite needs (b, json_schema for the
// extract suite): its rows are unsupported and send nothing, so the run
// produces more results than it sends requests, and validate says both.
func TestValidateCountsRequests(t *testing.T) {
	t.Parallel()
	paths := []string{classifySuite, "../../suites/examples/extract.yaml"}
	a, b := always, always
	a.ID, b.ID = "a", "b"
	srv, hs := simulate(t, paths, fixtures.Profiles(a, b))
	dir := t.TempDir()
	cfg := writeConfig(t, dir, `baseline: a
providers:
  - {id: a, base_url: URL/a/v1, model: m, price: {input: 1, output: 2}, capabilities: [json_schema]}
  - {id: b, base_url: URL/b/v1, model: m, price: {input: 1, output: 2}}
embedder: {base_url: URL/embed/v1, model: sim-embed}
`, hs.URL)
	args := []string{"--config", cfg, "--suites", paths[0], "--suites", paths[1], "--repeat", "2"}
	code, stdout, stderr := cli(t, nil, append([]string{"validate"}, args...)...)
	if code != ExitOK {
		t.Fatalf("validate: exit %d: %s", code, stderr)
	}
	m := regexp.MustCompile(`a run produces (\d+) results .*\nand sends (\d+) requests, one per result but the (\d+) unsupported`).FindStringSubmatch(stdout)
	if m == nil {
		t.Fatalf("validate does not say results and requests:\n%s", stdout)
	}
	results, requests, unsupported := atoi(t, m[1]), atoi(t, m[2]), atoi(t, m[3])
	out := filepath.Join(dir, "out")
	if code, _, stderr := cli(t, nil, append([]string{"run", "--out", out, "--quiet", "--no-cache"}, args...)...); code != ExitOK {
		t.Fatalf("run: exit %d: %s", code, stderr)
	}
	sent := srv.Count("a", fixtures.EndpointChat) + srv.Count("b", fixtures.EndpointChat)
	rows := readRows(t, out)
	if results != (11+10)*2*2 || unsupported != 10*2 || requests != results-unsupported {
		t.Errorf("validate says %d results, %d requests, %d unsupported; want 84, 64, 20", results, requests, unsupported)
	}
	if sent != requests || len(rows) != results {
		t.Errorf("validate says %d requests and %d results; the run sent %d and wrote %d rows", requests, results, sent, len(rows))
	}
}

func atoi(t *testing.T, s string) int {
	t.Helper()
	n, err := strconv.Atoi(s)
	if err != nil {
		t.Fatal(err)
	}
	return n
}
