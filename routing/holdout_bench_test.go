package routing

import (
	"math/rand/v2"
	"syscall"
	"testing"
	"time"
)

// bootstrapCases is the size of BenchmarkHeldOutBootstrap's held-out set:
// a run of 200,000 cases holds half of them out.
const bootstrapCases = 100_000

// syntheticHeld returns n held-out cases of two suites (four in five of
// the first), each of one entry of skewed scores and costs, with halves,
// seeded.
func syntheticHeld(n int, seed uint64) *heldOutCases {
	rng := rand.New(rand.NewPCG(seed, 11))
	var h heldOutCases
	for i := range n {
		q, c := rng.Float64(), rng.ExpFloat64()
		h.add(int32(i), uint32(min(i%5, 1)), &caseSums{n: 1, rulesQ: q * 0.9, rulesC: c * 0.3, bestQ: q, bestC: c,
			baseQ: q, baseC: c, halfN: 5, halfQ: 5 * q * 0.85, halfC: 5 * c * 0.35})
	}
	return &h
}

// BenchmarkHeldOutBootstrap measures the held-out cluster bootstrap
// (heldOutCases.bootstrap, the default 2,000 resamples) over
// bootstrapCases cases: the last thing `parity run` computes. ns/op is
// the time it takes on GOMAXPROCS cores (-cpu), cpu-ns/op the CPU time
// of the process, which other work on the machine moves less.
func BenchmarkHeldOutBootstrap(b *testing.B) {
	h, hs := syntheticHeld(bootstrapCases, 1), DefaultHoldoutSettings()
	start := cpuTime()
	for b.Loop() {
		h.bootstrap(true, hs)
	}
	b.ReportMetric(float64(cpuTime()-start)/float64(b.N), "cpu-ns/op")
}

// cpuTime returns the CPU time the process has used, user and system.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
