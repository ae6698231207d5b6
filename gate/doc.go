// Package gate decides whether a candidate provider is at parity with a
// pinned baseline, from the rows of a run (or of two runs), and says why.
//
// A Gate pairs the two providers' rows by suite, case and repeat (Add),
// then Result judges every suite with its checks:
//
//	coverage     enough paired cases, none missing on either side
//	score        non-inferiority: the lower bound of the interval on
//	             candidate - baseline above -Options.Margin, the suites'
//	             tests Holm-adjusted so the family-wise level is Alpha
//	cost         the rise in cost per case within MaxCostIncrease
//	p95_latency  the rise in p95 latency within MaxP95Increase
//	error_rate   the rise in the error rate within MaxErrorIncrease
//
// and gives a verdict per suite, per tag and overall, with the minimum
// detectable effect and the cases a decision would need. A Result renders
// as text, Markdown, JSON (read back by the routing rules' canary) and
// JUnit (WriteFormat); Read runs a gate over results files in one call.
//
// The same statistics serve two other comparisons: Diff, one provider's
// drift on each suite between two runs, and ReadHistory, a provider's
// metrics over many runs with the changes that exceed a threshold.
package gate
