package runner

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"syscall"

	openai "github.com/sashabaranov/go-openai"
)

// Classify names the class of a provider error (one of the Class*
// constants) and returns a message fit for a report. It knows go-openai's
// *openai.APIError and *openai.RequestError and plain network errors,
// which go-openai passes through unwrapped.
func Classify(err error) (class ErrorClass, message string) {
	if err == nil {
		return "", ""
	}
	message = err.Error()
	if big := (*TooLargeError)(nil); errors.As(err, &big) {
		return ClassTooLarge, message
	}
	var (
		apiErr *openai.APIError
		reqErr *openai.RequestError
		mal    *malformedError
		perr   *providerError
		netErr net.Error
	)
	switch {
	case errors.As(err, &perr):
		return ClassProviderError, message
	case errors.As(err, &apiErr) && apiErr.HTTPStatusCode < 300:
		// An error event inside a 200 stream.
		return ClassProviderError, message
	case errors.As(err, &apiErr):
		if apiErr.HTTPStatusCode == 400 || apiErr.HTTPStatusCode == 422 {
			if c := badRequestClass(apiErr); c != "" {
				return c, message
			}
		}
		return statusClass(apiErr.HTTPStatusCode), message
	case errors.As(err, &reqErr):
		if reqErr.HTTPStatusCode >= 200 && reqErr.HTTPStatusCode < 300 {
			return ClassMalformed, message
		}
		return statusClass(reqErr.HTTPStatusCode), message
	case errors.Is(err, context.Canceled):
		return ClassCanceled, message
	case errors.Is(err, context.DeadlineExceeded):
		return ClassTimeout, message
	case errors.As(err, &mal), errors.Is(err, openai.ErrTooManyEmptyStreamMessages):
		return ClassMalformed, message
	case errors.As(err, &netErr) && netErr.Timeout():
		return ClassTimeout, message
	case errors.Is(err, syscall.ECONNREFUSED), errors.Is(err, syscall.ECONNRESET),
		errors.Is(err, syscall.EPIPE), isDNS(err):
		return ClassConnection, message
	case strings.Contains(message, "unexpected EOF"), strings.Contains(message, "invalid character"),
		strings.Contains(message, "unexpected end of JSON"):
		return ClassMalformed, message
	}
	// What is left is a transport failure go-openai passed through.
	return ClassConnection, message
}

// badRequestClass tells a refused feature or an over-long prompt from any
// other bad request, by the error's code and message: a provider that
// cannot see images answers 400, and that is "unsupported", not bad
// quality, nor a bug in the suite.
func badRequestClass(e *openai.APIError) ErrorClass {
	text := strings.ToLower(fmt.Sprint(e.Code) + " " + e.Message)
	switch {
	case strings.Contains(text, "context_length") || strings.Contains(text, "context length") ||
		strings.Contains(text, "maximum context") || strings.Contains(text, "too many tokens"):
		return ClassTooLong
	case strings.Contains(text, "unsupported") || strings.Contains(text, "not supported") ||
		strings.Contains(text, "does not support") || strings.Contains(text, "only supported by"):
		return ClassUnsupported
	}
	return ""
}

func isDNS(err error) bool {
	var dnsErr *net.DNSError
	return errors.As(err, &dnsErr)
}

func statusClass(code int) ErrorClass {
	switch {
	case code == 429:
		return ClassRateLimit
	case code == 401 || code == 403:
		return ClassAuth
	case code == 404:
		return ClassNotFound
	case code == 408:
		return ClassTimeout
	case code >= 500:
		return ClassServer
	case code >= 400:
		return ClassBadRequest
	}
	return ClassMalformed
}
