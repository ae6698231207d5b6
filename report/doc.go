// Package report writes the outputs of a parity run, streaming: every
// writer accumulates as scored rows arrive (Add) and renders at Close, in
// memory that grows with the number of suites, providers and tags but
// never with the number of rows.
//
// A Writer fans each row out to the accumulators of the packages that own
// each concept and writes four outputs in one directory:
//
//	results.parquet  every row (results.Writer), and the journal (results.Journal)
//	summary.json     per provider, suite, suite×provider and tag×provider (Summary)
//	rules.yaml       suggested routing from routing.Evidence (routing.Build)
//	report.html      one self-contained page: SVG charts, strict CSP (HTMLReport)
//
// With a gate's options (WithGate) it also gates the run's candidate on
// the finished results.parquet (gate.Read) and shows the verdict.
//
// # Statistics
//
// Mean scores count failed requests as 0. The standard error is
// sqrt(Var/n) over rows (stats.Welford; repeats are counted as
// independent rows, which understates it when repeats agree). Cost per
// case is the provider cost of a row averaged over every row. Latency and
// time-to-first-token percentiles come from HDR histograms (stats.Latency)
// over successful requests.
//
// # report.html
//
// One file that opens from disk: a headline (with the gate's verdict when
// Writer.SetGate gave one, and a warning for every provider of the run
// the config gives no price, as in summary.json's warnings), a leaderboard per metric, cost against quality
// per tag with the Pareto frontier and the suggested route, latency
// distributions, a suite×provider heatmap, the capability matrix, the
// rules with their held-out figures and cost projections, errors by class
// and provider, and a drill-down of cases. Charts are SVG drawn from
// numbers; the only stylesheet and script are embedded in the binary and
// allowed by their SHA-256 hashes in a Content Security Policy that loads
// nothing else. Every text is escaped by html/template; model outputs,
// errors and judge reasons are never trusted and never reach a script.
//
// The aggregates cover every row. The drill-down keeps at most 200 cases,
// those with a failing row first, and 3 more cases per suite whatever
// their outcome, both chosen by a fixed hash of (suite, case, repeat) so
// that the choice does not depend on arrival order; texts are cut at 4 KB,
// and the page prints the DuckDB query that lists the rest. A run of a
// million rows gives a report of about 2 MB.
package report
