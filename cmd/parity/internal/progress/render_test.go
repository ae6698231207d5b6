package progress

import (
	"fmt"
	"math"
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/parity-eval/parity/internal/testkit"
)

// scenarioIDs are three providers, one with an id too long for its column.
var scenarioIDs = []string{"gpt-4o-mini", "deepseek-chat", "openrouter/anthropic/claude-3.5-sonnet-20241022"}

// scenario runs a made-up 31-second run against a fake clock, ticking at
// the given seconds, and returns everything written. gpt-4o-mini returns
// 2 results a second and finishes at 20s, one in seven failing;
// deepseek-chat 1 a second (40 planned: still running at the end); the
// long-named provider 1 a second for 8s, then stalls, and 4 of its
// results are skipped at 15s.
func scenario(t *testing.T, tty bool, ticks ...float64) string {
	t.Helper()
	planned := map[string]int{scenarioIDs[0]: 40, scenarioIDs[1]: 40, scenarioIDs[2]: 20}
	p, buf, c := manual(tty, scenarioIDs, planned)
	p.Start()
	// Results of second s come at s; a tick at tk sees those of s <= tk.
	tickFrom := func(from float64) {
		for _, tk := range ticks {
			if tk >= from && tk < from+1 {
				tickAt(p, c, sec(tk))
			}
		}
	}
	tickFrom(0)
	n := 0
	for s := 1; s <= 31; s++ {
		c.set(sec(float64(s)))
		for range 2 {
			if s <= 20 {
				n++
				p.Add(scenarioIDs[0], n%7 == 0, 0.00021)
			}
		}
		p.Add(scenarioIDs[1], false, 0.00008)
		if s <= 8 {
			p.Add(scenarioIDs[2], s == 3, 0.0031)
		}
		if s == 15 {
			p.Skip(scenarioIDs[2], 4)
		}
		tickFrom(float64(s))
	}
	c.set(sec(31.4))
	p.Stop()
	return buf.String()
}

func TestScenarioGolden(t *testing.T) {
	t.Parallel()
	// A terminal redraws 5 times a second; these are a few of its frames.
	testkit.Golden(t, "run.tty.golden", visible(scenario(t, true, 0.6, 3, 12, 25)))
	// Off a terminal a line comes every 5s.
	testkit.Golden(t, "run.plain.golden", visible(scenario(t, false, 5, 10, 15, 20, 25, 30)))
}

var ansi = regexp.MustCompile(`\x1b\[[0-9]*[A-Za-z]`)

func TestANSIOnlyOnTerminal(t *testing.T) {
	t.Parallel()
	tty := scenario(t, true, 3, 12)
	for _, seq := range []string{"\r\x1b[2K", "\x1b[5A", "\x1b[J"} {
		if !strings.Contains(tty, seq) {
			t.Errorf("terminal output lacks %q", seq)
		}
	}
	if !strings.HasSuffix(tty, "\n\x1b[J") {
		t.Errorf("terminal output does not end below the block: %q", tty[max(len(tty)-20, 0):])
	}
	if plain := scenario(t, false, 5, 10); strings.ContainsAny(plain, "\x1b\r") {
		t.Errorf("plain output has escapes: %q", plain)
	}
}

// many returns n running providers with long ids.
func many(n int) []row {
	var rows []row
	for i := range n {
		rows = append(rows, row{id: fmt.Sprintf("provider-with-a-rather-long-name-%02d", i), done: int64(i), total: 11,
			failed: int64(i % 3), costUSD: 0.001 * float64(i), rate: 0.5, eta: sec(20)})
	}
	return rows
}

// total sums rows the way measure does, for hand-made snapshots.
func total(rows []row, rate float64, eta time.Duration) row {
	t := row{id: "total", rate: rate, eta: eta}
	for _, r := range rows {
		t.done, t.total, t.failed, t.costUSD = t.done+r.done, t.total+r.total, t.failed+r.failed, t.costUSD+r.costUSD
	}
	return t
}

func TestRenderGolden(t *testing.T) {
	t.Parallel()
	huge := []row{
		{id: "big", done: 1234567, total: 9876543, failed: 123456, costUSD: 98765.4321, rate: 4321.9, eta: 567 * time.Hour},
		{id: "tiny", done: 0, total: 0, rate: math.NaN(), eta: 0},
	}
	mixed := []row{
		{id: "a", done: 10, total: 10, rate: 1, eta: 0},
		{id: "b", done: 3, total: 10, rate: 1, eta: sec(7)},
		{id: "c", done: 10, total: 10, rate: 1, eta: 0},
		{id: "d", done: 1, total: 10, failed: 1, rate: 0, eta: -1},
		{id: "e", done: 10, total: 10, rate: 1, eta: 0},
		{id: "f", done: 9, total: 10, rate: 1, eta: sec(1)},
	}
	one := []row{{id: "only", done: 5, total: 9, rate: 2, eta: sec(2)}}
	tests := []struct {
		name string
		s    snapshot
		v    view
	}{
		// Twelve 35-rune ids: whole on an unknown terminal (up to 43
		// columns), cut in the middle to 26 in the plain detail line,
		// which ends with "+N more".
		{"many", snapshot{rows: many(12), total: total(many(12), 6, sec(20)), elapsed: sec(75)}, view{}},
		// An 80-column terminal: every column kept, ids cut to 22.
		{"80cols", snapshot{rows: many(2), total: total(many(2), 1, sec(20)), elapsed: sec(5)}, view{cols: 80}},
		// A 60-column terminal: every line cut to 59.
		{"narrow", snapshot{rows: many(2), total: total(many(2), 1, sec(20)), elapsed: sec(5)}, view{cols: 60}},
		// An 8-row terminal and six providers: the unfinished first,
		// the finished counted on one line.
		{"short", snapshot{rows: mixed, total: total(mixed, 5, -1), elapsed: sec(3725)}, view{rows: 8}},
		// A 3-row terminal: the total line alone.
		{"tiny", snapshot{rows: mixed, total: total(mixed, 5, -1), elapsed: sec(9)}, view{rows: 3}},
		// Large counts and spend; an ETA past 99 hours; a provider
		// whose every result was skipped.
		{"huge", snapshot{rows: huge, total: total(huge, 4321.9, 567*time.Hour), elapsed: 50 * time.Hour}, view{drawn: 4}},
		// One provider: no detail line off a terminal.
		{"one", snapshot{rows: one, total: total(one, 2, sec(2)), elapsed: sec(2)}, view{}},
		// Stop's frame when results were still missing.
		{"stopped", snapshot{rows: mixed, total: total(mixed, 2.25, -1), elapsed: sec(20), final: true}, view{drawn: 8}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tty, n := render(tt.s, view{tty: true, cols: tt.v.cols, rows: tt.v.rows, drawn: tt.v.drawn})
			plain, m := render(tt.s, view{tty: false})
			if got := strings.Count(tty, "\n"); n != got || m != 0 {
				t.Errorf("render reports %d and %d lines, the block has %d", n, m, got)
			}
			testkit.Golden(t, tt.name+".golden", visible("== terminal\n"+tty+"== plain\n"+plain))
			checkWidths(t, tty, plain, tt.v.cols)
		})
	}
}

// checkWidths fails when a line is wider than 100 columns, or than a
// known terminal's width less one.
func checkWidths(t *testing.T, tty, plain string, cols int) {
	t.Helper()
	width := maxCols
	if cols > 0 {
		width = cols - 1
	}
	for _, l := range strings.Split(ansi.ReplaceAllString(strings.ReplaceAll(tty, "\r", ""), ""), "\n") {
		if n := utf8.RuneCountInString(l); n > width {
			t.Errorf("terminal line of %d columns, over %d: %q", n, width, l)
		}
	}
	for _, l := range strings.Split(plain, "\n") {
		if n := utf8.RuneCountInString(l); n > maxCols {
			t.Errorf("plain line of %d columns: %q", n, l)
		}
	}
}

func TestScenarioLinesFit(t *testing.T) {
	t.Parallel()
	checkWidths(t, scenario(t, true, 1, 2, 12, 25), scenario(t, false, 5, 10, 30), 0)
}

func TestShortKeepsBothEnds(t *testing.T) {
	t.Parallel()
	tests := []struct{ id, want string }{
		// Short ids are kept whole, up to exactly the column's width.
		{"gpt-4o-mini", "gpt-4o-mini"},
		{"abcdefghijklmnopqrstuvwxyz", "abcdefghijklmnopqrstuvwxyz"},
		// Longer ones keep 12 runes of the start and 13 of the end.
		{"abcdefghijklmnopqrstuvwxyz0", "abcdefghijkl…opqrstuvwxyz0"},
		{"openrouter/anthropic/claude-3.5-sonnet-20241022", "openrouter/a…nnet-20241022"},
		// Runes, not bytes.
		{"ééééééééééééééééééééééééééé", "éééééééééééé…ééééééééééééé"},
	}
	for _, tt := range tests {
		if got := short(tt.id, idCols); got != tt.want || utf8.RuneCountInString(got) > idCols {
			t.Errorf("short(%q) = %q, want %q", tt.id, got, tt.want)
		}
	}
}

func TestIDsCannotEscape(t *testing.T) {
	t.Parallel()
	if got := clean("evil\x1b[2J\n\tid"); got != "evil?[2J??id" {
		t.Errorf("clean = %q", got)
	}
}

func TestFormats(t *testing.T) {
	t.Parallel()
	tests := []struct{ got, want string }{
		{clock(0), "0s"},
		{clock(sec(59.9)), "59s"},
		{clock(sec(185)), "3m05s"},
		{clock(sec(3725)), "1h02m"},
		{clock(100 * time.Hour), ">99h"},
		{clock(-time.Second), "0s"},
		// An ETA rounds up: work left never reads 0s.
		{until(row{done: 1, total: 2, eta: sec(0.2)}, false), "1s"},
		{until(row{done: 1, total: 2, eta: sec(22)}, false), "22s"},
		{until(row{done: 1, total: 2, eta: -1}, false), "—"},
		{until(row{done: 1, total: 2, eta: sec(5)}, true), "—"},
		{until(row{done: 2, total: 2}, false), "done"},
		{perSecond(math.NaN()), "—"},
		{perSecond(12.46), "12.5/s"},
		{perSecond(1234.5), "1234/s"},
		{plural(0, "error"), "0 errors"},
		{plural(1, "error"), "1 error"},
		{percent(row{done: 199, total: 200}), "99"},
		{percent(row{}), "100"},
		{clip("abcdef", 4), "abc…"},
		{clip("abcd", 4), "abcd"},
	}
	for i, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%d: got %q, want %q", i, tt.got, tt.want)
		}
	}
}
