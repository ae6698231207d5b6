package progress

import (
	"fmt"
	"math"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/parity-eval/parity/internal/format"
)

// maxCols is the widest line either mode writes.
const maxCols = 100

// idCols is the widest provider id in a plain line; longer ones lose
// their middle.
const idCols = 26

// view is how a frame is drawn, besides what it shows.
type view struct {
	tty bool
	// cols and rows are the terminal's size; 0 when unknown.
	cols, rows int
	// drawn is the number of lines the previous frame left on screen.
	drawn int
}

// render returns the text of one frame and the number of lines it leaves
// on a terminal (0 off one). It is pure: the same snapshot and view give
// the same bytes.
func render(s snapshot, v view) (string, int) {
	if !v.tty {
		return plain(s), 0
	}
	width := maxCols
	if v.cols > 0 {
		width = max(min(width, v.cols-1), 1)
	}
	lines := block(s, v.rows, width)
	return redraw(lines, v.drawn, width), len(lines)
}

// redraw moves the cursor up over the previous frame's drawn lines and
// draws lines over them, each cleared first and cut to width; whatever
// was below is cleared. The cursor ends on the line after the block.
func redraw(lines []string, drawn, width int) string {
	var b strings.Builder
	b.WriteString("\r")
	if drawn > 0 {
		fmt.Fprintf(&b, "\x1b[%dA", drawn)
	}
	for _, l := range lines {
		b.WriteString("\x1b[2K")
		b.WriteString(clip(l, width))
		b.WriteByte('\n')
	}
	b.WriteString("\x1b[J")
	return b.String()
}

// columns lays out one line of the terminal block after the id column:
// 57 columns, so that an 80-column terminal keeps a 22-column id.
const columns = "  %6s/%-6s  %4s  %6s  %8s  %9s  %5s"

// fixedCols is the width of columns; minIDCols fits "total (50h00m)".
const fixedCols, minIDCols = 57, 14

// block is the terminal block: a header, one line per provider and the
// total, in at most rows-1 lines when rows is known. The id column is as
// wide as the longest id, within what width leaves.
func block(s snapshot, rows, width int) []string {
	total := s.total
	total.id = "total (" + clock(s.elapsed) + ")"
	idw := minIDCols
	for _, r := range s.rows {
		idw = max(idw, utf8.RuneCountInString(r.id))
	}
	idw = max(min(idw, width-fixedCols), minIDCols)
	if rows > 0 && rows-1 < 3 {
		return []string{line(total, idw, s.final)}
	}
	shown, hidden := fit(s.rows, rows-1-2)
	lines := []string{fmt.Sprintf("%-*s"+columns, idw, "provider", "done", "total", "%", "errors", "rate", "spent", "eta")}
	for _, r := range shown {
		lines = append(lines, line(r, idw, s.final))
	}
	if hidden > 0 {
		lines = append(lines, fmt.Sprintf("… %d more providers (%d done)", hidden, countDone(s.rows)-countDone(shown)))
	}
	return append(lines, line(total, idw, s.final))
}

// fit picks the rows to show in room lines (room < 0: no limit): all if
// they fit, else room-1 of them, unfinished first, in their order, and a
// line for the hidden count.
func fit(rows []row, room int) (shown []row, hidden int) {
	if room < 0 || len(rows) <= room {
		return rows, 0
	}
	keep := make([]bool, len(rows))
	n := max(room-1, 0)
	for _, unfinished := range []bool{true, false} {
		for i, r := range rows {
			if n > 0 && !keep[i] && r.finished() != unfinished {
				keep[i], n = true, n-1
			}
		}
	}
	for i, r := range rows {
		if keep[i] {
			shown = append(shown, r)
		}
	}
	return shown, len(rows) - len(shown)
}

// countDone counts the finished rows.
func countDone(rows []row) int {
	n := 0
	for _, r := range rows {
		if r.finished() {
			n++
		}
	}
	return n
}

// line is one row of the terminal block, its id in idw columns.
func line(r row, idw int, final bool) string {
	return fmt.Sprintf("%-*s"+columns, idw, short(r.id, idw), fmt.Sprint(r.done), fmt.Sprint(r.total), percent(r)+"%",
		fmt.Sprint(r.failed), perSecond(r.rate), format.USD(r.costUSD), until(r, final))
}

// plain is the off-terminal text: the totals line, then the unfinished
// providers when there are several providers; or Stop's one final line.
func plain(s snapshot) string {
	t := s.total
	rate := perSecond(t.rate)
	if math.IsNaN(t.rate) {
		rate += "/s"
	}
	head := fmt.Sprintf("parity: %d/%d results (%s%%), %s, %s, %s spent", t.done, t.total, percent(t),
		plural(t.failed, "error"), rate, format.USD(t.costUSD))
	switch {
	case s.final && t.finished():
		return head + ", done in " + clock(s.elapsed) + "\n"
	case s.final:
		return head + ", stopped after " + clock(s.elapsed) + "\n"
	}
	head += ", ETA " + until(t, false) + "\n"
	if len(s.rows) < 2 || t.finished() {
		return head
	}
	return head + running(s.rows) + "\n"
}

// running lists the unfinished providers in one line of at most maxCols,
// ending with "+N more" when they do not all fit.
func running(rows []row) string {
	const more = ", +999 more"
	var b strings.Builder
	b.WriteString("parity:  ")
	var items []string
	for _, r := range rows {
		if !r.finished() {
			item := fmt.Sprintf("%s %d/%d", short(r.id, idCols), r.done, r.total)
			if r.failed > 0 {
				item += " (" + plural(r.failed, "error") + ")"
			}
			items = append(items, item)
		}
	}
	for i, item := range items {
		sep := " "
		if i > 0 {
			sep = ", "
		}
		room := maxCols
		if i < len(items)-1 {
			room -= len(more)
		}
		if utf8.RuneCountInString(b.String()+sep+item) > room {
			fmt.Fprintf(&b, "%s+%d more", sep, len(items)-i)
			break
		}
		b.WriteString(sep + item)
	}
	return b.String()
}

// percent is r's share done, rounded down so that 100 means finished.
func percent(r row) string {
	if r.total <= 0 {
		return "100"
	}
	return fmt.Sprint(r.done * 100 / r.total)
}

// until is the ETA column: "done", "—" when unknown (and always in the
// final frame, where nothing more is coming), or the time left.
func until(r row, final bool) string {
	switch {
	case r.finished():
		return "done"
	case final || r.eta < 0:
		return "—"
	}
	return clock(r.eta + time.Second - 1) // rounded up: never "0s" while work remains
}

// perSecond formats a rate; "—" when unknown.
func perSecond(r float64) string {
	switch {
	case math.IsNaN(r):
		return "—"
	case r >= 1000:
		return fmt.Sprintf("%.0f/s", r)
	}
	return fmt.Sprintf("%.1f/s", r)
}

// clock formats a duration in whole seconds, minutes or hours: 7s, 3m05s,
// 1h02m, >99h.
func clock(d time.Duration) string {
	s := int64(max(d, 0) / time.Second)
	switch {
	case s < 60:
		return fmt.Sprintf("%ds", s)
	case s < 3600:
		return fmt.Sprintf("%dm%02ds", s/60, s%60)
	case s < 100*3600:
		return fmt.Sprintf("%dh%02dm", s/3600, s%3600/60)
	}
	return ">99h"
}

// plural is "1 error", "3 errors".
func plural(n int64, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// short cuts an id to n runes, keeping its start and its end, where model
// versions usually differ.
func short(id string, n int) string {
	r := []rune(id)
	if len(r) <= n {
		return id
	}
	head := (n - 1) / 2
	return string(r[:head]) + "…" + string(r[len(r)-(n-1-head):])
}

// clip cuts a line to width runes, the last one an ellipsis.
func clip(s string, width int) string {
	r := []rune(s)
	if len(r) <= width {
		return s
	}
	return string(r[:width-1]) + "…"
}
