package gate

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/parity-eval/parity/internal/testkit"
	"github.com/parity-eval/parity/results"
	"github.com/parity-eval/parity/stats"
)

// gateRow returns a row of a gate's input.
func gateRow(suite, caseID, provider string, repeat int32, score float64, tags ...string) *results.Row {
	return &results.Row{Suite: suite, CaseID: caseID, Provider: provider, Repeat: repeat, Tags: tags,
		Score: score, Pass: score >= 0.5, CostUSD: 0.001, LatencyMS: 400}
}

// gateSpec describes one suite of a synthetic gate input.
type gateSpec struct {
	suite string
	tags  []string
	cases int
	// score returns the baseline's and the candidate's score of case i.
	score func(rng *rand.Rand, i int) (base, cand float64)
	// edit changes the candidate's row (cost, latency, errors), or drops
	// it when it returns false.
	edit func(i int, r *results.Row) bool
}

// gateInput returns the rows of specs for providers "base" and "cand".
func gateInput(specs ...gateSpec) []*results.Row {
	rng := rand.New(rand.NewPCG(1, 2))
	var rows []*results.Row
	for _, s := range specs {
		for i := range s.cases {
			id := fmt.Sprintf("%s-%02d", s.suite[:min(3, len(s.suite))], i)
			b, c := s.score(rng, i)
			rows = append(rows, gateRow(s.suite, id, "base", 0, b, s.tags...))
			cr := gateRow(s.suite, id, "cand", 0, c, s.tags...)
			if s.edit == nil || s.edit(i, cr) {
				rows = append(rows, cr)
			}
		}
	}
	return rows
}

// runGate runs a gate over rows, all offered to both sides.
func runGate(t *testing.T, o Options, rows []*results.Row) *Result {
	t.Helper()
	if o.Baseline == "" {
		o.Baseline, o.Candidate = "base", "cand"
	}
	g, err := New(o)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		g.Add(SideBaseline, r)
		g.Add(SideCandidate, r)
	}
	res, err := g.Result()
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// Score models.
func sameScore(v float64) func(*rand.Rand, int) (float64, float64) {
	return func(*rand.Rand, int) (float64, float64) { return v, v }
}

func noisyScore(mean, shift, sd float64) func(*rand.Rand, int) (float64, float64) {
	return func(rng *rand.Rand, _ int) (float64, float64) {
		b := min(1, max(0, mean+0.1*rng.NormFloat64()))
		return b, min(1, max(0, b+shift+sd*rng.NormFloat64()))
	}
}

func passFail(p float64) func(*rand.Rand, int) (float64, float64) {
	return func(rng *rand.Rand, _ int) (float64, float64) {
		x := 0.0
		if rng.Float64() < p {
			x = 1
		}
		return x, x
	}
}

// goldenSpecs are four suites with known verdicts: classify identical
// (pass, with a rule-of-three warning), extract a little noisier and
// cheaper (pass), review much worse and slower (fail: score, p95), and
// summarize with two cases the candidate never answered (fail: coverage).
func goldenSpecs() []gateSpec {
	return []gateSpec{
		{suite: "classify-ticket", tags: []string{"classify"}, cases: 30, score: passFail(0.8)},
		{suite: "extract-invoice", tags: []string{"extract"}, cases: 40, score: noisyScore(0.85, 0, 0.01),
			edit: func(_ int, r *results.Row) bool { r.CostUSD = 0.0008; return true }},
		{suite: "review-snippet", tags: []string{"review"}, cases: 12, score: noisyScore(0.9, -0.5, 0.1),
			edit: func(_ int, r *results.Row) bool { r.LatencyMS = 600; return true }},
		{suite: "summarize-update", tags: []string{"summarize"}, cases: 14, score: noisyScore(0.8, 0, 0.02),
			edit: func(i int, _ *results.Row) bool { return i < 12 }},
	}
}

// TestGateVerdicts checks each suite's verdict and the checks that fail,
// and that the tags and the whole follow.
func TestGateVerdicts(t *testing.T) {
	t.Parallel()
	res := runGate(t, DefaultOptions(), gateInput(goldenSpecs()...))
	want := map[string][]string{ // suite: failed checks
		"classify-ticket":  nil,
		"extract-invoice":  nil,
		"review-snippet":   {CheckScore, CheckP95}, // every latency 400 -> 600 ms: no spread, a rise shown
		"summarize-update": {CheckCoverage},
	}
	for _, s := range res.Suites {
		var failed []string
		for _, c := range s.Checks {
			if c.Verdict == Fail {
				failed = append(failed, c.Name)
			}
		}
		if !slices.Equal(failed, want[s.Suite]) {
			t.Errorf("%s: failed %v, want %v\n%v", s.Suite, failed, want[s.Suite], s.Checks)
		}
		if (s.Verdict == Fail) != (len(failed) > 0) {
			t.Errorf("%s: verdict %s with reasons %v", s.Suite, s.Verdict, s.Reasons)
		}
	}
	if res.Verdict != Fail || len(res.Failures) != 3 || len(res.Undecided) != 1 {
		t.Errorf("overall %s, failures %v, undecided %v", res.Verdict, res.Failures, res.Undecided)
	}
	wantTag := map[string]Verdict{"classify": Inconclusive, "extract": Pass, "review": Fail, "summarize": Fail}
	for _, tg := range res.Tags {
		if tg.Verdict != wantTag[tg.Tag] {
			t.Errorf("tag %s: %s %v, want %s", tg.Tag, tg.Verdict, tg.Reasons, wantTag[tg.Tag])
		}
	}
	byName := map[string]*Suite{}
	for i := range res.Suites {
		byName[res.Suites[i].Suite] = &res.Suites[i]
	}
	if m := byName["classify-ticket"].Score.Method; m != stats.MethodBootstrap {
		t.Errorf("pass/fail scores over 30 cases: method %s, want bootstrap", m)
	}
	if m := byName["extract-invoice"].Score.Method; m != stats.MethodT {
		t.Errorf("continuous scores: method %s, want t", m)
	}
	if s := byName["summarize-update"]; s.Missing.OnCandidate != 2 || !slices.Equal(s.Missing.OnCandidateCases, []string{"sum-12", "sum-13"}) {
		t.Errorf("missing: %+v", s.Missing)
	}
	if s := byName["classify-ticket"]; s.Verdict != Inconclusive || !strings.Contains(strings.Join(s.Reasons, " "), "rule of three") {
		t.Errorf("classify: 30 agreeing cases are %s (%q), want inconclusive by the rule of three", s.Verdict, s.Reasons)
	}
}

// TestGateGolden renders the golden input in the text and Markdown
// formats.
func TestGateGolden(t *testing.T) {
	t.Parallel()
	res := runGate(t, DefaultOptions(), gateInput(goldenSpecs()...))
	for _, f := range []struct{ format, file string }{{FormatText, "gate.golden.txt"}, {FormatMarkdown, "gate.golden.md"}} {
		var b bytes.Buffer
		if err := res.WriteFormat(f.format, &b); err != nil {
			t.Fatal(err)
		}
		testkit.Golden(t, f.file, b.Bytes())
	}
}

// TestGateMissing checks that the gate never passes on missing data:
// cases one side lacks fail the suite unless allowed, too few paired
// cases leave it inconclusive whatever the scores, and a provider with
// no rows is an input error.
func TestGateMissing(t *testing.T) {
	t.Parallel()
	dropLast := func(i int, _ *results.Row) bool { return i != 29 }
	rows := gateInput(gateSpec{suite: "extract", cases: 30, score: noisyScore(0.8, 0, 0.01), edit: dropLast})
	res := runGate(t, DefaultOptions(), rows)
	if res.Verdict != Fail || !strings.Contains(res.Failures[0], "1 cases have no candidate row (ext-29)") {
		t.Errorf("a case missing on the candidate: %s %v", res.Verdict, res.Failures)
	}
	o := DefaultOptions()
	o.AllowMissing = true
	res = runGate(t, o, rows)
	if res.Verdict != Pass || !strings.Contains(strings.Join(res.Warnings, "\n"), "missing cases are allowed") {
		t.Errorf("allowed: %s %v %v", res.Verdict, res.Failures, res.Warnings)
	}
	res = runGate(t, DefaultOptions(), gateInput(gateSpec{suite: "tiny", cases: 6, score: sameScore(1)}))
	if res.Verdict != Inconclusive || !strings.Contains(res.Undecided[0], "only 6 paired cases") || !res.Blocks {
		t.Errorf("6 identical cases: %s %v", res.Verdict, res.Undecided)
	}
	o = DefaultOptions()
	o.Baseline, o.Candidate = "base", "nobody"
	g, err := New(o)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		g.Add(SideBaseline, r)
		g.Add(SideCandidate, r)
	}
	if _, err := g.Result(); !errors.Is(err, ErrProviderAbsent) || !strings.Contains(err.Error(), `"nobody" has no row (the results hold: base, cand)`) {
		t.Errorf("absent candidate: %v", err)
	}
}

// TestGateRepeats checks that repeats pair by index, a case's repeats
// count as one case, and rows without a partner are left out with a
// warning.
func TestGateRepeats(t *testing.T) {
	t.Parallel()
	var rows []*results.Row
	for i := range 12 {
		id := fmt.Sprintf("c%02d", i)
		for k := range int32(3) {
			rows = append(rows, gateRow("s", id, "base", k, 0.9))
			if k < 2 {
				rows = append(rows, gateRow("s", id, "cand", k, 0.9-0.01*float64(i%2)))
			}
		}
	}
	rows = append(rows, gateRow("s", "c00", "cand", 0, 0)) // a duplicate: ignored
	res := runGate(t, DefaultOptions(), rows)
	s := res.Suites[0]
	if s.PairedCases != 12 || s.PairedRows != 24 || s.Missing.UnpairedBaseline != 12 || s.Score.DF != 11 {
		t.Errorf("cases %d rows %d unpaired %d df %v", s.PairedCases, s.PairedRows, s.Missing.UnpairedBaseline, s.Score.DF)
	}
	w := strings.Join(res.Warnings, "\n")
	if !strings.Contains(w, "1 duplicate candidate rows") || !strings.Contains(w, "12 rows of paired cases") {
		t.Errorf("warnings: %s", w)
	}
	if !testkit.CloseTo(float64(s.Score.Diff), -0.005, 1e-12) {
		t.Errorf("diff %v, want -0.005", s.Score.Diff)
	}
}

// TestGateThresholds checks the operational limits and turning them off:
// a rise fails only when shown beyond its threshold.
func TestGateThresholds(t *testing.T) {
	t.Parallel()
	costly := func(i int, r *results.Row) bool {
		r.CostUSD = 0.00125
		if i < 10 {
			r.ErrorClass, r.Score, r.Pass = "server_error", 0, false
		}
		return true
	}
	rows := gateInput(gateSpec{suite: "s", cases: 50, score: sameScore(0.9), edit: costly})
	res := runGate(t, DefaultOptions(), rows)
	var failed []string
	for _, c := range res.Suites[0].Checks {
		if c.Verdict == Fail {
			failed = append(failed, c.Name)
		}
	}
	if !slices.Equal(failed, []string{CheckScore, CheckCost, CheckErrors}) {
		t.Errorf("failed %v (%v)", failed, res.Suites[0].Checks)
	}
	if c := res.Suites[0].Checks[2]; !testkit.CloseTo(float64(c.Estimate), 0.25, 1e-9) || float64(c.Threshold) != 0.10 {
		t.Errorf("cost check %+v", c)
	}
	o := DefaultOptions()
	o.MaxCostIncrease, o.MaxErrorIncrease, o.Margin = LimitAt(0.3), Limit{Off: true}, 0.5
	res = runGate(t, o, rows)
	if res.Verdict != Pass || res.Suites[0].Checks[4].Verdict != Off {
		t.Errorf("relaxed: %s %v", res.Verdict, res.Suites[0].Checks)
	}
	// Token noise: costs varying ±5% per answer on both sides at the same
	// price never fail the cost check.
	noisy := gateInput(gateSpec{suite: "s", cases: 200, score: noisyScore(0.8, 0, 0.05)})
	rng := rand.New(rand.NewPCG(3, 4))
	for _, r := range noisy {
		r.CostUSD = 0.001 * (0.95 + 0.1*rng.Float64())
	}
	res = runGate(t, DefaultOptions(), noisy)
	if c := res.Suites[0].Checks[2]; c.Verdict != Pass {
		t.Errorf("token noise failed the cost check: %s", c.Message)
	}
}

// TestGateJSONShape decodes the JSON into the minimum shape `parity
// rules --gate` reads (notes/GATE_JSON.md).
func TestGateJSONShape(t *testing.T) {
	t.Parallel()
	res := runGate(t, DefaultOptions(), gateInput(goldenSpecs()...))
	var b bytes.Buffer
	if err := res.WriteJSON(&b); err != nil {
		t.Fatal(err)
	}
	checkGateJSON(t, b.Bytes(), "fail", map[string]string{"review": "fail", "classify": "inconclusive", "extract": "pass"})
}

// gateJSON is the shape of notes/GATE_JSON.md.
type gateJSON struct {
	SchemaVersion int      `json:"schema_version"`
	Baseline      string   `json:"baseline"`
	Candidate     string   `json:"candidate"`
	Verdict       string   `json:"verdict"`
	Margin        *float64 `json:"margin"`
	Suites        []struct {
		Suite   string   `json:"suite"`
		Tags    []string `json:"tags"`
		Verdict string   `json:"verdict"`
		Reasons []string `json:"reasons"`
	} `json:"suites"`
	Tags []struct {
		Tag     string   `json:"tag"`
		Verdict string   `json:"verdict"`
		Reasons []string `json:"reasons"`
	} `json:"tags"`
}

// checkGateJSON checks data has the GATE_JSON shape, the verdict and the
// given tags' verdicts.
func checkGateJSON(t *testing.T, data []byte, verdict string, tags map[string]string) {
	t.Helper()
	var g gateJSON
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&g); err != nil {
		t.Fatal(err)
	}
	if g.SchemaVersion != 2 || g.Baseline == "" || g.Candidate == "" || g.Margin == nil || g.Verdict != verdict || len(g.Suites) == 0 || len(g.Tags) == 0 {
		t.Errorf("gate.json: %+v", g)
	}
	for _, s := range g.Suites {
		if s.Suite == "" || len(s.Tags) == 0 || s.Reasons == nil || (s.Verdict == "pass") != (len(s.Reasons) == 0) {
			t.Errorf("suite %+v", s)
		}
	}
	for _, tg := range g.Tags {
		if want, ok := tags[tg.Tag]; ok && tg.Verdict != want || tg.Reasons == nil {
			t.Errorf("tag %+v, want verdict %s", tg, tags[tg.Tag])
		}
	}
}

// TestGateOptions checks that nonsense settings are refused.
func TestGateOptions(t *testing.T) {
	t.Parallel()
	base := DefaultOptions()
	base.Baseline, base.Candidate = "a", "b"
	tests := []struct {
		name string
		edit func(*Options)
	}{
		{"no candidate", func(o *Options) { o.Candidate = "" }},
		{"negative margin", func(o *Options) { o.Margin = -0.1 }},
		{"alpha 1", func(o *Options) { o.Stats.Alpha = 1 }},
		{"power 0", func(o *Options) { o.Power = 0 }},
		{"one case", func(o *Options) { o.MinCases = 1 }},
	}
	for _, tt := range tests {
		o := base
		tt.edit(&o)
		if err := o.Validate(); err == nil {
			t.Errorf("%s: accepted", tt.name)
		}
	}
	if err := base.Validate(); err != nil {
		t.Errorf("defaults: %v", err)
	}
}

// TestGateInconclusive: a small, noisy suite with no real difference is
// inconclusive (in migration mode it blocks, in nightly mode it does not)
// and says what its cases can show and how many would decide; a clear
// regression on as few cases fails.
func TestGateInconclusive(t *testing.T) {
	t.Parallel()
	rows := gateInput(gateSpec{suite: "noisy", cases: 12, score: noisyScore(0.7, 0, 0.1)})
	res := runGate(t, DefaultOptions(), rows)
	s := res.Suites[0]
	if s.Verdict != Inconclusive || !res.Blocks || !s.Power.Underpowered || !strings.Contains(s.Reasons[0], "would decide the margin") {
		t.Errorf("noisy suite: %s, blocks %v, power %+v, reasons %v", s.Verdict, res.Blocks, s.Power, s.Reasons)
	}
	// With one suite the plan is the textbook one: c = z_0.975 + z_0.8.
	if s.Power.CasesNeeded <= 12 || !testkit.CloseTo(float64(s.Power.MDE), stats.MinDetectableEffect(float64(s.Power.SD), 12, 0.05, 0.8), 1e-9) {
		t.Errorf("power %+v", s.Power)
	}
	o := DefaultOptions()
	o.Mode = ModeNightly
	if res := runGate(t, o, rows); res.Verdict != Inconclusive || res.Blocks {
		t.Errorf("nightly: %s, blocks %v", res.Verdict, res.Blocks)
	}
	res = runGate(t, DefaultOptions(), gateInput(gateSpec{suite: "worse", cases: 12, score: noisyScore(0.9, -0.5, 0.1)}))
	if s := res.Suites[0]; s.Verdict != Fail || !res.Blocks {
		t.Errorf("clear regression: %s", s.Verdict)
	}
}

// TestGateLatency: the p95 check judges only rows sent in this run: a
// cached baseline is left out, counted, and the check says it cannot
// judge; measured on both sides, a 50% rise over 300 cases fails and a
// clone's noise does not.
func TestGateLatency(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(5, 6))
	slower := func(cached bool, factor float64) []*results.Row {
		rows := gateInput(gateSpec{suite: "s", cases: 300, score: noisyScore(0.8, 0, 0.02)})
		for _, r := range rows {
			r.LatencyMS = 400 * (0.7 + 0.6*rng.Float64())
			if r.Provider == "cand" {
				r.LatencyMS *= factor
			} else {
				r.Cached = cached
			}
		}
		return rows
	}
	check := func(rows []*results.Row) Check { return runGate(t, DefaultOptions(), rows).Suites[0].Checks[3] }
	if c := check(slower(true, 1.5)); c.Verdict != Skip || !strings.Contains(c.Message, "(300 and 0 answered from the cache are left out)") {
		t.Errorf("cached baseline: %s %q", c.Verdict, c.Message)
	}
	if c := check(slower(false, 1.5)); c.Verdict != Fail {
		t.Errorf("50%% slower: %s %q", c.Verdict, c.Message)
	}
	if c := check(slower(false, 1)); c.Verdict != Pass {
		t.Errorf("clone: %s %q", c.Verdict, c.Message)
	}
}

// TestTagIsItsSuite: a tag only one suite carries reports exactly that
// suite's numbers.
func TestTagIsItsSuite(t *testing.T) {
	t.Parallel()
	res := runGate(t, DefaultOptions(), gateInput(goldenSpecs()...))
	for _, tg := range res.Tags {
		for _, s := range res.Suites {
			if len(tg.Suites) == 1 && tg.Suites[0] == s.Suite && (tg.Score.CILow != s.Score.CILow || tg.Score.CIHigh != s.Score.CIHigh || tg.Power != s.Power) {
				t.Errorf("tag %s: %v [%v, %v], suite: %v [%v, %v]", tg.Tag, tg.Score.Diff, tg.Score.CILow, tg.Score.CIHigh, s.Score.Diff, s.Score.CILow, s.Score.CIHigh)
			}
		}
	}
}

// TestGateMemory checks what a row costs once its key is known: a row of
// another provider, or a second row for a key, allocates nothing, so the
// gate's memory grows with the distinct (suite, case, repeat) keys, never
// with the rows streamed through it.
func TestGateMemory(t *testing.T) {
	o := DefaultOptions()
	o.Baseline, o.Candidate = "base", "cand"
	g, err := New(o)
	if err != nil {
		t.Fatal(err)
	}
	known, other := gateRow("s", "c1", "base", 0, 0.5, "t"), gateRow("s", "c1", "elsewhere", 0, 0.5, "t")
	g.Add(SideBaseline, known)
	g.Add(SideBaseline, other)
	if n := testing.AllocsPerRun(100, func() { g.Add(SideBaseline, known); g.Add(SideBaseline, other) }); n != 0 {
		t.Errorf("%v allocations per known row", n)
	}
}
