package main

import "runtime/debug"

// gcPercent is parity's garbage-collection target (GOGC) unless the
// environment sets one. A run's live heap is mostly long-lived (the
// cases, the routing evidence, the summary) and its garbage short-lived
// per result, so Go's default of 100, a heap twice the live one, is
// mostly headroom: at 50 a run of 200,000 distinct results peaks at
// 131-135 MB of RSS instead of 175-186 MB, for about 3% more CPU
// (BenchmarkSlowRunRSS, BenchmarkRunThroughput).
const gcPercent = 50

// tuneGC sets gcPercent unless GOGC is set; it returns a func restoring
// the previous setting (for tests that run parity in their process).
func tuneGC(lookupEnv func(string) (string, bool)) (restore func()) {
	if _, set := lookupEnv("GOGC"); set {
		return func() {}
	}
	prev := debug.SetGCPercent(gcPercent)
	return func() { debug.SetGCPercent(prev) }
}
