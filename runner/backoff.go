package runner

import "time"

// Backoff is the retry policy for transient failures: exponential backoff
// with full jitter, bounded attempts, and the provider's Retry-After
// honoured when it asks for longer. It is pure: Delay takes the random
// draw as an argument, so it is tested without a clock.
type Backoff struct {
	// Attempts is the most requests sent for one result (1 = no retry).
	Attempts int
	// Base is the first backoff ceiling; it doubles with every attempt.
	Base time.Duration
	// Max caps the ceiling and any Retry-After.
	Max time.Duration
}

// DefaultBackoff retries twice, waiting up to 0.5s then 1s, and honours a
// Retry-After of up to a minute.
var DefaultBackoff = Backoff{Attempts: 3, Base: 500 * time.Millisecond, Max: time.Minute}

// Retryable reports whether a failure of this class may succeed if sent
// again. Client errors (400, 401, 403, 404) never do.
func Retryable(class ErrorClass) bool {
	switch class {
	case ClassRateLimit, ClassServer, ClassConnection, ClassMalformed, ClassTimeout:
		return true
	}
	return false
}

// Delay returns how long to wait before attempt+1, after attempt (1-based)
// failed. rnd is a uniform draw in [0,1); retryAfter is what the provider
// asked for (0 when it did not).
func (b Backoff) Delay(attempt int, retryAfter time.Duration, rnd float64) time.Duration {
	ceiling := b.Base
	for i := 1; i < attempt && ceiling < b.Max; i++ {
		ceiling *= 2
	}
	ceiling = min(ceiling, b.Max)
	d := time.Duration(rnd * float64(ceiling))
	if retryAfter > d {
		d = min(retryAfter, b.Max)
	}
	return d
}
