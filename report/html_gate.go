package report

// GateSummary is what report.html shows of a gate's verdict: the gate
// fills it, the report renders it in the headline when it is not nil.
type GateSummary struct {
	// Pass is the verdict: true when every threshold held.
	Pass bool
	// Verdict is the word shown ("pass", "fail", "warn"); empty means
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
