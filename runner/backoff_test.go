package runner

import (
	"net/http"
	"slices"
	"testing"
	"time"

	openai "github.com/sashabaranov/go-openai"
)

func TestBackoffDelay(t *testing.T) {
	t.Parallel()
	b := Backoff{Attempts: 5, Base: 100 * time.Millisecond, Max: time.Second}
	tests := []struct {
		name       string
		attempt    int
		retryAfter time.Duration
		rnd        float64
		want       time.Duration
	}{
		{"first retry, full jitter top", 1, 0, 0.999999, 99999900 * time.Nanosecond},
		{"first retry, jitter zero", 1, 0, 0, 0},
		{"ceiling doubles", 3, 0, 0.5, 200 * time.Millisecond},
		{"ceiling capped at Max", 10, 0, 0.5, 500 * time.Millisecond},
		{"Retry-After wins when longer", 1, 700 * time.Millisecond, 0.5, 700 * time.Millisecond},
		{"Retry-After capped at Max", 1, time.Hour, 0.5, time.Second},
		{"jitter wins when longer than Retry-After", 4, 10 * time.Millisecond, 0.5, 400 * time.Millisecond},
	}
	for _, tt := range tests {
		if got := b.Delay(tt.attempt, tt.retryAfter, tt.rnd); got != tt.want {
			t.Errorf("%s: Delay(%d, %v, %v) = %v, want %v", tt.name, tt.attempt, tt.retryAfter, tt.rnd, got, tt.want)
		}
	}
}

func TestRetryable(t *testing.T) {
	t.Parallel()
	// Only transient failures are retried; every other class, and
	// success, is final.
	retry := map[ErrorClass]bool{ClassRateLimit: true, ClassServer: true, ClassConnection: true, ClassTimeout: true, ClassMalformed: true}
	for _, class := range append(slices.Clone(ErrorClasses), "") {
		if Retryable(class) != retry[class] {
			t.Errorf("Retryable(%q) = %v", class, !retry[class])
		}
	}
}

func TestParseRetryAfter(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for in, want := range map[string]time.Duration{
		"":     0,
		"2":    2 * time.Second,
		"0.5":  500 * time.Millisecond,
		"-1":   0,
		"soon": 0,
		now.Add(3 * time.Second).Format(http.TimeFormat): 3 * time.Second,
		now.Add(-time.Second).Format(http.TimeFormat):    0,
	} {
		if got := parseRetryAfter(in, now); got != want {
			t.Errorf("parseRetryAfter(%q) = %v, want %v", in, got, want)
		}
	}
}

// TestClassifyBadRequests checks a refused feature and an over-long prompt
// are told from other bad requests.
func TestClassifyBadRequests(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		code any
		msg  string
		want ErrorClass
	}{
		{"unsupported_content", "Invalid content type. image_url is only supported by certain models.", ClassUnsupported},
		{nil, "This model does not support tools", ClassUnsupported},
		{"context_length_exceeded", "This model's maximum context length is 16385 tokens.", ClassTooLong},
		{"invalid_value", "temperature must be at most 2", ClassBadRequest},
	} {
		err := &openai.APIError{HTTPStatusCode: 400, Code: tt.code, Message: tt.msg}
		if got, _ := Classify(err); got != tt.want {
			t.Errorf("%v %q: class %q, want %q", tt.code, tt.msg, got, tt.want)
		}
	}
}
