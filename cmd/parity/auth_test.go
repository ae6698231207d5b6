package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/parity-eval/parity/fixtures"
)

// revokedKey serves a, which takes any key, and b, which wants a key the
// config does not send (so b answers 401 to every request), and writes a
// config with b's concurrency 4; it returns the server, the config path,
// an output directory and the environment holding b's wrong key.
func revokedKey(t *testing.T) (*fixtures.Server, string, string, map[string]string) {
	t.Helper()
	a, b := always, always
	a.ID, b.ID = "a", "b"
	b.APIKey = "sk-the-current-key"
	srv, hs := simulate(t, []string{classifySuite}, fixtures.Profiles(a, b))
	dir := t.TempDir()
	cfg := writeConfig(t, dir, `baseline: a
providers:
  - {id: a, base_url: URL/a/v1, model: m, price: {input: 1, output: 2}, limits: {concurrency: 4}}
  - {id: b, base_url: URL/b/v1, model: m, api_key_env: B_KEY, price: {input: 1, output: 2}, limits: {concurrency: 4}}
`, hs.URL)
	return srv, cfg, filepath.Join(dir, "out"), map[string]string{"B_KEY": "sk-revoked"}
}

// TestRevokedKeyGoesRed runs 11 cases x 5 repeats against a provider
// whose key is refused: the first 401 stops it, so the server sees at most
// 4 of its 55 requests (its concurrency: those in flight when the first
// refusal came back); all 55 rows are written with the class auth; and
// the run exits ExitProviderFailed naming the provider, so a nightly job
// goes red.
func TestRevokedKeyGoesRed(t *testing.T) {
	t.Parallel()
	srv, cfg, out, vars := revokedKey(t)
	code, _, stderr := cli(t, vars, "run", "--config", cfg, "--suites", classifySuite, "--out", out, "--repeat", "5", "--quiet", "--no-cache")
	if code != ExitProviderFailed {
		t.Fatalf("exit %d, want %d (ExitProviderFailed): %s", code, ExitProviderFailed, stderr)
	}
	if !strings.Contains(stderr, "provider b failed all of its 55 results (auth 55)") {
		t.Errorf("stderr does not name the provider and its errors: %s", stderr)
	}
	if n := srv.Count("b", fixtures.EndpointChat); n < 1 || n > 4 {
		t.Errorf("b got %d chat requests, want 1 to 4 (its concurrency)", n)
	}
	rows := readRows(t, out)
	assertOneRowEach(t, rows, 11*2*5)
	for _, r := range rows {
		switch {
		case r.Provider == "a" && r.ErrorClass != "":
			t.Errorf("%s: %s %s", rowKey(r), r.ErrorClass, r.Error)
		case r.Provider == "b" && (r.ErrorClass != "auth" || !strings.Contains(r.Error, "Incorrect API key provided")):
			t.Errorf("%s: class %q error %q, want auth with the provider's message", rowKey(r), r.ErrorClass, r.Error)
		}
	}
}

// TestValidateProbe checks --probe sends one models request per provider
// and prints a line for each: ok, or the class and the provider's
// message; a refused key exits ExitProviderFailed. Without --probe
// nothing is sent.
func TestValidateProbe(t *testing.T) {
	t.Parallel()
	srv, cfg, _, vars := revokedKey(t)
	if code, _, stderr := cli(t, vars, "validate", "--config", cfg, "--suites", classifySuite); code != ExitOK || srv.Count("", "") != 0 {
		t.Fatalf("validate without --probe: exit %d, %d requests: %s", code, srv.Count("", ""), stderr)
	}
	code, stdout, stderr := cli(t, vars, "validate", "--config", cfg, "--suites", classifySuite, "--probe")
	if code != ExitProviderFailed || !strings.Contains(stderr, "probe: b did not answer") {
		t.Fatalf("exit %d, want %d: %s", code, ExitProviderFailed, stderr)
	}
	for _, want := range []string{
		"probe a (m, models): ok\n",
		"probe b (m, models): auth: error, status code: 401, status: 401 Unauthorized, message: Incorrect API key provided.\n",
	} {
		if !strings.Contains(stdout, want) {
			t.Errorf("stdout lacks %q:\n%s", want, stdout)
		}
	}
	if n, models := srv.Count("", ""), srv.Count("", fixtures.EndpointModels); n != 2 || models != 2 {
		t.Errorf("%d requests, %d of them to models: want one models request per provider", n, models)
	}
	vars["B_KEY"] = "sk-the-current-key"
	if code, stdout, stderr := cli(t, vars, "validate", "--config", cfg, "--suites", classifySuite, "--probe"); code != ExitOK || !strings.Contains(stdout, "probe b (m, models): ok\n") {
		t.Errorf("with the right key: exit %d\n%s%s", code, stdout, stderr)
	}
}
