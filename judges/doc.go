// Package judges scores every output with the checks its suite declares:
// cheap exact checks (contains, equals, regex), JSON-schema validity,
// embedding cosine similarity against a reference or the baseline
// provider's output, and a judge model with a rubric.
//
// A check that cannot run (the embedder is down, the judge answers prose)
// is recorded on the row with its error; it never aborts a run.
package judges
