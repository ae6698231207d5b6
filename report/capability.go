package report

import (
	"fmt"
	"slices"
	"strconv"

	"github.com/parity-eval/parity/results"

	"github.com/parity-eval/parity/judges"
	"github.com/parity-eval/parity/runner"
	"github.com/parity-eval/parity/suites"
)

// Capability statuses, from what a provider's answers showed.
const (
	CapWorks       = "works"       // answered, and most answers passed their checks
	CapPoor        = "poor"        // answered, but most answers failed their checks
	CapUnsupported = "unsupported" // refused the feature (HTTP 400 naming it, or not declared)
	CapFails       = "fails"       // requests failed for other reasons
	CapUntested    = "untested"    // no suite exercised it on this provider
)

// Capability is what one provider showed of one capability, over the rows
// of the suites that exercise it (suites.Suite.Exercises).
type Capability struct {
	Status string `json:"status"`
	// N rows; OK answered; Pass passed every check.
	N    int64 `json:"n"`
	OK   int64 `json:"ok"`
	Pass int64 `json:"pass"`
	// Unsupported and TooLong count the refusals; Errors every failure.
	Unsupported int64   `json:"unsupported"`
	TooLong     int64   `json:"too_long"`
	Errors      int64   `json:"errors"`
	MeanScore   float64 `json:"mean_score"`
	// Detail says how it failed: the first refusal's or error's message.
	Detail string `json:"detail,omitempty"`
	// MaxContextTokens is, for long_context, the largest prompt size (in
	// tokens) answered right; SmallestFailedTokens the smallest that was
	// not, 0 when none failed.
	MaxContextTokens     int `json:"max_context_tokens,omitempty"`
	SmallestFailedTokens int `json:"smallest_failed_tokens,omitempty"`
	// TokensPerSecond is, for streaming, the answers' output tokens over
	// their streaming time (from the first token to the last); Streamed
	// counts the answers that streamed a first token.
	TokensPerSecond float64 `json:"tokens_per_second,omitempty"`
	Streamed        int64   `json:"streamed,omitempty"`
	// Native and Extracted count, for json_schema and json_object, the
	// answers whose JSON came bare and those it was dug out of prose.
	Native    int64 `json:"native,omitempty"`
	Extracted int64 `json:"extracted,omitempty"`
	// WrongTool, InvalidArgs and WrongArgs count, for tools, the answers
	// that called the wrong tool (or none), those whose arguments did not
	// parse or fit the schema, and those with wrong values.
	WrongTool   int64 `json:"wrong_tool,omitempty"`
	InvalidArgs int64 `json:"invalid_args,omitempty"`
	WrongArgs   int64 `json:"wrong_args,omitempty"`
}

// capAggregate accumulates one provider×capability cell.
type capAggregate struct {
	c        Capability
	score    float64
	streamed float64 // seconds from first to last token
	outToks  int64
}

func (a *capAggregate) add(capability suites.Capability, s *judges.Scored) {
	r := s.Result
	a.c.N++
	a.score += s.Score
	if s.Pass {
		a.c.Pass++
	}
	switch {
	case r.ErrorClass == runner.ClassUnsupported:
		a.c.Unsupported++
		a.c.Errors++
		a.firstDetail("", r.Error)
	case r.ErrorClass == runner.ClassTooLong:
		a.c.TooLong++
		a.c.Errors++
		a.firstDetail("", r.Error)
	case r.Failed():
		a.c.Errors++
		a.firstDetail(r.ErrorClass, r.Error)
	default:
		a.c.OK++
	}
	switch capability {
	case suites.CapLongContext:
		a.contextSize(s)
	case suites.CapStreaming:
		if !r.Failed() && r.TTFT > 0 {
			a.c.Streamed++
		}
		if !r.Failed() && r.TTFT > 0 && r.Latency > r.TTFT && r.OutputTokens > 0 {
			a.streamed += (r.Latency - r.TTFT).Seconds()
			a.outToks += int64(r.OutputTokens)
		}
	case suites.CapTools:
		switch {
		case s.ToolRight == nil:
		case !*s.ToolRight:
			a.c.WrongTool++
		case !*s.ArgsValid:
			a.c.InvalidArgs++
		case !*s.ArgsRight:
			a.c.WrongArgs++
		}
	case suites.CapJSONSchema, suites.CapJSONObject:
		if n := s.JSONNative; n != nil && *n {
			a.c.Native++
		} else if n != nil {
			a.c.Extracted++
		}
	}
}

// firstDetail keeps the first failure's message, after its class when
// one is given; the text is built only for that first one.
func (a *capAggregate) firstDetail(class runner.ErrorClass, msg string) {
	switch {
	case a.c.Detail != "":
	case class != "":
		a.c.Detail = truncateTo(string(class)+": "+msg, 200)
	default:
		a.c.Detail = truncateTo(msg, 200)
	}
}

// contextSize tracks the largest prompt answered right and the smallest
// that was not.
func (a *capAggregate) contextSize(s *judges.Scored) {
	n, err := strconv.Atoi(s.Result.Case.Metadata[suites.ContextTokensKey])
	if err != nil {
		return
	}
	if s.Pass {
		a.c.MaxContextTokens = max(a.c.MaxContextTokens, n)
	} else if a.c.SmallestFailedTokens == 0 || n < a.c.SmallestFailedTokens {
		a.c.SmallestFailedTokens = n
	}
}

func (a *capAggregate) result(capability suites.Capability) Capability {
	c := a.c
	if c.N > 0 {
		c.MeanScore = a.score / float64(c.N)
	}
	if a.streamed > 0 {
		c.TokensPerSecond = float64(a.outToks) / a.streamed
	}
	if c.WrongTool+c.InvalidArgs+c.WrongArgs > 0 && c.Detail == "" {
		c.Detail = fmt.Sprintf("of %d answers: %d called the wrong tool, %d sent invalid arguments, %d wrong values",
			c.N, c.WrongTool, c.InvalidArgs, c.WrongArgs)
	}
	if c.Extracted > 0 && c.Detail == "" {
		c.Detail = fmt.Sprintf("JSON dug out of prose or fences in %d of %d answers: the response format was not honoured", c.Extracted, c.Native+c.Extracted)
	}
	if capability == suites.CapStreaming {
		// Streaming is about the answers arriving as a stream, not their
		// quality.
		switch {
		case c.N == 0:
			c.Status = CapUntested
		case c.Streamed > 0:
			c.Status = CapWorks
		default:
			c.Status = CapFails
			c.Detail = "no answer streamed a first token"
		}
		return c
	}
	switch {
	case c.N == 0:
		c.Status = CapUntested
	case c.OK == 0 && c.Unsupported > 0:
		c.Status = CapUnsupported
	case c.OK == 0:
		c.Status = CapFails
	case 2*c.Pass >= c.N:
		c.Status = CapWorks
	default:
		c.Status = CapPoor
		if c.Detail == "" {
			c.Detail = fmt.Sprintf("answered %d of %d, passed %d", c.OK, c.N, c.Pass)
		}
	}
	return c
}

// capabilityMatrix accumulates every provider×capability cell.
type capabilityMatrix struct {
	cells map[capKey]*capAggregate
	// exercises memoises Suite.Exercises: add runs for every row.
	exercises map[*suites.Suite][]suites.Capability
}

// capKey keys a capability×provider cell.
type capKey struct {
	capability suites.Capability
	provider   string
}

func newCapabilityMatrix() *capabilityMatrix {
	return &capabilityMatrix{cells: map[capKey]*capAggregate{}, exercises: map[*suites.Suite][]suites.Capability{}}
}

func (m *capabilityMatrix) add(s *judges.Scored) {
	if s.Result == nil || s.Result.Suite == nil {
		return
	}
	caps, ok := m.exercises[s.Result.Suite]
	if !ok {
		caps = s.Result.Suite.Exercises()
		m.exercises[s.Result.Suite] = caps
	}
	for _, c := range caps {
		k := capKey{c, results.ProviderID(s)}
		a := m.cells[k]
		if a == nil {
			a = &capAggregate{}
			m.cells[k] = a
		}
		a.add(c, s)
	}
}

// Capabilities returns the capability matrix: per provider id, per
// capability any suite exercised, what the provider showed. A provider
// with no row for a capability others were tested on is "untested".
func (s *Summary) Capabilities() map[string]map[suites.Capability]Capability {
	var caps []suites.Capability
	for k := range s.capabilities.cells {
		if !slices.Contains(caps, k.capability) {
			caps = append(caps, k.capability)
		}
	}
	out := map[string]map[suites.Capability]Capability{}
	for p := range s.providers {
		row := map[suites.Capability]Capability{}
		for _, c := range caps {
			if a := s.capabilities.cells[capKey{c, p}]; a != nil {
				row[c] = a.result(c)
			} else {
				row[c] = Capability{Status: CapUntested}
			}
		}
		out[p] = row
	}
	return out
}
