// Package stats holds the statistics parity's verdicts rest on, each a
// small function or accumulator with no knowledge of rows, files or
// providers:
//
//	Welford             a mean and variance in one pass, constant memory
//	Latency             an HDR histogram of durations (µs resolution, three
//	                    significant figures, about 190 KB whatever the count)
//	ClusteredMean       a mean with its cluster-robust standard error: a
//	                    case's repeats count once (Miller, arXiv:2411.00640)
//	Settings.Paired     a paired comparison of two sides on the cases both
//	                    answered: Student's t over the clustered standard
//	                    error, or a cluster bootstrap for scores that take
//	                    few values; the ratio of means by the delta method
//	Settings.Welch      Welch's unequal-variance t for unpaired samples
//	Holm, HolmAdjust    Holm's step-down adjustment across a family of tests
//	MinDetectableEffect the effect a test of n cases detects at a power
//	CasesNeeded         the cases a given effect needs
//	HolmAllPass,        planning a gate of m suites: the chance Holm passes
//	HolmNoncentrality   all of them, and the noncentrality that gives a
//	PlanCases, PlanMDE  power; the cases and the MDE at it
//	Betting             an anytime-valid test and confidence bound for a
//	                    mean in [0,1], by betting (Waudby-Smith & Ramdas)
//	RatioBounds,        one-sided bounds for the gate's guard checks: a
//	DiffBounds,         ratio of sums, a difference of rates, a ratio of
//	QuantileRatioBounds quantiles (an exact bootstrap of order statistics)
//
// Settings carries the level, the bootstrap's resamples and seed and the
// other choices every comparison makes; DefaultSettings holds the
// defaults, each justified by simulation in the gate's tests. Undefined
// results are NaN rather than errors: an interval over one case, a ratio
// over a zero mean.
package stats
