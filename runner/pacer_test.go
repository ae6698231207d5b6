package runner

import (
	"testing"
	"time"

	"github.com/parity-eval/parity/suites"
)

// TestPacerWindow checks the sliding window: never more than rpm sends in
// any window (taken margin long), without a clock.
func TestPacerWindow(t *testing.T) {
	t.Parallel()
	p := newPacer(suites.Limits{RPM: 3}, 3*time.Second) // margin 250ms
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range 3 {
		if d := p.claim(t0.Add(time.Duration(i) * 100 * time.Millisecond)); d != 0 {
			t.Fatalf("send %d refused: wait %v", i, d)
		}
	}
	// The fourth must wait until the first is a window plus the margin old.
	if d := p.claim(t0.Add(300 * time.Millisecond)); d != 2950*time.Millisecond {
		t.Fatalf("fourth send: wait %v, want 2.95s", d)
	}
	if d := p.claim(t0.Add(3250 * time.Millisecond)); d != 0 {
		t.Fatalf("after the window: wait %v", d)
	}
	// The ring moved on: the next oldest is the second send.
	if d := p.claim(t0.Add(3300 * time.Millisecond)); d != 50*time.Millisecond {
		t.Fatalf("sixth send: wait %v, want 50ms", d)
	}
}
