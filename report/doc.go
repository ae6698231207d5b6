// Package report writes the outputs of a parity run, streaming: every
// writer accumulates as scored rows arrive (Add) and renders at Close, in
// memory that grows with the number of suites, providers and tags but
// never with the number of rows.
//
// A Writer fans each row out to four outputs in one directory:
//
//	results.parquet  every row (zstd, a row group per 10,000 rows)
//	summary.json     per provider, suite, suite×provider and tag×provider
//	rules.yaml       suggested routing: per tag a primary and fallbacks
//	report.html      one self-contained page, no scripts, strict CSP
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
// For each tag (a suite without tags counts as "untagged"), among the
// providers that answered at least one of its cases:
//
//   - best: the highest mean score, ties to the cheaper;
//   - primary: the cheapest by mean cost per case whose mean score is
//     within the tolerance of the best;
//   - fallbacks: the others by mean score, then error rate, at most
//     max_fallbacks, never a provider that failed every request; when no
//     provider in the chain is as reliable as the most reliable one, the
//     last fallback is replaced by it.
//
// Each choice carries its evidence (mean score, standard error, cost per
// case, error rate, n) and the rule a one-line reason, with warnings when
// n < 10 or the 95% interval is wider than the tolerance.
//
// # report.html
//
// Every value is escaped by html/template; model outputs, errors and judge
// reasons are never trusted. The drill-down keeps a bounded sample (every
// failing row up to 200 and the first 3 passing rows of each
// suite×provider, texts cut at 4 KB) and prints the DuckDB query that
// lists the rest.
package report
