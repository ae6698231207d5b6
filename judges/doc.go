// Package judges scores every output with the checks its suite declares:
// cheap exact checks (contains, equals, regex), JSON-schema validity,
// embedding cosine similarity against a reference or the baseline
// provider's output, and a judge model with a rubric.
//
// A check that cannot run (the embedder is down, the judge answers prose)
// is recorded on the row with its error; it never aborts a run.
//
// # Checks
//
// Each check type is a Judge (Contains, Equals, Regex, JSONSchema,
// Similarity, Rubric); New picks the one a suites.Check declares. Every
// check scores in [0,1]: exact checks and json_schema 1 or 0, similarity
// the cosine clamped to [0,1], the judge (s-1)/9 of its 1-10. A row's
// Score is the weighted mean of its checks; it passes when the request
// succeeded, every check passed and Score reached the suite's pass_score.
// A failed request scores 0, fails, and costs no scoring call.
//
// # Scoring a run
//
// Scorer.Run reads results, scores them on a bounded pool and sends each
// exactly once, in no particular order. A panic in a check is recorded as
// that check's error.
//
// Results of a suite with a similarity check against the baseline wait
// until the baseline provider's result for the same suite, case and repeat
// arrives (results come in any order). The baseline's own row is compared
// with itself: it scores 1 on that check, saying so in Detail. If the
// baseline failed, or never came before the input closed, the check records
// "baseline has no output". A key is forgotten once every configured
// provider's result for it was sent to scoring, so memory follows how far
// providers lag behind one another, not the size of the run.
//
// Embeddings are cached by text for the run, bounded (least recently used
// dropped), so a reference shared by every provider and repeat, or the
// baseline's output, is embedded and paid for once; a row embeds its
// output and what it is compared with in one call. What the embedder and
// the judge cost is on each row's ScoringCostUSD, charged to the row whose
// call was billed.
package judges
