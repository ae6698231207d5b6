package runner

import (
	"sync"

	"github.com/parity-eval/parity/suites"
)

// budget stops sending before the spend would pass a limit. Each request
// reserves its estimated cost before it goes out and settles the actual
// cost when it ends, so requests in flight are counted too.
type budget struct {
	limit float64 // USD; 0 means no limit

	mu        sync.Mutex
	spent     float64
	reserved  float64
	exhausted bool
}

// reserve claims est USD; false (and the budget is exhausted from then on)
// when the spend so far plus what is in flight plus est would pass the limit.
func (b *budget) reserve(est float64) bool {
	if b == nil || b.limit <= 0 {
		return true
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.exhausted || b.spent+b.reserved+est > b.limit {
		b.exhausted = true
		return false
	}
	b.reserved += est
	return true
}

// settle replaces a reservation of est with the actual cost.
func (b *budget) settle(est, actual float64) {
	if b == nil || b.limit <= 0 {
		return
	}
	b.mu.Lock()
	b.reserved -= est
	b.spent += actual
	b.mu.Unlock()
}

func (b *budget) isExhausted() bool {
	if b == nil {
		return false
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.exhausted
}

// imageTokens is what an image input is estimated to cost, in tokens:
// about what OpenAI bills a 1024px image at high detail (765, rounded up).
const imageTokens = 800

// defaultOutputTokens is the answer length assumed for estimates when a
// suite does not cap it with max_tokens.
const defaultOutputTokens = 512

// estimateCost is an upper estimate of a request's cost: the prompt's
// tokens and the answer's cap, or one image.
func estimateCost(p suites.Price, s *suites.Suite, m suites.Messages) (in, out int, usd float64) {
	if s.Kind == suites.KindImage {
		return 0, 0, p.Image
	}
	n := len(m.System) + len(m.User)
	for _, t := range m.Turns {
		n += len(t.Content)
	}
	for _, t := range s.Tools {
		n += len(t.Description) + len(t.Parameters)
	}
	in = n/4 + 8 + imageTokens*len(m.Images)
	out = defaultOutputTokens
	if s.Request.MaxTokens != nil {
		out = *s.Request.MaxTokens
	}
	return in, out, p.Cost(in, out)
}
