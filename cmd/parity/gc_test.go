package main

import (
	"runtime/debug"
	"testing"
)

// TestTuneGC: parity's GC target applies unless GOGC is set, and the
// restore func puts back what was there.
func TestTuneGC(t *testing.T) {
	before := debug.SetGCPercent(100)
	defer debug.SetGCPercent(before)
	none := func(string) (string, bool) { return "", false }
	restore := tuneGC(none)
	if got := debug.SetGCPercent(gcPercent); got != gcPercent {
		t.Errorf("GC percent %d, want %d", got, gcPercent)
	}
	restore()
	if got := debug.SetGCPercent(100); got != 100 {
		t.Errorf("restored GC percent %d, want 100", got)
	}
	set := func(k string) (string, bool) { return "200", k == "GOGC" }
	restore = tuneGC(set)
	if got := debug.SetGCPercent(100); got != 100 {
		t.Errorf("with GOGC set, GC percent %d, want it left at 100", got)
	}
	restore()
}
