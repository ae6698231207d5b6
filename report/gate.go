package report

import (
	"errors"
	"fmt"
	"slices"

	"github.com/parity-eval/parity/gate"
	"github.com/parity-eval/parity/results"
)

// GateSummary is what report.html shows of a gate's verdict: the gate
// fills it, the report renders it in the headline when it is not nil.
type GateSummary struct {
	// Pass is the verdict: true when every threshold held.
	Pass bool
	// Verdict is the word shown ("pass", "fail", "inconclusive",
	// "warn"); empty means
	// "pass" or "fail" from Pass.
	Verdict string
	// Reasons explain the verdict, one line each (a failed threshold, a
	// regression against the baseline run).
	Reasons []string
	// Against names what the run was compared with, when anything (a
	// baseline run id).
	Against string
}

// word returns the verdict as shown.
func (g *GateSummary) word() string {
	switch {
	case g.Verdict != "":
		return g.Verdict
	case g.Pass:
		return "pass"
	}
	return "fail"
}

// SetGate makes the report show the gate's verdict; call it before Close.
func (w *Writer) SetGate(g *GateSummary) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.html.Gate = g
}

// WithGate gates the run at Close: once results.parquet is whole, the
// candidate of o is compared with its baseline (Read), the verdict is
// written as gate.json, gate.xml (JUnit) and gate.md beside the outputs
// and shown in report.html's headline. Gate returns the result.
func WithGate(o gate.Options) Option { return func(w *Writer) { w.gateOpts = &o } }

// The files a gated run writes beside its outputs.
const (
	GateJSONFile     = "gate.json"
	GateJUnitFile    = "gate.xml"
	GateMarkdownFile = "gate.md"
)

// Gate returns the verdict of a run gated with WithGate, once Close ran;
// nil otherwise.
func (w *Writer) Gate() *gate.Result {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.gate
}

// runGate gates the closed results file and writes the gate's files.
func (w *Writer) runGate() error {
	if w.gateOpts == nil {
		return nil
	}
	res, err := gate.Read(*w.gateOpts, w.path(results.FileName))
	if err != nil {
		return fmt.Errorf("gate: %w", err)
	}
	w.gate = res
	w.html.Gate = gateSummaryOf(res)
	return errors.Join(
		writeFile(w.path(GateJSONFile), res.WriteJSON),
		writeFile(w.path(GateJUnitFile), res.WriteJUnit),
		writeFile(w.path(GateMarkdownFile), res.WriteMarkdown),
	)
}

// gateSummaryOf is what the report's headline shows of a gate: its
// verdict in its mode, what failed and what is undecided, and what a
// sequential gate saved.
func gateSummaryOf(res *gate.Result) *GateSummary {
	reasons := append(slices.Clip(res.Failures), res.Undecided...)
	if res.Sequential != nil {
		reasons = append(reasons, res.Sequential.String())
	}
	against := fmt.Sprintf("%s against the baseline %s, %s mode", res.Candidate, res.Baseline, res.Mode)
	if res.Verdict == gate.Inconclusive && !res.Blocks {
		against += ": inconclusive warns, it does not block"
	}
	return &GateSummary{Pass: res.Verdict == gate.Pass, Verdict: string(res.Verdict), Reasons: reasons, Against: against}
}
