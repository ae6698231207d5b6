package gate

import (
	"bufio"
	"fmt"
	"io"
	"strings"
)

// WriteMarkdown writes the gate's report as GitHub-flavoured Markdown, for
// a CI step summary ($GITHUB_STEP_SUMMARY): the verdict as a heading, the
// failures and warnings, then the tables.
func (r *Result) WriteMarkdown(w io.Writer) error {
	bw := bufio.NewWriter(w)
	mark := "✅"
	switch {
	case r.Verdict == Fail:
		mark = "❌"
	case r.Verdict == Inconclusive:
		mark = "⚠️"
	}
	fmt.Fprintf(bw, "## %s %s\n\n%s\n", mark, mdEscape(gateHeadline(r)), mdEscape(gateSettings(r)))
	writeMarkdownList(bw, "Failures", r.Failures)
	writeMarkdownList(bw, "Undecided", r.Undecided)
	writeMarkdownList(bw, "Warnings", r.Warnings)
	for _, t := range gateTables(r) {
		fmt.Fprintf(bw, "\n### %s\n\n", mdEscape(t.title))
		writeMarkdownTable(bw, t.header, t.rows)
	}
	return bw.Flush()
}

// writeMarkdownTable writes a pipe table.
func writeMarkdownTable(w io.Writer, header []string, rows [][]string) {
	line := func(cells []string) {
		esc := make([]string, len(cells))
		for i, c := range cells {
			esc[i] = mdEscape(c)
		}
		fmt.Fprintf(w, "| %s |\n", strings.Join(esc, " | "))
	}
	line(header)
	fmt.Fprintf(w, "|%s\n", strings.Repeat("---|", len(header)))
	for _, r := range rows {
		line(r)
	}
}

// writeMarkdownList writes a titled bullet list, nothing when it is empty.
func writeMarkdownList(w io.Writer, title string, items []string) {
	if len(items) == 0 {
		return
	}
	fmt.Fprintf(w, "\n### %s\n\n", title)
	for _, it := range items {
		fmt.Fprintf(w, "- %s\n", mdEscape(it))
	}
}

// mdEscaper neutralises the characters that would break a table cell or
// start markup in text from the results (suite and case names): an
// escaped "<" opens no HTML tag, so ">" can stay.
var mdEscaper = strings.NewReplacer(
	`\`, `\\`, "|", `\|`, "\n", " ", "\r", " ", "<", "&lt;",
	"`", "\\`", "*", `\*`, "_", `\_`, "[", `\[`, "]", `\]`)

// mdEscape escapes s for Markdown text and table cells.
func mdEscape(s string) string { return mdEscaper.Replace(s) }
