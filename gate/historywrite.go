package gate

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/parity-eval/parity/internal/format"
)

// WriteText writes a table per provider, a run per line, with "!" after
// each flagged metric, then the flags spelled out.
func (r *HistoryResult) WriteText(w io.Writer) error {
	bw := bufio.NewWriter(w)
	order := "in time order (earliest started_at)"
	if r.Order != "time" {
		order = "in the order given"
	}
	fmt.Fprintf(bw, "parity history: %d runs %s; \"!\" marks a metric more than %g%% off the mean of its previous %d runs\n",
		len(r.Runs), order, 100*r.Threshold, r.Window)
	flagged := map[[3]string]bool{}
	for _, f := range r.Flags {
		flagged[[3]string{strconv.Itoa(f.Run), f.Provider, f.Metric}] = true
	}
	for _, ph := range r.Providers {
		fmt.Fprintf(bw, "\n%s\n", ph.Provider)
		rows := make([][]string, len(ph.Points))
		for i, pt := range ph.Points {
			row := []string{r.runLabel(pt.Run), r.startLabel(pt.Run), strconv.Itoa(pt.Rows)}
			for _, m := range historyMetrics {
				cell := historyCell(m, pt.Metrics[m])
				if flagged[[3]string{strconv.Itoa(pt.Run), ph.Provider, m}] {
					cell += " !"
				}
				row = append(row, cell)
			}
			rows[i] = row
		}
		writeTextTable(bw, []string{"run", "started", "rows", "score", "pass rate", "cost per case", "p95 latency"}, rows)
	}
	lines := make([]string, len(r.Flags))
	for i, f := range r.Flags {
		lines[i] = r.flagLine(f)
	}
	writeTextList(bw, "flags", lines)
	writeTextList(bw, "warnings", r.Warnings)
	return bw.Flush()
}

// WriteJSON writes the history as indented JSON.
func (r *HistoryResult) WriteJSON(w io.Writer) error { return writeJSON(w, r) }

// historyCell prints one metric.
func historyCell(m string, v NullFloat) string {
	x := float64(v)
	switch m {
	case HistoryPassRate:
		return format.Pct(x)
	case HistoryCostPerCase:
		return format.USD(x)
	case HistoryP95:
		return format.MS(x)
	}
	return format.Score(x)
}

// runLabel names run i: its id, else its path.
func (r *HistoryResult) runLabel(i int) string {
	if id := r.Runs[i].RunID; id != "" {
		return id
	}
	return r.Runs[i].Path
}

// startLabel prints when run i started, "?" when unknown.
func (r *HistoryResult) startLabel(i int) string {
	if t := r.Runs[i].Started; t != nil {
		return t.UTC().Format(time.RFC3339)
	}
	return "?"
}

// flagLine spells out a flag.
func (r *HistoryResult) flagLine(f HistoryFlag) string {
	dev := "is not 0, unlike"
	switch d := float64(f.Deviation); {
	case !f.Deviation.Valid():
	case d < 0:
		dev = "is " + format.Pct(-d) + " below"
	default:
		dev = "is " + format.Pct(d) + " above"
	}
	return fmt.Sprintf("%s %s: %s %s %s the mean of the previous %d runs (%s)", r.runLabel(f.Run), f.Provider, f.Metric,
		historyCell(f.Metric, f.Value), dev, f.Previous, historyCell(f.Metric, f.Mean))
}
