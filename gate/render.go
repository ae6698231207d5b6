package gate

import (
	"fmt"
	"io"
)

// The formats a gate result renders to.
const (
	FormatText     = "text"
	FormatJSON     = "json"
	FormatJUnit    = "junit"
	FormatMarkdown = "markdown"
)

// Formats lists the formats WriteFormat knows, the default first.
var Formats = []string{FormatText, FormatJSON, FormatJUnit, FormatMarkdown}

// WriteFormat writes the result in the named format.
func (r *Result) WriteFormat(format string, w io.Writer) error {
	switch format {
	case FormatText:
		return r.WriteText(w)
	case FormatJSON:
		return r.WriteJSON(w)
	case FormatJUnit:
		return r.WriteJUnit(w)
	case FormatMarkdown:
		return r.WriteMarkdown(w)
	}
	return fmt.Errorf("unknown format %q (want text, json, junit or markdown)", format)
}
