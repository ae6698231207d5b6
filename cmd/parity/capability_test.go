package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/goccy/go-yaml"

	"github.com/parity-eval/parity/fixtures"
	"github.com/parity-eval/parity/report"
	"github.com/parity-eval/parity/results"
	"github.com/parity-eval/parity/routing"
)

// fastProfiles are the demo's simulated providers, chat and image, with
// their capabilities as they are and no waiting: no latency, no injected
// failures, streams as fast as they go.
func fastProfiles() []fixtures.Profile {
	var ps []fixtures.Profile
	for _, p := range append(fixtures.DefaultProfiles(), fixtures.ImageProfiles()...) {
		p.Latency, p.Jitter, p.FailureRate, p.TokensPerSecond = 0, 0, 0, 0
		ps = append(ps, p)
	}
	return ps
}

// runCapabilities runs the suites at path with parity.yaml on fastProfiles
// over loopback, and returns the output directory and summary.json's
// capability matrix.
func runCapabilities(t *testing.T, path string, args ...string) (string, map[string]map[string]report.Capability) {
	t.Helper()
	_, hs := simulate(t, []string{path}, fixtures.Profiles(fastProfiles()...), fixtures.Seed(3))
	out := t.TempDir()
	args = append([]string{"run", "--config", "../../parity.yaml", "--suites", path, "--out", out, "--quiet"}, args...)
	if code, _, stderr := cli(t, map[string]string{"PARITY_FIXTURES": hs.URL}, args...); code != ExitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	data, err := os.ReadFile(filepath.Join(out, report.SummaryFile))
	if err != nil {
		t.Fatal(err)
	}
	var sum struct {
		Capabilities map[string]map[string]report.Capability `json:"capabilities"`
	}
	if err := json.Unmarshal(data, &sum); err != nil {
		t.Fatal(err)
	}
	return out, sum.Capabilities
}

// TestCapabilitySuites runs the capability example suites on the demo's
// simulated providers, each lacking a capability in its own way, and
// checks what the issue asks of the capability matrix and the rules.
func TestCapabilitySuites(t *testing.T) {
	t.Parallel()
	out, m := runCapabilities(t, "../../suites/examples/capabilities", "--repeat", "2")

	// The matrix marks exactly what each simulated provider lacks, and
	// nothing else: elsewhere it answers (well or poorly, by its quality).
	lacks := map[string]map[string]string{
		"sim-frontier": {},
		"sim-mini":     {},                        // answers JSON inside prose, checked below
		"sim-budget":   {"vision": "unsupported"}, // 400 on images
		"sim-flaky":    {"tools": "poor"},         // always malformed arguments
		"sim-flux":     {}, "sim-imagen": {}, "sim-dalle": {},
	}
	for p, lacking := range lacks {
		for c, cell := range m[p] {
			want, lacked := lacking[c]
			switch {
			case lacked && cell.Status != want:
				t.Errorf("%s %s: %s (%s), want %s", p, c, cell.Status, cell.Detail, want)
			case !lacked && (cell.Status == report.CapUnsupported || cell.Status == report.CapFails):
				t.Errorf("%s %s: %s (%s), but the provider has it", p, c, cell.Status, cell.Detail)
			}
		}
	}
	if m["sim-flux"]["images"].Status != report.CapWorks || m["sim-frontier"]["images"].Status != report.CapUntested {
		t.Errorf("images: sim-flux %+v, sim-frontier %+v", m["sim-flux"]["images"], m["sim-frontier"]["images"])
	}
	// sim-mini answers JSON inside prose: the matrix says so.
	if j := m["sim-mini"]["json_schema"]; j.Extracted == 0 || j.Native != 0 {
		t.Errorf("sim-mini json_schema: native %d, extracted %d; it wraps JSON in prose", j.Native, j.Extracted)
	}
	// The long-context probe finds each provider's true limit: sim-budget
	// refuses over 16,384 tokens, sim-flaky forgets over 8,192.
	for p, lim := range map[string][2]int{"sim-frontier": {64000, 0}, "sim-budget": {16000, 32000}, "sim-flaky": {8000, 16000}} {
		if c := m[p]["long_context"]; c.MaxContextTokens != lim[0] || c.SmallestFailedTokens != lim[1] {
			t.Errorf("%s long context: right up to %d, failed from %d; want %d, %d", p, c.MaxContextTokens, c.SmallestFailedTokens, lim[0], lim[1])
		}
	}
	if c := m["sim-budget"]["long_context"]; c.TooLong == 0 {
		t.Error("sim-budget's over-long prompts are not classified too_long")
	}
	checkToolParts(t, out)
	checkCapabilityRules(t, out)
}

// checkToolParts checks the tool-call scores tell a wrong tool from wrong
// arguments: sim-flaky always calls the right tool with malformed ones.
func checkToolParts(t *testing.T, out string) {
	t.Helper()
	flakyRight, flakyValid, n := 0, 0, 0
	err := results.ReadRows(out, func(r *results.Row) error {
		if r.Suite != "tools-assistant" || r.Provider != "sim-flaky" || r.ToolRight == nil {
			return nil
		}
		n++
		if *r.ToolRight {
			flakyRight++
		}
		if *r.ToolArgsValid {
			flakyValid++
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n == 0 || flakyValid == n || flakyRight == 0 {
		t.Errorf("sim-flaky tool calls: %d rows, %d right tool, %d valid arguments", n, flakyRight, flakyValid)
	}
}

// checkCapabilityRules checks the vision rule never names a provider that
// cannot see, and the image rules follow the image models' strengths.
func checkCapabilityRules(t *testing.T, out string) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(out, report.RulesFile))
	if err != nil {
		t.Fatal(err)
	}
	var rules routing.Rules
	if err := yaml.Unmarshal(data, &rules); err != nil {
		t.Fatal(err)
	}
	vision, ok := rules.Tags["vision"]
	if !ok || vision.Primary == nil {
		t.Fatal("no vision rule")
	}
	names := []string{vision.Primary.Provider}
	for _, f := range vision.Fallbacks {
		names = append(names, f.Provider)
	}
	for _, p := range names {
		if p == "sim-budget" {
			t.Errorf("the vision rule names sim-budget, which cannot see: %v", names)
		}
	}
	if len(names) < 2 {
		t.Errorf("the vision rule has no provider backing it up: %v", names)
	}
	for tag, best := range map[string]string{"illustration": "sim-flux", "photo": "sim-imagen"} {
		if r, ok := rules.Tags[tag]; !ok || r.Primary == nil || r.Primary.Provider != best {
			t.Errorf("%s: primary %+v, want %s", tag, r.Primary, best)
		}
	}
}

// TestToolsCapabilityTellsHow checks the matrix's tools cell tells
// malformed arguments from a wrong tool, from the same run's summary.
func TestToolsCapabilityTellsHow(t *testing.T) {
	t.Parallel()
	_, m := runCapabilities(t, "../../suites/examples/capabilities/tools.yaml", "--providers", "sim-frontier,sim-flaky")
	// sim-flaky always sends malformed arguments: invalid, never a wrong
	// tool; sim-frontier always gets it right.
	if f := m["sim-flaky"]["tools"]; f.InvalidArgs == 0 || f.WrongTool != 0 {
		t.Errorf("sim-flaky tools: %+v", f)
	}
	if f := m["sim-frontier"]["tools"]; f.InvalidArgs+f.WrongTool+f.WrongArgs != 0 || f.Status != report.CapWorks {
		t.Errorf("sim-frontier tools: %+v", f)
	}
}
