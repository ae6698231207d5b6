package routing

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
)

// CanaryGate is the part of a gate result (`parity gate --format json`,
// gate.json) that the rules read to add canaries: which candidate was
// gated against which baseline, and the verdict per tag. Fields the gate
// adds beyond these are ignored.
type CanaryGate struct {
	SchemaVersion int              `json:"schema_version"`
	Baseline      string           `json:"baseline"`
	Candidate     string           `json:"candidate"`
	Verdict       string           `json:"verdict"`
	Margin        float64          `json:"margin"`
	Suites        []CanaryGateItem `json:"suites"`
	Tags          []CanaryGateItem `json:"tags"`
}

// CanaryGateItem is the gate's verdict on one suite or one tag.
type CanaryGateItem struct {
	Suite   string   `json:"suite,omitempty"`
	Tag     string   `json:"tag,omitempty"`
	Tags    []string `json:"tags,omitempty"`
	Verdict string   `json:"verdict"`
	Reasons []string `json:"reasons,omitempty"`
}

// canaryGateVersion is the gate.json layout the rules understand (version
// 1, before the inconclusive verdict, reads the same).
const canaryGateVersion = 2

// ReadCanaryGate reads and checks a gate result file.
func ReadCanaryGate(path string) (*CanaryGate, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("gate: %w", err)
	}
	defer f.Close()
	g, err := ParseCanaryGate(f)
	if err != nil {
		return nil, fmt.Errorf("gate %s: %w", path, err)
	}
	return g, nil
}

// ParseCanaryGate decodes and checks a gate result.
func ParseCanaryGate(r io.Reader) (*CanaryGate, error) {
	var g CanaryGate
	if err := json.NewDecoder(r).Decode(&g); err != nil {
		return nil, fmt.Errorf("not a gate result: %w", err)
	}
	return &g, g.validate()
}

// validate checks what the rules rely on.
func (g *CanaryGate) validate() error {
	switch {
	case g.SchemaVersion != canaryGateVersion && g.SchemaVersion != 1:
		return fmt.Errorf("schema_version %d: this parity reads versions 1 and %d", g.SchemaVersion, canaryGateVersion)
	case g.Candidate == "":
		return errors.New("no candidate: the gate result must name the provider it gated")
	case !canaryVerdictOK(g.Verdict):
		return fmt.Errorf("verdict %q: want pass, fail or inconclusive", g.Verdict)
	}
	for _, it := range append(slices.Clone(g.Suites), g.Tags...) {
		if !canaryVerdictOK(it.Verdict) {
			return fmt.Errorf("%s: verdict %q: want pass, fail or inconclusive", it.Suite+it.Tag, it.Verdict)
		}
	}
	return nil
}

// canaryVerdictOK reports whether v is a gate verdict.
func canaryVerdictOK(v string) bool { return v == "pass" || v == "fail" || v == "inconclusive" }

// tagVerdict returns the gate's verdict on a tag and its reasons: the
// tag's own entry, else "pass" only when every suite carrying the tag
// passed; "absent" when the gate says nothing of the tag.
func (g *CanaryGate) tagVerdict(tag string) (string, []string) {
	for _, t := range g.Tags {
		if t.Tag == tag {
			return t.Verdict, t.Reasons
		}
	}
	verdict := "absent"
	var reasons []string
	for _, s := range g.Suites {
		if !slices.Contains(s.Tags, tag) {
			continue
		}
		if verdict == "absent" {
			verdict = "pass"
		}
		switch {
		case s.Verdict == "fail":
			verdict = "fail"
			reasons = append(reasons, s.Reasons...)
		case s.Verdict == "inconclusive" && verdict == "pass":
			verdict = "inconclusive"
			reasons = append(reasons, s.Reasons...)
		}
	}
	return verdict, reasons
}

// ref summarises the gate for the rules' header; nil without a gate.
func (g *CanaryGate) ref(weight float64) *GateRef {
	if g == nil {
		return nil
	}
	return &GateRef{Candidate: g.Candidate, Baseline: g.Baseline, Verdict: g.Verdict, Margin: g.Margin, Weight: weight}
}
