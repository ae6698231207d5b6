package main

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/parity-eval/parity/fixtures"
	"github.com/parity-eval/parity/internal/testkit"
	"github.com/parity-eval/parity/stats"
)

// planTable returns the rows of the plan validate printed, by suite: n,
// sd, sd from, mde, needed, enough.
func planTable(t *testing.T, stdout string) map[string][]string {
	t.Helper()
	_, table, ok := strings.Cut(stdout, "\nplan: ")
	if !ok {
		t.Fatalf("no plan in the output:\n%s", stdout)
	}
	lines := strings.Split(table, "\n")
	if len(lines) < 2 || !strings.HasPrefix(lines[1], "suite ") {
		t.Fatalf("the plan has no table:\n%s", table)
	}
	rows := map[string][]string{}
	for _, l := range lines[2:] {
		f := strings.Fields(l)
		if len(f) != 7 || strings.HasSuffix(f[0], ":") {
			break
		}
		rows[f[0]] = f[1:]
	}
	return rows
}

// TestPlanAssumedSD plans the example suites with an assumed sd of 0.3:
// each suite needs ceil(c²·0.3²/0.03²) cases, c computed here from
// stats.HolmNoncentrality for 4 suites at one-sided 0.025 and power 0.8,
// and its mde at its n is c·0.3/sqrt(n). validate's own lines come first,
// unchanged.
func TestPlanAssumedSD(t *testing.T) {
	t.Parallel()
	code, stdout, stderr := cli(t, nil, "validate", "--config", "../../parity.yaml", "--suites", "../../suites/examples", "--repeat", "3", "--assume-sd", "0.3")
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	testkit.Golden(t, "plan/assume-sd.stdout", stdout)
	plain, err := os.ReadFile("testdata/validate.stdout")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(stdout, string(plain)) {
		t.Errorf("validate's output changed with the plan:\n%s", testkit.FirstDiff(string(plain), stdout))
	}
	c := stats.HolmNoncentrality(4, 0.025, 0.8)
	if p := stats.HolmAllPass(4, c, 0.025); math.Abs(p-0.8) > 1e-9 {
		t.Fatalf("c = %v: all 4 suites pass with probability %v, want 0.8", c, p)
	}
	want := int(math.Ceil(c * c * 0.09 / 0.0009))
	rows := planTable(t, stdout)
	if len(rows) != 4 {
		t.Fatalf("plan rows %v, want 4 suites", rows)
	}
	for suite, r := range rows {
		n := atoi(t, r[0])
		if r[1] != "0.3000" || r[2] != "assumed" || atoi(t, r[4]) != want || r[5] != "no" {
			t.Errorf("%s: %v, want sd 0.3000 assumed, %d needed, not enough", suite, r, want)
		}
		if mde := fmt.Sprintf("%.4f", c*0.3/math.Sqrt(float64(n))); r[3] != mde {
			t.Errorf("%s: mde %s, want %s at n = %d", suite, r[3], mde, n)
		}
	}
	if line := fmt.Sprintf("c = %.4f for 4 suites under Holm at one-sided 0.025, power 0.8 for all suites together", c); !strings.Contains(stdout, line) {
		t.Errorf("no formula line %q:\n%s", line, stdout)
	}
}

// planConfig is a config of the providers base and cand over the
// simulated providers at URL, base the baseline.
const planConfig = `baseline: base
providers:
  - {id: base, base_url: URL/base/v1, model: base-1, price: {input: 1, output: 2}, capabilities: [json_schema]}
  - {id: cand, base_url: URL/cand/v1, model: cand-1, price: {input: 1, output: 2}, capabilities: [json_schema]}
embedder: {base_url: URL/embed/v1, model: sim-embed}
judge: {base_url: URL/judge/v1, model: sim-judge}
`

// gatePower is a suite's power as `parity gate --format json` states it.
type gatePower struct {
	Suite       string `json:"suite"`
	PairedCases int    `json:"paired_cases"`
	Power       struct {
		SD          *float64 `json:"sd_diff"`
		MDE         *float64 `json:"mde"`
		CasesNeeded int      `json:"cases_needed"`
		Basis       string   `json:"basis"`
	} `json:"power"`
}

// TestPlanFromPilot runs the example suites twice per case against a
// baseline and a candidate worse on every tag, over loopback, and plans
// from that run: each suite's sd is what `parity gate --format json`
// reports for the same file, and so, the plan's 4 suites being the gate's,
// are its mde and the cases it needs. The candidate is the config's other
// provider; a plan for another repeat count says the pilot's.
func TestPlanFromPilot(t *testing.T) {
	t.Parallel()
	paths := []string{"../../suites/examples"}
	_, hs := simulate(t, paths, fixtures.Seed(7), fixtures.Profiles(
		fixtures.Profile{ID: "base", Model: "base-1", Quality: map[string]float64{fixtures.AnyTag: 1}},
		fixtures.Profile{ID: "cand", Model: "cand-1", Quality: map[string]float64{fixtures.AnyTag: 0.8, "classify": 1}}))
	dir := t.TempDir()
	cfg := writeConfig(t, dir, planConfig, hs.URL)
	run := filepath.Join(dir, "run")
	if code, _, stderr := cli(t, nil, "run", "--config", cfg, "--suites", paths[0], "--out", run, "--repeat", "2", "--quiet"); code != ExitOK {
		t.Fatalf("run: exit %d: %s", code, stderr)
	}
	code, stdout, stderr := cli(t, nil, "gate", "--baseline", "base", "--candidate", "cand", "--format", "json", run)
	if code != ExitOK && code != ExitFailed && code != ExitInconclusive {
		t.Fatalf("gate: exit %d: %s", code, stderr)
	}
	var res struct{ Suites []gatePower }
	if err := json.Unmarshal([]byte(stdout), &res); err != nil {
		t.Fatalf("gate json: %v\n%s", err, stdout)
	}
	code, stdout, stderr = cli(t, nil, "validate", "--config", cfg, "--suites", paths[0], "--repeat", "2", "--pilot", run)
	if code != ExitOK {
		t.Fatalf("validate: exit %d: %s", code, stderr)
	}
	rows := planTable(t, stdout)
	if len(rows) != 4 || len(res.Suites) != 4 {
		t.Fatalf("plan rows %v, gate suites %d: want 4 each", rows, len(res.Suites))
	}
	varied := 0
	for _, s := range res.Suites {
		varied += checkPilotRow(t, s, rows[s.Suite])
	}
	if varied < 3 {
		t.Errorf("%d suites' scores differ between the sides, want 3 (all but classify): the test checks too few sds", varied)
	}
	if !strings.Contains(stdout, "plan: the gate of cand against base at margin 0.03, alpha 0.05, power 0.8; sd from the pilot "+run+" (2 repeats a case)") {
		t.Errorf("the plan does not say its gate and pilot:\n%s", stdout)
	}
	if strings.Contains(stdout, "note: the pilot's sd") {
		t.Errorf("a note on repeats, at the pilot's own:\n%s", stdout)
	}
	_, stdout, _ = cli(t, nil, "validate", "--config", cfg, "--suites", paths[0], "--repeat", "3", "--pilot", run)
	if !strings.Contains(stdout, "note: the pilot's sd is of each case's mean over 2 repeats, and this plan is for --repeat 3") {
		t.Errorf("no note on the pilot's repeats at --repeat 3:\n%s", stdout)
	}
}

// checkPilotRow checks a plan row against the gate's power of its suite
// and returns 1 when the suite's sd is not 0.
func checkPilotRow(t *testing.T, s gatePower, r []string) int {
	t.Helper()
	if r == nil || s.Power.SD == nil || s.Power.MDE == nil {
		t.Fatalf("%s: plan row %v, gate power %+v", s.Suite, r, s.Power)
	}
	sd, varied := fmt.Sprintf("%.4f", *s.Power.SD), 1
	if s.Power.Basis == "rule of three" {
		sd, varied = "0", 0
	}
	if atoi(t, r[0]) != s.PairedCases || r[1] != sd || r[2] != "pilot" {
		t.Errorf("%s: n %s sd %s from %s; the gate has %d paired cases, sd %s", s.Suite, r[0], r[1], r[2], s.PairedCases, sd)
	}
	if mde := fmt.Sprintf("%.4f", *s.Power.MDE); r[3] != mde || atoi(t, r[4]) != s.Power.CasesNeeded {
		t.Errorf("%s: mde %s needed %s; the gate's %s and %d", s.Suite, r[3], r[4], mde, s.Power.CasesNeeded)
	}
	return varied
}

// synthPilot writes a synthetic pilot of base and cand on classify-ticket
// (their answers alike: the rule of three) and extract-invoice (cand
// lower, with its own noise), and none of the other example suites.
func synthPilot(t *testing.T) string {
	run := synthRun{runID: "pilot", started: time.Date(2025, 3, 1, 2, 0, 0, 0, time.UTC), seed: 3,
		quality: map[string]map[string]float64{
			"base": {"classify-ticket": 0.9, "extract-invoice": 0.8},
			"cand": {"classify-ticket": 0.9, "extract-invoice": 0.75},
		}}
	return writeResults(t, run.rows())
}

// TestPlanGolden plans from a synthetic pilot that lacks two of the four
// suites: without --assume-sd they are n/a, with it they fall back to it;
// the pilot ran each case once, so --repeat 2 gets the note.
func TestPlanGolden(t *testing.T) {
	t.Parallel()
	pilot := synthPilot(t)
	cfg := writeConfig(t, t.TempDir(), planConfig, "http://127.0.0.1:9")
	tests := []struct {
		golden string
		args   []string
	}{
		{"pilot-na.stdout", nil},
		{"pilot-assumed.stdout", []string{"--assume-sd", "0.25", "--repeat", "2", "--margin", "0.05", "--power", "0.9"}},
	}
	for _, tt := range tests {
		args := append([]string{"validate", "--config", cfg, "--suites", "../../suites/examples", "--pilot", pilot}, tt.args...)
		code, stdout, stderr := cli(t, nil, args...)
		if code != ExitOK {
			t.Fatalf("%s: exit %d: %s", tt.golden, code, stderr)
		}
		testkit.Golden(t, "plan/"+tt.golden, strings.ReplaceAll(stdout, pilot, "PILOT"))
	}
}

// TestPlanFlagErrors: each broken plan flag is a usage error naming it,
// before anything is printed.
func TestPlanFlagErrors(t *testing.T) {
	t.Parallel()
	pilot := synthPilot(t)
	const examples = "../../parity.yaml" // 7 providers, baseline sim-frontier
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"zero sd", []string{"--assume-sd", "0"}, "--assume-sd 0:"},
		{"negative sd", []string{"--assume-sd", "-0.2"}, "--assume-sd -0.2:"},
		{"NaN sd", []string{"--assume-sd", "NaN"}, "--assume-sd NaN:"},
		{"infinite sd", []string{"--assume-sd", "+Inf"}, "--assume-sd +Inf:"},
		{"sd past 1", []string{"--assume-sd", "1.5"}, "--assume-sd 1.5:"},
		{"zero margin", []string{"--assume-sd", "0.3", "--margin", "0"}, "--margin 0:"},
		{"margin 1", []string{"--assume-sd", "0.3", "--margin", "1"}, "--margin 1:"},
		{"power 1", []string{"--assume-sd", "0.3", "--power", "1"}, "--power 1:"},
		{"zero alpha", []string{"--assume-sd", "0.3", "--alpha", "0"}, "--alpha 0:"},
		{"plan without a spread", []string{"--plan"}, "--plan needs a spread"},
		{"margin without a plan", []string{"--margin", "0.05"}, "--margin sets the plan"},
		{"no candidate of 7", []string{"--pilot", pilot}, "--pilot needs --candidate"},
		{"unknown candidate", []string{"--pilot", pilot, "--candidate", "sim-nope"}, `--candidate "sim-nope": not a provider`},
		{"baseline as candidate", []string{"--pilot", pilot, "--candidate", "sim-frontier"}, `--candidate "sim-frontier" is the config's baseline`},
		{"missing pilot", []string{"--pilot", filepath.Join(pilot, "nope"), "--candidate", "sim-mini"}, "--pilot " + filepath.Join(pilot, "nope")},
		{"pilot not Parquet", []string{"--pilot", examples, "--candidate", "sim-mini"}, "--pilot " + examples},
		{"pilot without the sides", []string{"--pilot", pilot, "--candidate", "sim-mini"}, "--pilot " + pilot},
	}
	for _, tt := range tests {
		args := append([]string{"validate", "--config", examples, "--suites", "../../suites/examples"}, tt.args...)
		code, stdout, stderr := cli(t, nil, args...)
		if code != ExitUsage || !strings.Contains(stderr, tt.want) || stdout != "" {
			t.Errorf("%s: exit %d, stderr %q (want %q), stdout %q", tt.name, code, stderr, tt.want, stdout)
		}
	}
}

// TestPlanUnderMinimum: a suite with the cases its tiny spread needs but
// fewer than the gate's minimum of 10 is not enough, and the plan says
// why.
func TestPlanUnderMinimum(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	suite := filepath.Join(dir, "tiny.yaml")
	var b strings.Builder
	b.WriteString("name: tiny\ntags: [classify]\nprompt: {user: \"say {{.n}}\"}\nchecks:\n  - {type: equals, name: right}\ncases:\n")
	for i := range 5 {
		fmt.Fprintf(&b, "  - {id: c%d, vars: {n: \"%d\"}, reference: \"%d\"}\n", i, i, i)
	}
	if err := os.WriteFile(suite, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg := writeConfig(t, dir, planConfig, "http://127.0.0.1:9")
	code, stdout, stderr := cli(t, nil, "validate", "--config", cfg, "--suites", suite, "--assume-sd", "0.001")
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	r := planTable(t, stdout)["tiny"]
	if r == nil || r[0] != "5" || atoi(t, r[4]) > 5 || r[5] != "no*" || !strings.Contains(stdout, "no* for tiny: fewer than the gate's minimum of 10 paired cases") {
		t.Errorf("tiny suite: %v\n%s", r, stdout)
	}

}
