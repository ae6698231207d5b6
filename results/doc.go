// Package results stores the rows of a parity run: one Row per case ×
// provider × repeat, streamed to results.parquet as they arrive (Writer),
// read back a batch at a time (ReadRows), and journaled to journal.jsonl so
// that a run killed at any moment resumes (Journal, ReadJournal, Index).
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
// such check, and started_at when the request was never sent. Each text
// cell keeps at most MaxCellBytes, and truncated says a row's did not
// (see Cap). The file is zstd-compressed with a row group per 10,000 rows
// or RowGroupBytes of text; a writer writes it as
// results.parquet.partial and renames it once its footer is written,
// since a file without a footer is unreadable.
//
// # A history of runs
//
// Publish copies a run's results.parquet into a history, a hive-partitioned
// layout that DuckDB, Spark and lakehouse engines read as one table:
//
//	ROOT/date=YYYY-MM-DD/run_id=ID/results.parquet
//
// The date is the run's start day in UTC (Manifest.Started). run_id is
// also a column of the rows, with the same value: a hive reader takes the
// directory's value over the file's, and infers its type from the
// directory names (BIGINT when every run id is digits), so queries pin it:
//
//	duckdb -c "SELECT date, provider, avg(score) FROM read_parquet('ROOT/*/*/results.parquet', hive_partitioning = true, hive_types = {'date': DATE, 'run_id': VARCHAR}) GROUP BY ALL ORDER BY ALL"
//
// HiveFiles lists a history's files in date and run id order, for parity
// history and parity report.
package results
