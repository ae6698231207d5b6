package gate

import (
	"bufio"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
)

// WriteText writes the gate's report for a terminal: the verdict, then
// tables in the spirit of benchstat (a difference that is not significant
// reads "~"), the failures and the warnings.
func (r *Result) WriteText(w io.Writer) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "%s\n%s\n", gateHeadline(r), gateSettings(r))
	for _, t := range gateTables(r) {
		fmt.Fprintf(bw, "\n%s\n", t.title)
		writeTextTable(bw, t.header, t.rows)
	}
	writeTextList(bw, "failures", r.Failures)
	writeTextList(bw, "undecided", r.Undecided)
	writeTextList(bw, "warnings", r.Warnings)
	return bw.Flush()
}

// writeTextTable aligns a table in columns two spaces apart.
func writeTextTable(w io.Writer, header []string, rows [][]string) {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, strings.Join(header, "\t"))
	for _, row := range rows {
		fmt.Fprintln(tw, strings.Join(row, "\t"))
	}
	tw.Flush()
}

// writeTextList writes a titled list, nothing when it is empty.
func writeTextList(w io.Writer, title string, items []string) {
	if len(items) == 0 {
		return
	}
	fmt.Fprintf(w, "\n%s\n", title)
	for _, it := range items {
		fmt.Fprintf(w, "  %s\n", it)
	}
}
