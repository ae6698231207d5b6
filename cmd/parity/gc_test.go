package main

import (
	"runtime/debug"
	"testing"
)

// TestGCTarget: Go's default below the floor, parity's target above it.
func TestGCTarget(t *testing.T) {
	t.Parallel()
	for live, want := range map[uint64]int{0: 100, gcLiveFloor: 100, gcLiveFloor + 1: gcPercent, 1 << 30: gcPercent} {
		if got := gcTarget(live); got != want {
			t.Errorf("gcTarget(%d) = %d, want %d", live, got, want)
		}
	}
}

// TestTuneGC: with GOGC set the target is left alone; otherwise stopping
// the tuner puts back the target there was.
func TestTuneGC(t *testing.T) {
	before := debug.SetGCPercent(80)
	defer debug.SetGCPercent(before)
	set := func(k string) (string, bool) { return "200", k == "GOGC" }
	stop := tuneGC(set)
	if got := debug.SetGCPercent(80); got != 80 {
		t.Errorf("with GOGC set, the target became %d", got)
	}
	stop()
	none := func(string) (string, bool) { return "", false }
	stop = tuneGC(none)
	if got := debug.SetGCPercent(100); got != 100 {
		t.Errorf("the tuner starts at %d, want Go's default 100", got)
	}
	stop()
	if got := debug.SetGCPercent(80); got != 80 {
		t.Errorf("stopped, the target is %d, want the 80 there was", got)
	}
}
