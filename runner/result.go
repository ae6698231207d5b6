package runner

import (
	"time"

	"github.com/parity-eval/parity/suites"
)

// Error classes recorded on failed results.
const (
	ClassTimeout     = "timeout"      // the request or the run deadline passed
	ClassRateLimit   = "rate_limit"   // HTTP 429
	ClassServer      = "server_error" // HTTP 5xx
	ClassBadRequest  = "bad_request"  // HTTP 400, 422
	ClassAuth        = "auth"         // HTTP 401, 403
	ClassNotFound    = "not_found"    // HTTP 404: unknown model or endpoint
	ClassConnection  = "connection"   // refused, reset, DNS
	ClassMalformed   = "malformed"    // a body that is not the API's JSON, or a truncated stream
	ClassEmpty       = "empty"        // a well-formed answer with no content
	ClassCanceled    = "canceled"     // the run was interrupted
	ClassUnsupported = "unsupported"  // the provider lacks a capability the suite needs
	ClassSkipped     = "skipped"      // not sent: the provider is down (circuit breaker)
	ClassTooLong     = "too_long"     // HTTP 400 context_length_exceeded: the prompt is over the model's context
)

// Result is the outcome of one request: one case, one provider, one repeat.
// A failed request is a Result with ErrorClass set, never a returned error.
type Result struct {
	RunID    string
	Suite    *suites.Suite
	Case     *suites.Case
	Provider *suites.Provider
	// Repeat counts from 0 to the run's repeat count - 1.
	Repeat int

	// Output is the model's text answer.
	Output       string
	FinishReason string
	// ToolCalls are the functions the model called.
	ToolCalls []ToolCall
	// Image is an image suite's answer, as a data: URL.
	Image string

	// ErrorClass is one of the Class* constants; empty on success.
	ErrorClass string
	// Error is the provider's error message, without credentials.
	Error string

	Started time.Time
	// Latency is from sending the request to the last byte of the answer.
	Latency time.Duration
	// TTFT is the time to the first streamed content token.
	TTFT time.Duration

	InputTokens  int
	OutputTokens int
	// CostUSD is the tokens priced with the provider's price table.
	CostUSD float64
	// Attempts counts the requests sent for this result, retries included.
	Attempts int
	// Cached is true when the answer came from the response cache: nothing
	// was sent, and Latency and TTFT are those of the original request.
	Cached bool
}

// Failed reports whether the request produced no usable answer.
func (r *Result) Failed() bool { return r.ErrorClass != "" }
