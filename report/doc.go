// Package report writes the outputs of a parity run, streaming: every
// writer accumulates as scored rows arrive (Add) and renders at Close, in
// memory that grows with the number of suites, providers and tags but
// never with the number of rows.
//
// A Writer fans each row out to four outputs in one directory:
//
//	results.parquet  every row (zstd, a row group per 10,000 rows)
//	summary.json     per provider, suite, suite×provider and tag×provider
//	rules.yaml       suggested routing: per tag and tier a primary and fallbacks
//	report.html      one self-contained page: SVG charts, strict CSP
//
// # results.parquet
//
// One row per case × provider × repeat (see Row). Lists, maps and optional
// columns use the Parquet logical types (LIST, MAP, nullable), which
// DuckDB and pyarrow read natively:
//
//	duckdb -c "SELECT provider, avg(score), sum(cost_usd) FROM 'results.parquet' GROUP BY ALL"
//	duckdb -c "SELECT case_id, output, metadata['customer'] FROM 'results.parquet' WHERE NOT pass"
//	duckdb -c "SELECT c.name, avg(c.score) FROM (SELECT unnest(from_json(checks, '[{\"name\":\"VARCHAR\",\"score\":\"DOUBLE\"}]')) AS c FROM 'results.parquet') GROUP BY ALL"
//
// The checks column is a JSON array of judges.CheckScore in a string;
// similarity, json_valid and judge_score are null when the suite has no
// such check, and started_at when the request was never sent. The file is
// written as results.parquet.partial and renamed when its footer is
// written: a file without a footer is unreadable.
//
// # Statistics
//
// Mean scores count failed requests as 0. The standard error is
// sqrt(Var/n) over rows (Welford's algorithm; repeats are counted as
// independent rows, which understates it when repeats agree). Cost per
// case is the provider cost of a row averaged over every row. Latency and
// time-to-first-token percentiles come from HDR histograms (microsecond
// resolution, three significant figures) over successful requests.
//
// # Routing rules
//
// Rules are chosen per tag and capacity tier (a suite without tags counts
// as "untagged"; a rule outside the default tier is named tag@tier) from
// every case × provider × repeat (Evidence), among the providers that may
// serve it: none lacking a capability its suites need (their rows are
// "unsupported", or the config says so), none that failed every request.
// Quality is the lower bound of the 95% interval of the mean score
// (Student's t, standard error clustered by case, so repeats count once
// per case):
//
//   - best: the highest lower bound, ties to the higher mean, then cheaper;
//   - primary: the cheapest whose lower bound is within the tolerance of
//     the best's and that is non-inferior to the best on paired cases
//     (rows paired by suite, case and repeat; the lower bound of the
//     interval on primary - best at least -tolerance);
//   - fallbacks: the others by quality then error rate, at most
//     max_fallbacks, ending on the most reliable (fewest errors);
//   - split: when two or more are eligible for primary, 80% to the primary
//     and 20% to the most reliable other one, with the mix's expected
//     score, cost and error rate;
//   - canary: with a gate result, a share (5%) of each rule whose tag the
//     candidate passed, none where it failed.
//
// The method is proven on held-out cases (Holdout: seeded splits within
// each rule, cross-validated under 20 cases; quality kept and cost saved
// against the best and the baseline, RouteLLM's PGR and APGR, FrugalGPT's
// cost to match the best, the curve over tolerances) and costed a month at
// 5M to 5B requests or tokens (Projections). Rules export to LiteLLM and
// Portkey configs (Rules.Write).
//
// # report.html
//
// One file that opens from disk: a headline (with the gate's verdict when
// Writer.SetGate gave one), a leaderboard per metric, cost against quality
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
