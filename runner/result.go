package runner

import (
	"time"

	"github.com/parity-eval/parity/suites"
)

// ErrorClass names why a request produced no usable answer: empty on
// success, else one of the Class* constants below, each with what it
// means. Retryable says which are worth sending again.
type ErrorClass string

// Error classes recorded on failed results.
const (
	ClassTimeout     ErrorClass = "timeout"      // the request or the run deadline passed
	ClassRateLimit   ErrorClass = "rate_limit"   // HTTP 429
	ClassServer      ErrorClass = "server_error" // HTTP 5xx
	ClassBadRequest  ErrorClass = "bad_request"  // HTTP 400, 422
	ClassAuth        ErrorClass = "auth"         // HTTP 401, 403
	ClassNotFound    ErrorClass = "not_found"    // HTTP 404: unknown model or endpoint
	ClassConnection  ErrorClass = "connection"   // refused, reset, DNS
	ClassMalformed   ErrorClass = "malformed"    // a body that is not the API's JSON, or a truncated stream
	ClassEmpty       ErrorClass = "empty"        // a well-formed answer with no content
	ClassCanceled    ErrorClass = "canceled"     // the run was interrupted
	ClassUnsupported ErrorClass = "unsupported"  // the provider lacks a capability the suite needs
	ClassSkipped     ErrorClass = "skipped"      // not sent: the provider is down (circuit breaker)
	ClassTooLong     ErrorClass = "too_long"     // HTTP 400 context_length_exceeded: the prompt is over the model's context
	ClassTooLarge    ErrorClass = "too_large"    // the answer passed limits.max_response_bytes; the rest was not read
)

// ClassProviderError is a 200 that is no answer: an error body, or a page
// that is neither JSON nor an event stream (HTML). The provider's message
// is kept.
const ClassProviderError ErrorClass = "provider_error"

// ErrorClasses lists every error class, in the order of the Class*
// constants.
var ErrorClasses = []ErrorClass{ClassTimeout, ClassRateLimit, ClassServer, ClassBadRequest, ClassAuth, ClassNotFound,
	ClassConnection, ClassMalformed, ClassEmpty, ClassCanceled, ClassUnsupported, ClassSkipped, ClassTooLong, ClassTooLarge, ClassProviderError}

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
	ErrorClass ErrorClass
	// Error is the provider's error message, without credentials.
	Error string

	Started time.Time
	// Latency is from sending the request to the last byte of the answer.
	Latency time.Duration
	// TTFT is the time to the first streamed content token.
	TTFT time.Duration

	InputTokens  int
	OutputTokens int
	// UsageEstimated is true when the provider's usage was not believable
	// (see Believable): the tokens and the cost are then the request's
	// estimate, not what the provider reported.
	UsageEstimated bool
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
