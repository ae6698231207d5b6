package main

import (
	"runtime/debug"
	"runtime/metrics"
	"time"
)

// parity's garbage-collection policy, unless GOGC is set. A run's live
// heap is mostly long-lived (the routing evidence, the summary, where
// each case is) and its garbage short-lived per result, so Go's default
// target of 100, a heap twice the live one, is mostly headroom. Below
// gcLiveFloor of live heap that headroom is cheap, at most about 112 MB,
// and the default stays: over 200,000 cases x 2 providers the live heap
// peaks at 37 MB and the run at 105 MB of RSS. Once a run's live heap
// passes it (several hundred thousand distinct cases, whose evidence and
// places take about 100 bytes each), the target drops to gcPercent, so memory
// grows by half the live heap past it, not by all of it, for a few
// percent more CPU.
const (
	gcPercent   = 50
	gcLiveFloor = 56 << 20
	gcEvery     = 250 * time.Millisecond
)

// gcTarget is the target for a live heap of live bytes: gcPercent once
// it passes gcLiveFloor, else Go's default.
func gcTarget(live uint64) int {
	if live > gcLiveFloor {
		return gcPercent
	}
	return 100
}

// tuneGC applies gcTarget to the process's live heap every gcEvery,
// unless GOGC is set; the returned func stops it and restores the target
// there was (for tests that run parity in their process).
func tuneGC(lookupEnv func(string) (string, bool)) (stop func()) {
	if _, set := lookupEnv("GOGC"); set {
		return func() {}
	}
	prev := debug.SetGCPercent(100)
	done, stopped := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(stopped)
		t := time.NewTicker(gcEvery)
		defer t.Stop()
		sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
		current := 100
		for {
			select {
			case <-done:
				return
			case <-t.C:
				metrics.Read(sample)
				if want := gcTarget(sample[0].Value.Uint64()); want != current {
					debug.SetGCPercent(want)
					current = want
				}
			}
		}
	}()
	return func() {
		close(done)
		<-stopped
		debug.SetGCPercent(prev)
	}
}
