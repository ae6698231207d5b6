// Package testkit holds what the tests of several packages share: a fixed
// clock, providers, suites and scored rows, routing specs, and the golden
// file helper with its -update flag. Only tests import it; it imports
// nothing of parity's but suites, runner and judges, so that any package's
// internal tests may use it without a cycle.
package testkit

import (
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/parity-eval/parity/judges"
	"github.com/parity-eval/parity/runner"
	"github.com/parity-eval/parity/suites"
)

// update rewrites the golden files under testdata/.
var update = flag.Bool("update", false, "rewrite the golden files in testdata/ (and other generated test files)")

// Update reports whether the tests run with -update: a test that keeps a
// generated file Golden does not handle (an image, say) rewrites it then.
func Update() bool { return *update }

// T0 is the fixed clock of every test.
var T0 = time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)

// Test providers: a strong expensive one, a cheap one, a flaky one.
var (
	Frontier = &suites.Provider{ID: "sim-frontier",
		Endpoint: suites.Endpoint{Model: "frontier-1", Price: suites.Price{Input: 2.5, Output: 10, Source: "OpenAI pricing", Checked: "2025-06-01"}}}
	Mini = &suites.Provider{ID: "sim-mini",
		Endpoint: suites.Endpoint{Model: "mini-1", Price: suites.Price{Input: 0.15, Output: 0.6}}}
	Flaky = &suites.Provider{ID: "sim-flaky",
		Endpoint: suites.Endpoint{Model: "flaky/v2:latest", Price: suites.Price{Input: 0.1, Output: 0.4}}}
	Providers = []*suites.Provider{Frontier, Mini, Flaky}
)

// Test suites. Both render a Case's prompt as "Answer with JSON only." and
// "Invoice " and its id.
var (
	Extract = &suites.Suite{Name: "extract-invoice", Tags: []string{"extract"}, Tier: "default",
		Metadata: map[string]string{"feature": "invoices", "step": "parse"}, Prompt: Prompt}
	Classify = &suites.Suite{Name: "classify-sentiment", Tags: []string{"classify", "short"}, Tier: "high", Prompt: Prompt}
)

// Prompt is the test suites' prompt, over a Case's id.
var Prompt = suites.Prompt{System: "Answer with JSON only.", User: "Invoice {{.id}}"}

// Config is a config over the test providers.
func Config() *suites.Config {
	return &suites.Config{Providers: Providers, Baseline: Frontier.ID,
		Routing: suites.Routing{Tolerance: 0.05, MaxFallbacks: 2}}
}

// Case returns a case whose id is its var "id", which a suite with Prompt
// renders.
func Case(id string, md map[string]string) *suites.Case {
	return &suites.Case{ID: id, Reference: `{"vendor": "Acme"}`, Metadata: md,
		Vars: map[string]any{"id": id}}
}

// Scored returns a successful, passing row of one case on one provider.
func Scored(s *suites.Suite, c *suites.Case, p *suites.Provider, score float64) *judges.Scored {
	return &judges.Scored{
		Result: &runner.Result{RunID: "run-test", Suite: s, Case: c, Provider: p,
			Output: `{"vendor": "Acme"}`, FinishReason: "stop",
			Started: T0, Latency: 800 * time.Millisecond, TTFT: 120 * time.Millisecond,
			InputTokens: 100, OutputTokens: 20, CostUSD: p.Price.Cost(100, 20), Attempts: 1},
		Checks: []judges.CheckScore{{Name: "json_schema", Type: suites.JSONSchema, Score: score, Raw: score, Pass: score >= 0.5}},
		Score:  score, Pass: score >= 0.5,
	}
}

// FailedScored returns a row whose request failed with class.
func FailedScored(s *suites.Suite, c *suites.Case, p *suites.Provider, class runner.ErrorClass) *judges.Scored {
	r := Scored(s, c, p, 0)
	r.Result.Output, r.Result.FinishReason = "", ""
	r.Result.ErrorClass, r.Result.Error = class, "HTTP 500: upstream exploded"
	r.Result.InputTokens, r.Result.OutputTokens, r.Result.CostUSD = 0, 0, 0
	r.Result.Attempts = 3
	r.Checks, r.Pass = nil, false
	return r
}

// GenRows returns a deterministic generator of n rows of about 1 KB over
// both suites and all providers, every seventh failing.
func GenRows() func(i int) *judges.Scored {
	cases := make([]*suites.Case, 50)
	for i := range cases {
		cases[i] = Case(fmt.Sprintf("case-%03d", i), map[string]string{"customer": "acme"})
	}
	body := strings.Repeat("lorem ipsum dolor sit amet ", 36)
	return func(i int) *judges.Scored {
		s := []*suites.Suite{Extract, Classify}[i%2]
		p := Providers[(i/2)%3]
		c := cases[(i/6)%len(cases)]
		if i%7 == 6 {
			return FailedScored(s, c, p, []runner.ErrorClass{runner.ClassTimeout, runner.ClassRateLimit}[i%2])
		}
		r := Scored(s, c, p, float64(i%10)/10)
		r.Result.Output = body
		r.Result.Repeat = i / 300
		r.Result.Latency = time.Duration(100+i%900) * time.Millisecond
		return r
	}
}

// Golden compares got, text or bytes, with testdata/name of the package
// under test, and rewrites the file instead when the tests run with
// -update (go test ./pkg -update). A difference is reported at its first
// line.
func Golden[T string | []byte](t *testing.T, name string, got T) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if string(got) != string(want) {
		t.Errorf("%s differs from the golden file (run go test -update and review the diff)\n%s", path, FirstDiff(string(want), string(got)))
	}
}

// FirstDiff shows the first line where two texts differ.
func FirstDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < max(len(w), len(g)); i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			return fmt.Sprintf("line %d:\nwant %q\ngot  %q", i+1, wl, gl)
		}
	}
	return ""
}

// Ptr returns a pointer to v, for optional columns.
func Ptr[T any](v T) *T { return &v }

// SummaryRows is a small run: frontier answers everything well, mini a bit
// worse and cheaper, flaky fails half of its requests.
func SummaryRows() []*judges.Scored {
	c1, c2 := Case("c1", nil), Case("c2", map[string]string{"customer": "acme"})
	rows := []*judges.Scored{
		Scored(Extract, c1, Frontier, 1), Scored(Extract, c2, Frontier, 0.9),
		Scored(Extract, c1, Mini, 0.9), Scored(Extract, c2, Mini, 0.9),
		Scored(Extract, c1, Flaky, 1), FailedScored(Extract, c2, Flaky, runner.ClassRateLimit),
		Scored(Classify, c1, Frontier, 1), Scored(Classify, c2, Frontier, 0),
		Scored(Classify, c1, Mini, 1), Scored(Classify, c2, Mini, 0.4),
		FailedScored(Classify, c1, Flaky, runner.ClassTimeout), FailedScored(Classify, c2, Flaky, runner.ClassTimeout),
	}
	rows[1].Result.Latency, rows[1].Result.TTFT = 1200*time.Millisecond, 0
	rows[7].Result.Started = T0.Add(time.Minute)
	return rows
}

// CloseTo reports whether got is within tol of want.
func CloseTo(got, want, tol float64) bool { return math.Abs(got-want) <= tol }

// Spec is one provider's rows on one rule: a score per case (case i is
// "c%02d"), repeated repeats times (default once), a cost per row, the
// cases whose request failed, or unsupported for a provider that lacks
// the rule's capability.
type Spec struct {
	ID          string
	Scores      []float64
	Cost        float64
	Repeats     int
	Failed      []int
	Unsupported bool
}

// AddSpecs records the providers' rows on the rule tag@tier in ev.
func AddSpecs[E interface{ AddScored(*judges.Scored) }](ev E, tag, tier string, specs ...Spec) E {
	for _, s := range specs {
		for rep := range max(s.Repeats, 1) {
			for i, score := range s.Scores {
				ev.AddScored(SpecRow(s, tag, tier, i, rep, score))
			}
		}
	}
	return ev
}

// SpecRow is one row of a spec.
func SpecRow(s Spec, tag, tier string, i, rep int, score float64) *judges.Scored {
	r := &runner.Result{RunID: "run-test", Repeat: rep, Latency: 500 * time.Millisecond,
		Suite:    &suites.Suite{Name: "suite-" + tag, Tags: []string{tag}, Tier: tier},
		Case:     &suites.Case{ID: fmt.Sprintf("c%02d", i)},
		Provider: &suites.Provider{ID: s.ID, Endpoint: suites.Endpoint{Model: s.ID + "-1"}},
		CostUSD:  s.Cost, InputTokens: 100, OutputTokens: 20}
	switch {
	case s.Unsupported:
		score, r.CostUSD, r.InputTokens, r.OutputTokens = 0, 0, 0, 0
		r.ErrorClass, r.Error = runner.ClassUnsupported, "provider does not declare capability vision that the suite needs"
	case slices.Contains(s.Failed, i):
		score, r.CostUSD, r.InputTokens, r.OutputTokens = 0, 0, 0, 0
		r.ErrorClass, r.Error = "server_error", "HTTP 503"
	}
	return &judges.Scored{Result: r, Score: score}
}

// Repeat returns n copies of x.
func Repeat(x float64, n int) []float64 {
	out := make([]float64, n)
	for i := range out {
		out[i] = x
	}
	return out
}

// Alternate returns n scores alternating a, b, a...
func Alternate(a, b float64, n int) []float64 {
	out := make([]float64, n)
	for i := range out {
		out[i] = a
		if i%2 == 1 {
			out[i] = b
		}
	}
	return out
}

// EndpointProviders are configured providers with endpoints, prices and
// capabilities, for the exports.
func EndpointProviders() []*suites.Provider {
	p := func(id, base, model, key string, in, out float64, caps ...suites.Capability) *suites.Provider {
		return &suites.Provider{ID: id, Capabilities: caps, Endpoint: suites.Endpoint{BaseURL: base, Model: model,
			APIKeyEnv: key, Price: suites.Price{Input: in, Output: out, Source: "test"}}}
	}
	return []*suites.Provider{
		p("frontier", "https://api.openai.com/v1", "frontier-1", "OPENAI_API_KEY", 2.5, 10, "vision", "json_schema"),
		p("mini", "https://api.openai.com/v1", "mini-1", "OPENAI_API_KEY", 0.15, 0.6, "vision", "json_schema"),
		p("budget", "https://llm.internal.example/v1/", "budget-1", "", 0.1, 0.4, "json_schema"),
		p("steady", "https://api.deepseek.com/v1", "steady-1", "DEEPSEEK_API_KEY", 0.28, 0.42, "vision", "json_schema"),
	}
}

// Cases returns every case of s, read as a run reads them (a cases_file's
// again from the file); a case that cannot be read fails t.
func Cases(t testing.TB, s *suites.Suite) []*suites.Case {
	t.Helper()
	var out []*suites.Case
	if err := s.Cases.Each(func(c *suites.Case) error { out = append(out, c); return nil }); err != nil {
		t.Fatal(err)
	}
	return out
}

// WriteFiles writes each file of files (a path relative to dir, or an
// absolute one) with its text; a write that fails fails t.
func WriteFiles(t testing.TB, dir string, files map[string]string) {
	t.Helper()
	for name, body := range files {
		path := name
		if !filepath.IsAbs(path) {
			path = filepath.Join(dir, name)
		}
		if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// LoadSuite writes files (see WriteFiles) into a directory of its own
// and loads the suite its s.yaml is; it returns the suites and the
// directory. A suite that does not load fails t.
func LoadSuite(t testing.TB, files map[string]string) ([]*suites.Suite, string) {
	t.Helper()
	dir := t.TempDir()
	WriteFiles(t, dir, files)
	ss, err := suites.Load(filepath.Join(dir, "s.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	return ss, dir
}
