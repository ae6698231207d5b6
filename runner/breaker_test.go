package runner

import (
	"testing"
	"time"
)

// TestBreaker walks a circuit through its states with a fake clock.
func TestBreaker(t *testing.T) {
	t.Parallel()
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	c := newCircuit(Breaker{Threshold: 3, Cooldown: time.Second, MaxProbes: 2})
	expect := func(step string, now time.Time, want int, wantProbe bool) {
		t.Helper()
		got, _, probe := c.acquire(now)
		if got != want || probe != wantProbe {
			t.Fatalf("%s: decision %d probe %v, want %d %v", step, got, probe, want, wantProbe)
		}
	}
	// Two failures and a rate limit: still closed (429 is not an outage).
	c.record(t0, false, ClassServer, "503")
	c.record(t0, false, ClassServer, "503")
	c.record(t0, false, ClassRateLimit, "429")
	expect("below threshold", t0, Send, false)
	// A success resets the count.
	c.record(t0, false, "", "")
	c.record(t0, false, ClassConnection, "refused")
	c.record(t0, false, ClassConnection, "refused")
	expect("reset by success", t0, Send, false)
	c.record(t0, false, ClassConnection, "refused")
	// Third consecutive failure: open for the cooldown.
	got, wait, _ := c.acquire(t0.Add(100 * time.Millisecond))
	if got != Wait || wait != 900*time.Millisecond {
		t.Fatalf("open: decision %d wait %v, want Wait 900ms", got, wait)
	}
	// Cooldown over: one probe, and others wait while it is in flight.
	expect("half-open probe", t0.Add(time.Second), Send, true)
	expect("probe in flight", t0.Add(time.Second), Wait, false)
	// The probe fails: open again for twice as long.
	c.record(t0.Add(time.Second), true, ClassServer, "503")
	expect("reopened", t0.Add(2500*time.Millisecond), Wait, false)
	expect("second probe", t0.Add(3*time.Second), Send, true)
	// An unsent probe is given back.
	c.release(true)
	expect("probe released", t0.Add(3*time.Second), Send, true)
	// The second failed probe: down for good, with the reason.
	c.record(t0.Add(3*time.Second), true, ClassTimeout, "deadline exceeded")
	expect("down", t0.Add(time.Hour), Down, false)
	if class, r := c.reason(); class != ClassSkipped || r != "provider down: the circuit breaker opened after 3 consecutive failures and 2 probes failed; last error: deadline exceeded" {
		t.Errorf("reason: %s", r)
	}
}

// TestBreakerProbeSuccessCloses checks a successful probe closes the circuit.
func TestBreakerProbeSuccessCloses(t *testing.T) {
	t.Parallel()
	t0 := time.Now()
	c := newCircuit(Breaker{Threshold: 1, Cooldown: time.Second, MaxProbes: 3})
	c.record(t0, false, ClassServer, "500")
	if d, _, probe := c.acquire(t0.Add(time.Second)); d != Send || !probe {
		t.Fatal("no probe after the cooldown")
	}
	c.record(t0.Add(time.Second), true, "", "")
	for i := range 3 {
		if d, _, probe := c.acquire(t0.Add(time.Second)); d != Send || probe {
			t.Fatalf("attempt %d after a good probe: decision %d probe %v", i, d, probe)
		}
	}
}

func TestBreakerDisabled(t *testing.T) {
	t.Parallel()
	c := newCircuit(Breaker{})
	for range 100 {
		c.record(time.Now(), false, ClassServer, "500")
	}
	if d, _, _ := c.acquire(time.Now()); d != Send {
		t.Fatal("a zero Threshold must never open")
	}
}

// TestBudget checks reservations count what is in flight and that the
// budget stays shut once exhausted.
func TestBudget(t *testing.T) {
	t.Parallel()
	b := &budget{limit: 1.0}
	for i := range 2 {
		if !b.reserve(0.4) {
			t.Fatalf("reservation %d (%.1f of 1.0) refused", i+1, 0.4*float64(i+1))
		}
	}
	if b.reserve(0.4) {
		t.Fatal("in flight 0.8 + 0.4 passes the limit and must be refused")
	}
	b.settle(0.4, 0.1)
	if b.reserve(0.1) || !b.isExhausted() {
		t.Fatal("an exhausted budget stays shut")
	}
	var none *budget
	if !none.reserve(1e9) || none.isExhausted() {
		t.Fatal("no budget means no limit")
	}
}

// TestBreakerAuth checks a 401 or 403 puts the provider down at once,
// whatever the threshold, and that its rows say auth, not skipped.
func TestBreakerAuth(t *testing.T) {
	t.Parallel()
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name  string
		probe bool // the refused attempt was a half-open probe
	}{
		// A refused ordinary attempt: down before the threshold is reached.
		{"closed", false},
		// A refused probe: down without waiting for MaxProbes.
		{"probe", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := newCircuit(Breaker{Threshold: 5, Cooldown: time.Second, MaxProbes: 3})
			if tt.probe {
				c.record(t0, false, ClassServer, "500")
				c.record(t0, false, ClassServer, "500")
				c.record(t0, false, ClassServer, "500")
				c.record(t0, false, ClassServer, "500")
				c.record(t0, false, ClassServer, "500")
				if d, _, probe := c.acquire(t0.Add(time.Second)); d != Send || !probe {
					t.Fatalf("no probe after the cooldown: decision %d probe %v", d, probe)
				}
			}
			c.record(t0, tt.probe, ClassAuth, "401 Incorrect API key provided.")
			// A later success (a request in flight before the refusal)
			// does not revive it.
			c.record(t0, false, "", "")
			if d, _, _ := c.acquire(t0.Add(time.Hour)); d != Down {
				t.Fatalf("after a 401: decision %d, want Down", d)
			}
			class, msg := c.reason()
			if class != ClassAuth || msg != "not sent: the provider refused the key (HTTP 401/403), so nothing more goes to it in this run; first refusal: 401 Incorrect API key provided." {
				t.Errorf("reason: %s %q", class, msg)
			}
		})
	}
}
