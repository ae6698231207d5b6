package runner

import (
	"testing"
	"time"

	"github.com/parity-eval/parity/suites"
)

// TestPacerWindow checks the sliding window without a clock: never more
// than rpm requests in any window (taken margin long), each counted from
// when its answer began, the latest the provider can have received it.
func TestPacerWindow(t *testing.T) {
	t.Parallel()
	p := newPacer(suites.Limits{RPM: 3}, 3*time.Second) // margin 50ms
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	at := func(ms int) time.Time { return t0.Add(time.Duration(ms) * time.Millisecond) }
	claim := func(ms int, want time.Duration) int {
		t.Helper()
		slot, d := p.claim(at(ms))
		if d != want || (d == 0) != (slot != noSlot) {
			t.Fatalf("claim at %dms: slot %d, wait %v; want wait %v", ms, slot, d, want)
		}
		return slot
	}
	first, second, third := claim(0, 0), claim(100, 0), claim(200, 0)
	// The first's answer began at 500ms: it may have reached the provider
	// as late as that, so its slot is free a window and the margin later.
	p.sent(first, at(500))
	claim(300, 3250*time.Millisecond)
	// An answer that began before its claim (a clock read early) keeps
	// the claim's stamp.
	p.sent(second, at(50))
	claim(3550, 0)
	claim(3560, 0) // the second's slot: free since 3150ms
	// The third is still in flight: when it reached the provider is not
	// known yet, so its slot stays taken, however old its claim.
	claim(3570, 50*time.Millisecond)
	p.sent(third, at(3600))
	claim(3610, 3040*time.Millisecond)
	claim(6650, 0)
}

// TestPacerUnlimited: without an rpm limit there is no slot to release.
func TestPacerUnlimited(t *testing.T) {
	t.Parallel()
	p := newPacer(suites.Limits{}, time.Minute)
	slot, err := p.wait(t.Context(), 100)
	if err != nil || slot != noSlot {
		t.Fatalf("slot %d, err %v", slot, err)
	}
	p.sent(slot, time.Now()) // a no-op, not a panic
}
