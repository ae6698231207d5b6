package report

import (
	"fmt"
	"io"
)

// The formats a gate result renders to.
const (
	GateFormatText     = "text"
	GateFormatJSON     = "json"
	GateFormatJUnit    = "junit"
	GateFormatMarkdown = "markdown"
)

// GateFormats lists the formats WriteFormat knows, the default first.
var GateFormats = []string{GateFormatText, GateFormatJSON, GateFormatJUnit, GateFormatMarkdown}

// WriteFormat writes the result in the named format.
func (r *GateResult) WriteFormat(format string, w io.Writer) error {
	switch format {
	case GateFormatText:
		return r.WriteText(w)
	case GateFormatJSON:
		return r.WriteJSON(w)
	case GateFormatJUnit:
		return r.WriteJUnit(w)
	case GateFormatMarkdown:
		return r.WriteMarkdown(w)
	}
	return fmt.Errorf("unknown format %q (want text, json, junit or markdown)", format)
}
