package main

import (
	"bytes"
	"context"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/parquet-go/parquet-go"

	"github.com/parity-eval/parity/fixtures"
	"github.com/parity-eval/parity/internal/testkit"
	"github.com/parity-eval/parity/results"
	"github.com/parity-eval/parity/suites"
)

// cli runs the parity CLI in-process with an environment of its own.
func cli(t testing.TB, vars map[string]string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	// Each test has a response cache of its own: a cache shared across
	// tests would answer one test's requests with another's fixtures.
	cacheDir := t.TempDir()
	e := &env{stdout: &out, stderr: &errb, lookupEnv: func(k string) (string, bool) {
		if v, ok := vars[k]; ok {
			return v, true
		}
		if k == "PARITY_CACHE_DIR" {
			return cacheDir, true
		}
		return "", false
	}}
	code = parityEnv(context.Background(), args, e)
	return code, out.String(), errb.String()
}

// simulate serves simulated providers over loopback that know the ideal
// answers of the suites at paths; opts choose the profiles, the seed and
// the rest. The server closes with the test.
func simulate(t testing.TB, paths []string, opts ...fixtures.Option) (*fixtures.Server, *httptest.Server) {
	t.Helper()
	ss, err := suites.Load(paths...)
	if err != nil {
		t.Fatal(err)
	}
	srv := fixtures.New(append([]fixtures.Option{fixtures.UseOracle(fixtures.OracleFrom(ss))}, opts...)...)
	hs := httptest.NewServer(srv)
	t.Cleanup(hs.Close)
	return srv, hs
}

// writeConfig writes cfg as parity.yaml in dir, with every URL in it
// replaced by base (the simulated providers' address), and returns its
// path.
func writeConfig(t testing.TB, dir, cfg, base string) string {
	t.Helper()
	path := filepath.Join(dir, "parity.yaml")
	if err := os.WriteFile(path, []byte(strings.ReplaceAll(cfg, "URL", base)), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// readRows reads back the results.parquet of the run directory out.
func readRows(t testing.TB, out string) []results.Row {
	t.Helper()
	rows, err := parquet.ReadFile[results.Row](filepath.Join(out, results.FileName))
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

// TestBrokenInput checks each kind of broken input fails before any
// request with exit code 2, naming file:line:col and what to fix.
// TestUnpricedWarning: a provider without a price validates, with a
// warning naming it and where it is: it would count as free.
func TestUnpricedWarning(t *testing.T) {
	t.Parallel()
	code, _, stderr := cli(t, nil, "validate", "--config", "testdata/broken/unpriced.yaml", "--suites", "../../suites/examples")
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	want := "parity: warning: testdata/broken/unpriced.yaml:3:7: provider sim-frontier has no price"
	if !strings.HasPrefix(stderr, want) {
		t.Errorf("stderr %q, want it to start with %q", stderr, want)
	}
}

func TestBrokenInput(t *testing.T) {
	t.Parallel()
	const ok = "testdata/broken/ok-config.yaml"
	tests := []struct {
		name string
		args []string
	}{
		{"bad-yaml", []string{"validate", "--config", ok, "--suites", "testdata/broken/bad-yaml.yaml"}},
		{"unknown-check", []string{"validate", "--config", ok, "--suites", "testdata/broken/unknown-check.yaml"}},
		{"missing-var", []string{"validate", "--config", ok, "--suites", "testdata/broken/missing-var.yaml"}},
		{"bad-schema", []string{"validate", "--config", ok, "--suites", "testdata/broken/bad-schema.yaml"}},
		{"missing-key", []string{"run", "--config", "testdata/broken/config.yaml", "--suites", "../../suites/examples"}},
		{"unknown-provider", []string{"run", "--config", ok, "--providers", "sim-frontier,sim-nope", "--suites", "../../suites/examples"}},
		{"unknown-command", []string{"rnu"}},
		{"stray-argument", []string{"run", "--config", ok, "suites/examples"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			code, stdout, stderr := cli(t, nil, tt.args...)
			if code != ExitUsage {
				t.Errorf("exit code %d, want %d (usage)", code, ExitUsage)
			}
			if stdout != "" {
				t.Errorf("stdout not empty: %s", stdout)
			}
			testkit.Golden(t, "broken/"+tt.name+".stderr", stderr)
		})
	}
}

func TestValidateExamples(t *testing.T) {
	t.Parallel()
	code, stdout, stderr := cli(t, nil, "validate", "--config", "../../parity.yaml", "--suites", "../../suites/examples", "--repeat", "3")
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	testkit.Golden(t, "validate.stdout", stdout)
}

func TestHelp(t *testing.T) {
	t.Parallel()
	code, _, stderr := cli(t, nil)
	if code != ExitUsage || !strings.Contains(stderr, "parity run") || !strings.Contains(stderr, "parity fixtures serve") {
		t.Errorf("no args: exit %d, %s", code, stderr)
	}
	if code, _, _ := cli(t, nil, "help"); code != ExitOK {
		t.Errorf("help: exit %d", code)
	}
}

// TestFixturesServe starts the simulated providers with flags after the
// verb, as the README writes it, and stops them with the context.
func TestFixturesServe(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	var out, errb bytes.Buffer
	code := parityEnv(ctx, []string{"fixtures", "serve", "--addr", "127.0.0.1:0", "--suites", "../../suites/examples"}, &env{stdout: &out, stderr: &errb})
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	if !strings.Contains(out.String(), "simulated providers on http://127.0.0.1:") || !strings.Contains(out.String(), "sim-frontier") {
		t.Errorf("stdout: %s", out.String())
	}
	if code, _, _ := cli(t, nil, "fixtures", "serve", "extra"); code != ExitUsage {
		t.Errorf("a stray argument: exit %d", code)
	}
}
