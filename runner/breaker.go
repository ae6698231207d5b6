package runner

import (
	"fmt"
	"sync"
	"time"
)

// Breaker is a provider's circuit breaker. After Threshold consecutive
// failed attempts it opens: nothing is sent for Cooldown. Then it lets one
// probe through (half-open): a success closes it, a failure opens it again
// for twice as long. After MaxProbes failed probes in a row the provider
// is down for the rest of the run and its remaining work is skipped.
//
// An auth failure (HTTP 401 or 403) is different: a wrong or revoked key
// does not heal within a run, so the first one puts the provider down at
// once, without a cooldown or a probe, and its remaining work is not sent
// (rows of the class auth, the provider's message kept). So a provider
// with a bad key gets at most as many requests as may be in flight at
// once, min(its limits.concurrency, the run's concurrency): those sent
// before the first refusal came back.
//
// Breaker is the policy only: the caller passes the time, so it is tested
// without a clock. A zero Threshold disables it.
type Breaker struct {
	Threshold int
	Cooldown  time.Duration
	MaxProbes int
}

// DefaultBreaker opens after 5 consecutive failures, waits 5s (then 10s,
// 20s) between probes, and gives a provider up after 3 failed probes.
var DefaultBreaker = Breaker{Threshold: 5, Cooldown: 5 * time.Second, MaxProbes: 3}

// Breaker decisions.
const (
	// Send: go ahead. The attempt is a probe when the breaker is half-open.
	Send = iota
	// Wait: the breaker is open or a probe is in flight; ask again later.
	Wait
	// Down: the provider failed its probes; send nothing more.
	Down
)

// circuit is one provider's breaker state.
type circuit struct {
	policy Breaker

	mu        sync.Mutex
	failures  int       // consecutive failed attempts while closed
	openUntil time.Time // zero while closed
	probing   bool      // a probe is in flight
	probes    int       // consecutive failed probes
	down      bool
	// downClass is the class of the remaining rows once down: ClassAuth
	// after an auth failure, else ClassSkipped.
	downClass ErrorClass
	lastError string
}

func newCircuit(b Breaker) *circuit { return &circuit{policy: b} }

// acquire says whether an attempt may go out at now, and if it must wait,
// for how long.
func (c *circuit) acquire(now time.Time) (decision int, wait time.Duration, probe bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	switch {
	case c.down:
		return Down, 0, false
	case c.openUntil.IsZero():
		return Send, 0, false
	case now.Before(c.openUntil):
		return Wait, c.openUntil.Sub(now), false
	case c.probing:
		return Wait, min(c.policy.Cooldown/4, time.Second) + time.Millisecond, false
	}
	c.probing = true
	return Send, 0, true
}

// record reports how an attempt ended. Only failures that say the provider
// is unwell count (server errors, timeouts, connection and malformed
// answers); a client error or a rate limit is not an outage. An auth
// failure puts the provider down at once.
func (c *circuit) record(now time.Time, probe bool, class ErrorClass, msg string) {
	if c.policy.Threshold <= 0 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if probe {
		c.probing = false
	}
	if class == ClassAuth {
		if !c.down {
			c.down, c.downClass, c.lastError = true, ClassAuth, msg
		}
		return
	}
	if !outage(class) {
		if class == "" || probe {
			c.failures, c.probes, c.openUntil = 0, 0, time.Time{}
		}
		return
	}
	c.lastError = msg
	if probe {
		c.probes++
		if c.probes >= c.policy.MaxProbes {
			c.down, c.downClass = true, ClassSkipped
			return
		}
		c.openUntil = now.Add(c.policy.Cooldown << c.probes)
		return
	}
	c.failures++
	if c.failures >= c.policy.Threshold && c.openUntil.IsZero() {
		c.openUntil = now.Add(c.policy.Cooldown)
	}
}

// release gives back an acquired attempt that was not sent.
func (c *circuit) release(probe bool) {
	if probe {
		c.mu.Lock()
		c.probing = false
		c.mu.Unlock()
	}
}

// reason is the class of a down provider's remaining rows and why it is
// down.
func (c *circuit) reason() (ErrorClass, string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.downClass == ClassAuth {
		return ClassAuth, "not sent: the provider refused the key (HTTP 401/403), so nothing more goes to it in this run; first refusal: " + c.lastError
	}
	return ClassSkipped, fmt.Sprintf("provider down: the circuit breaker opened after %d consecutive failures and %d probes failed; last error: %s",
		c.policy.Threshold, c.policy.MaxProbes, c.lastError)
}

func outage(class ErrorClass) bool {
	switch class {
	case ClassServer, ClassTimeout, ClassConnection, ClassMalformed:
		return true
	}
	return false
}
