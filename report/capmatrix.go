package report

import (
	"fmt"
	"slices"

	"github.com/parity-eval/parity/suites"
)

// baseCapabilities are the matrix's columns whatever the suites exercise.
var baseCapabilities = []suites.Capability{suites.CapVision, suites.CapTools, suites.CapJSONSchema, suites.CapStreaming}

// capabilityView is what each provider handled: per capability, what it
// declares and what the run showed (Summary.Capabilities).
type capabilityView struct {
	Caps []suites.Capability
	Rows []capRow
}

// capRow is one provider's capabilities.
type capRow struct {
	provChip
	Declared string
	Cells    []capCell
}

// capCell is one provider×capability verdict. Tone is "ok" (works), "warn"
// (answers, but poorly), "no" (unsupported or failing), "declared"
// (declared, not exercised by any suite) or "none" (neither).
type capCell struct {
	Mark, Tone, Note string
}

// capabilities builds the matrix from the summary's capability cells and
// the configured capabilities.
func (h *HTMLReport) capabilities(sum *Summary, ids []string) capabilityView {
	matrix := sum.Capabilities()
	caps := slices.Clone(baseCapabilities)
	for _, row := range matrix {
		for c := range row {
			if !slices.Contains(caps, c) {
				caps = append(caps, c)
			}
		}
	}
	slices.Sort(caps[len(baseCapabilities):])
	v := capabilityView{Caps: caps}
	for i, id := range ids {
		row := capRow{provChip: provChip{id, providerColor(i)}, Declared: "not configured"}
		p := h.providers[id]
		if p != nil {
			row.Declared = suites.JoinCapabilities(p.Capabilities, ", ")
		}
		for _, c := range caps {
			cell, tested := matrix[id][c]
			row.Cells = append(row.Cells, capCellOf(cell, tested && cell.Status != CapUntested, p != nil && p.HasCapability(c)))
		}
		v.Rows = append(v.Rows, row)
	}
	return v
}

// capCellOf turns one capability cell into a mark and a note.
func capCellOf(c Capability, tested, declared bool) capCell {
	switch {
	case !tested && declared:
		return capCell{"✓", "declared", "declared; no suite exercised it here"}
	case !tested:
		return capCell{"–", "none", "not exercised here"}
	}
	note := fmt.Sprintf("%s of %s passed", formatCount(c.Pass), formatCount(c.N))
	if c.MaxContextTokens > 0 || c.SmallestFailedTokens > 0 {
		note = fmt.Sprintf("right up to %s tokens", formatCount(int64(c.MaxContextTokens)))
		if c.SmallestFailedTokens > 0 {
			note += fmt.Sprintf(", wrong or refused at %s", formatCount(int64(c.SmallestFailedTokens)))
		}
	}
	if c.Streamed > 0 {
		note = fmt.Sprintf("%s of %s answers streamed", formatCount(c.Streamed), formatCount(c.N))
	}
	if c.TokensPerSecond > 0 {
		note += fmt.Sprintf("; %.0f tokens/s", c.TokensPerSecond)
	}
	switch c.Status {
	case CapWorks:
		return capCell{"✓", "ok", note}
	case CapPoor:
		return capCell{"!", "warn", note + ": " + c.Detail}
	case CapUnsupported:
		return capCell{"✗", "no", "unsupported: " + c.Detail}
	}
	return capCell{"✗", "no", "fails: " + c.Detail}
}
