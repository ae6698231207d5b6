// Package progress shows the live progress of a parity run: how many results
// each provider has returned, how many failed, how fast they arrive, what
// they cost so far, and when the run should end.
//
// # Use
//
//	p := progress.New(os.Stderr, ids, planned, progress.Options{ // planned: results per id
//		TTY:   progress.IsTerminal(os.Stderr),
//		Every: 5 * time.Second,
//		Quiet: quiet,
//	})
//	p.Start()
//	for r := range results {
//		p.Add(r.Provider, r.Failed, r.CostUSD) // cheap, safe from any goroutine
//	}
//	p.Stop() // the final state; safe to call twice
//
// Skip(provider, n) takes n results out of a provider's total when they will
// not come (a budget ran out, a circuit breaker opened), so the percentage
// and the ETA stay honest.
//
// # On a terminal
//
// With Options.TTY, Start draws a block at once and redraws it in place
// five times a second (ANSI: cursor up, clear line; no full-screen UI).
// On an 80-column terminal:
//
//	provider                  done/total      %  errors      rate      spent    eta
//	gpt-4o-mini                 24/40       60%       3     2.0/s    $0.0050     8s
//	deepseek-chat               12/40       30%       0     1.0/s    $0.0010    28s
//	openrouter…et-20241022       8/20       40%       1     0.6/s     $0.025    20s
//	total (12s)                 44/100      44%       4     3.6/s     $0.031    28s
//
// Lines fit in 100 columns, or in the terminal's width less one when it is
// narrower (asked at every frame; past that, lines are cut). The id column
// is as wide as the longest id, within what the width leaves (43 columns
// of 100, 22 on an 80-column terminal); a longer id loses its middle, where
// model names differ least. When the terminal is too short for every
// provider, the unfinished ones are shown first and one line counts the
// rest. Stop redraws the block a last time, rates over the whole run, and
// leaves it on the screen with the cursor on the line below. While the
// block is live nothing else should write to the terminal: the next frame
// would draw over it.
//
// # Off a terminal
//
// Without TTY (CI, a pipe, a file) nothing at all is written until the first
// tick, Every after Start (default 5s). Then, every Every, one line with the
// totals and, when there are several providers and some are unfinished, one
// line naming those (ids cut to 26 columns, at most 100 columns, "+N more"
// for the rest):
//
//	parity: 38/100 results (38%), 3 errors, 3.8/s, $0.030 spent, ETA 30s
//	parity:   gpt-4o-mini 20/40 (2 errors), deepseek-chat 10/40, +1 more
//
// The one exception to "nothing before the first tick" is Stop: it always
// writes one final line, so a run shorter than Every still leaves its totals
// in the log. Its rate is the average over the whole run:
//
//	parity: 79/96 results (82%), 6 errors, 2.5/s, $0.036 spent, stopped after 31s
//
// ("done in 31s" when every result came). With Options.Quiet nothing is ever
// written, in either mode.
//
// # Rates and ETAs
//
// A rate is the results counted over the recent Window (default 10s), not
// since the start, so it follows a provider that slows down or is throttled.
// Samples are taken at each tick; a rate spans from the newest sample at
// least Window old to now (so between Window and Window plus one tick), or
// from Start while the run is younger than Window. Before one second of
// history there is no rate, shown as "—". A provider's ETA is its remaining
// results over its rate, "—" when that rate is unknown or zero, "done" when
// nothing remains. The run's ETA is the longest provider ETA, since
// providers run side by side; it is "—" if any unfinished provider's is.
//
// Rendering is a pure function of a snapshot, so the tests compare exact
// text with the golden files in testdata/ (go test -update rewrites them).
package progress
