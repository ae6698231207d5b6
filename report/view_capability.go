package report

import (
	"fmt"
	"slices"
	"strings"

	"github.com/parity-eval/parity/runner"
)

// baseCapabilities are the matrix's columns whatever the suites need.
var baseCapabilities = []string{"vision", "tools", "json_schema", "streaming"}

// capabilityView is what each provider handled: per capability, what it
// declares and what the run saw.
type capabilityView struct {
	Caps []string
	Rows []capRow
}

// capRow is one provider's capabilities.
type capRow struct {
	provChip
	Declared string
	Cells    []capCell
}

// capCell is one provider×capability verdict. Tone is "ok" (handled by
// the suites that need it), "declared" (configured, no suite needs it),
// "no" (needed and not supported), "warn" (declared, but requests were
// refused) or "none" (neither declared nor needed).
type capCell struct {
	Mark, Tone, Note string
}

// capabilities builds the matrix from the configured capabilities, the
// suites' needs and the error classes seen.
func (h *HTMLReport) capabilities(sum *Summary, ids []string) capabilityView {
	caps := slices.Clone(baseCapabilities)
	for _, suite := range sortedKeys(h.needs) {
		for _, n := range h.needs[suite] {
			if !slices.Contains(caps, n) {
				caps = append(caps, n)
			}
		}
	}
	v := capabilityView{Caps: caps}
	for i, id := range ids {
		row := capRow{provChip: provChip{id, providerColor(i)}, Declared: "not configured"}
		p := h.providers[id]
		if p != nil {
			row.Declared = strings.Join(p.Capabilities, ", ")
		}
		for _, c := range caps {
			declared := p != nil && p.HasCapability(c)
			if c == "streaming" {
				row.Cells = append(row.Cells, streamingCell(sum.providers[id].stats(), declared))
				continue
			}
			row.Cells = append(row.Cells, h.capCellOf(sum, id, c, declared))
		}
		v.Rows = append(v.Rows, row)
	}
	return v
}

// capCellOf judges one capability from the rows of the suites needing it.
func (h *HTMLReport) capCellOf(sum *Summary, id, capability string, declared bool) capCell {
	var suites []string
	var g capCounts
	for _, s := range sortedKeys(h.needs) {
		if slices.Contains(h.needs[s], capability) {
			suites = append(suites, s)
			if a := sum.cells[pair{s, id}]; a != nil {
				g.add(a)
			}
		}
	}
	on := strings.Join(suites, ", ")
	switch {
	case len(suites) == 0 && declared:
		return capCell{"✓", "declared", "declared; no suite needed it"}
	case len(suites) == 0:
		return capCell{"–", "none", "not declared; no suite needed it"}
	case g.n == 0:
		return capCell{"?", "none", "needed by " + on + ", which did not run on this provider"}
	case g.unsupported > 0:
		return capCell{"✗", "no", fmt.Sprintf("not declared: %s rows of %s not sent", formatCount(g.unsupported), on)}
	case g.badRequest > 0:
		return capCell{"!", "warn", fmt.Sprintf("declared, but %s of %s requests of %s refused as bad_request",
			formatCount(g.badRequest), formatCount(g.n), on)}
	}
	return capCell{"✓", "ok", fmt.Sprintf("%s pass on %s", formatPct(ratio(g.pass, g.n)), on)}
}

// streamingCell says whether answers streamed: every request asks for a
// stream, so a first token measured is the evidence.
func streamingCell(g GroupStats, declared bool) capCell {
	switch {
	case g.OK == 0:
		return capCell{"?", "none", "no successful answer to tell"}
	case g.TTFTMS.N > 0 && declared:
		return capCell{"✓", "ok", fmt.Sprintf("%s of %s answers streamed", formatCount(g.TTFTMS.N), formatCount(g.OK))}
	case g.TTFTMS.N > 0:
		return capCell{"✓", "ok", fmt.Sprintf("not declared, yet %s of %s answers streamed", formatCount(g.TTFTMS.N), formatCount(g.OK))}
	case declared:
		return capCell{"!", "warn", "declared, but no answer streamed a token"}
	}
	return capCell{"✗", "no", "no answer streamed a token"}
}

// capCounts sums the counts of several groups.
type capCounts struct {
	n, pass, unsupported, badRequest int64
}

// add adds a group's counts.
func (c *capCounts) add(a *aggregate) {
	c.n += a.n
	c.pass += a.pass
	c.unsupported += a.errors[runner.ClassUnsupported]
	c.badRequest += a.errors[runner.ClassBadRequest]
}
