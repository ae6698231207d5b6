package report

import (
	"cmp"
	"maps"
	"slices"

	"github.com/parity-eval/parity/runner"
)

// maxErrorExample bounds the example message kept per error class and
// provider.
const maxErrorExample = 300

// errorsView is the failed requests grouped by class and provider.
type errorsView struct {
	Providers []provChip
	Rows      []errorsRow
}

// errorsRow is one error class: its count per provider and an example
// message from each provider that had it.
type errorsRow struct {
	Class    runner.ErrorClass
	Hint     string
	Counts   []int64
	Total    int64
	Examples []errorExample
}

// errorExample is the first message of a class from one provider.
type errorExample struct {
	provChip
	Message string
}

// errorHints say what each error class means, one per runner.ErrorClasses.
var errorHints = map[runner.ErrorClass]string{
	runner.ClassTimeout:     "the request or the run deadline passed",
	runner.ClassRateLimit:   "HTTP 429 after every retry",
	runner.ClassServer:      "HTTP 5xx after every retry",
	runner.ClassBadRequest:  "HTTP 400 or 422: the provider refused the request",
	runner.ClassAuth:        "HTTP 401 or 403: check the API key",
	runner.ClassNotFound:    "HTTP 404: unknown model or endpoint",
	runner.ClassConnection:  "refused, reset or DNS failure",
	runner.ClassMalformed:   "an answer that is not the API's JSON, or a truncated stream",
	runner.ClassEmpty:       "a well-formed answer with no content",
	runner.ClassCanceled:    "the run was interrupted",
	runner.ClassUnsupported: "not sent: the provider lacks a capability the suite needs",
	runner.ClassSkipped:     "not sent: the provider was down (circuit breaker)",
	runner.ClassTooLong:     "HTTP 400: the prompt is over the model's context window",
	runner.ClassTooLarge:    "the answer passed limits.max_response_bytes; the rest was not read",

	runner.ClassProviderError: "HTTP 200 that is no answer: an error body, or HTML; the provider's message is kept",
}

// errorTable counts errors by class and provider, the most frequent class
// first.
func (h *HTMLReport) errorTable(provs []ProviderStats) errorsView {
	ids := make([]string, len(provs))
	rows := map[runner.ErrorClass]*errorsRow{}
	for i, p := range provs {
		ids[i] = p.Provider
		for class, n := range p.Errors {
			r := rows[class]
			if r == nil {
				r = &errorsRow{Class: class, Hint: errorHints[class], Counts: make([]int64, len(provs))}
				rows[class] = r
			}
			r.Counts[i] = n
			r.Total += n
			if msg := h.errors[pair{string(class), p.Provider}]; msg != "" {
				r.Examples = append(r.Examples, errorExample{provChip{p.Provider, providerColor(i)}, msg})
			}
		}
	}
	v := errorsView{Providers: provChips(ids)}
	for _, class := range slices.Sorted(maps.Keys(rows)) {
		v.Rows = append(v.Rows, *rows[class])
	}
	slices.SortStableFunc(v.Rows, func(a, b errorsRow) int { return cmp.Compare(b.Total, a.Total) })
	return v
}
