package routing

import (
	"github.com/parity-eval/parity/internal/format"
	"github.com/parity-eval/parity/internal/testkit"
	"strings"
	"testing"
)

func TestParseCanaryGate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, json, err string
	}{
		{"ok", `{"schema_version": 1, "baseline": "frontier", "candidate": "mini", "verdict": "pass", "margin": 0.03,
			"suites": [{"suite": "s", "tags": ["extract"], "verdict": "pass", "reasons": []}],
			"tags": [{"tag": "extract", "verdict": "pass"}], "extra": {"ignored": true}}`, ""},
		{"version 2, inconclusive", `{"schema_version": 2, "candidate": "mini", "verdict": "inconclusive",
			"tags": [{"tag": "extract", "verdict": "inconclusive"}]}`, ""},
		{"another version", `{"schema_version": 3, "candidate": "mini", "verdict": "pass"}`, "schema_version 3"},
		{"no candidate", `{"schema_version": 1, "verdict": "pass"}`, "no candidate"},
		{"a bad verdict", `{"schema_version": 1, "candidate": "mini", "verdict": "maybe"}`, `verdict "maybe"`},
		{"a bad tag verdict", `{"schema_version": 1, "candidate": "m", "verdict": "fail", "tags": [{"tag": "x", "verdict": "ok"}]}`, `x: verdict "ok"`},
		{"not JSON", `verdict: pass`, "not a gate result"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := ParseCanaryGate(strings.NewReader(tt.json))
			if tt.err == "" && err != nil || tt.err != "" && (err == nil || !strings.Contains(err.Error(), tt.err)) {
				t.Errorf("error %v, want %q", err, tt.err)
			}
		})
	}
}

func TestGateTagVerdict(t *testing.T) {
	t.Parallel()
	g := &CanaryGate{Candidate: "mini",
		Suites: []CanaryGateItem{
			{Suite: "a", Tags: []string{"extract", "short"}, Verdict: "pass"},
			{Suite: "b", Tags: []string{"short"}, Verdict: "fail", Reasons: []string{"score -0.08 < -0.03"}},
			{Suite: "c", Tags: []string{"long", "extract2"}, Verdict: "inconclusive", Reasons: []string{"more cases"}},
			{Suite: "d", Tags: []string{"long"}, Verdict: "pass"},
		},
		Tags: []CanaryGateItem{{Tag: "classify", Verdict: "fail", Reasons: []string{"own entry"}}}}
	for tag, want := range map[string]string{"extract": "pass", "short": "fail", "classify": "fail", "review": "absent", "long": "inconclusive"} {
		if got, _ := g.tagVerdict(tag); got != want {
			t.Errorf("%s: %s, want %s", tag, got, want)
		}
	}
	if _, reasons := g.tagVerdict("short"); len(reasons) != 1 || reasons[0] != "score -0.08 < -0.03" {
		t.Errorf("reasons %q", reasons)
	}
}

// TestCanary adds a 5% canary of budget where the gate passed (extract),
// none where it failed (classify), and none where budget lacks a
// capability (caption).
func TestCanary(t *testing.T) {
	t.Parallel()
	ev := testkit.AddSpecs(NewEvidence(), "extract", DefaultTier,
		testkit.Spec{ID: "frontier", Scores: testkit.Repeat(1, 10), Cost: 0.01},
		testkit.Spec{ID: "mini", Scores: testkit.Repeat(1, 10), Cost: 0.001},
		testkit.Spec{ID: "budget", Scores: testkit.Repeat(0.5, 10), Cost: 0.0001})
	testkit.AddSpecs(ev, "classify", DefaultTier,
		testkit.Spec{ID: "frontier", Scores: testkit.Repeat(1, 10), Cost: 0.01},
		testkit.Spec{ID: "budget", Scores: testkit.Repeat(0.5, 10), Cost: 0.0001})
	testkit.AddSpecs(ev, "caption", DefaultTier,
		testkit.Spec{ID: "frontier", Scores: testkit.Repeat(1, 10), Cost: 0.01},
		testkit.Spec{ID: "budget", Scores: testkit.Repeat(1, 10), Unsupported: true})
	s := DefaultSettings()
	s.Gate = &CanaryGate{Candidate: "budget", Verdict: "fail", Tags: []CanaryGateItem{
		{Tag: "extract", Verdict: "pass"}, {Tag: "classify", Verdict: "fail", Reasons: []string{"too wrong"}}, {Tag: "caption", Verdict: "pass"}}}
	r := New(ev, nil, s, testkit.T0)
	ex := r.Tags["extract"]
	// mini and frontier tie: an 80/20 split, scaled to 95%; 5% to budget.
	if ex.Canary == nil || ex.Canary.Weight != 0.05 || ex.Split == nil || len(ex.Split.Targets) != 3 {
		t.Fatalf("extract canary %+v split %+v", ex.Canary, ex.Split)
	}
	var sum float64
	for _, tg := range ex.Split.Targets {
		sum += tg.Weight
	}
	last := ex.Split.Targets[2]
	if !near(sum, 1) || last.Provider != "budget" || last.Role != "canary" || last.Weight != 0.05 {
		t.Errorf("targets %+v", ex.Split.Targets)
	}
	wantMean := format.RoundTo(0.95*(0.8*1+0.2*1)+0.05*0.5, 4)
	if ex.Split.Expected.MeanScore != wantMean {
		t.Errorf("expected mean %v, want %v", ex.Split.Expected.MeanScore, wantMean)
	}
	if cl := r.Tags["classify"]; cl.Canary == nil || cl.Canary.Weight != 0 || cl.Split != nil ||
		!strings.Contains(cl.Canary.Why, "failed") || cl.Canary.Reasons[0] != "too wrong" {
		t.Errorf("classify canary %+v split %+v", cl.Canary, cl.Split)
	}
	if ca := r.Tags["caption"]; ca.Canary == nil || ca.Canary.Weight != 0 || !strings.Contains(ca.Canary.Why, "budget is excluded: lacks a capability") {
		t.Errorf("caption canary %+v", ca.Canary)
	}
	if r.Gate == nil || r.Gate.Candidate != "budget" || r.Gate.Weight != 0.05 {
		t.Errorf("gate %+v", r.Gate)
	}
	// An inconclusive tag (non-inferiority not shown) gets no canary either.
	s.Gate.Tags[0].Verdict = "inconclusive"
	r = New(ev, nil, s, testkit.T0)
	if ex := r.Tags["extract"]; ex.Canary == nil || ex.Canary.Weight != 0 || !strings.Contains(ex.Canary.Why, "inconclusive") {
		t.Errorf("inconclusive extract canary %+v", ex.Canary)
	}
}

// FuzzParseCanaryGate checks the gate reader never panics and that what
// it accepts is valid.
func FuzzParseCanaryGate(f *testing.F) {
	f.Add(`{"schema_version": 1, "candidate": "mini", "verdict": "pass", "tags": [{"tag": "x", "verdict": "fail"}]}`)
	f.Add(`{"schema_version": 1, "candidate": "", "verdict": "pass"}`)
	f.Add(`{"suites": [{"suite": "s", "tags": ["a"], "verdict": "pass"}]}`)
	f.Add(`{"schema_version": 2, "candidate": "mini", "verdict": "inconclusive", "tags": [{"tag": "x", "verdict": "inconclusive"}]}`)
	f.Add(`[]`)
	f.Fuzz(func(t *testing.T, s string) {
		g, err := ParseCanaryGate(strings.NewReader(s))
		if err != nil {
			return
		}
		if g.Candidate == "" || !canaryVerdictOK(g.Verdict) {
			t.Errorf("accepted an invalid gate: %+v", g)
		}
		for _, tag := range []string{"x", "a", ""} {
			if v, _ := g.tagVerdict(tag); !canaryVerdictOK(v) && v != "absent" {
				t.Errorf("tag verdict %q", v)
			}
		}
	})
}
