package runner

import (
	"context"
	"time"

	"golang.org/x/time/rate"

	"github.com/parity-eval/parity/suites"
)

// pacer holds one provider to its declared requests and tokens per minute
// with token buckets (golang.org/x/time/rate). Buckets start with a burst
// of one request, so a run never opens with a spike over the limit.
type pacer struct {
	rpm *rate.Limiter
	tpm *rate.Limiter
	max int // the tpm bucket's size: no request waits for more
}

func newPacer(l suites.Limits) *pacer {
	p := &pacer{}
	if l.RPM > 0 {
		p.rpm = rate.NewLimiter(rate.Every(time.Minute/time.Duration(l.RPM)), 1)
	}
	if l.TPM > 0 {
		p.max = max(l.TPM/60, 1)
		p.tpm = rate.NewLimiter(rate.Limit(float64(l.TPM)/60), p.max)
	}
	return p
}

// wait blocks until a request of about tokens tokens may go out.
func (p *pacer) wait(ctx context.Context, tokens int) error {
	if p.rpm != nil {
		if err := p.rpm.Wait(ctx); err != nil {
			return err
		}
	}
	if p.tpm != nil {
		return p.tpm.WaitN(ctx, min(max(tokens, 1), p.max))
	}
	return nil
}

// estimateTokens is a request's likely token count before it is sent:
// about four characters a token for the prompt, plus the answer's cap.
func estimateTokens(m suites.Messages, r suites.Request) int {
	n := (len(m.System) + len(m.User)) / 4
	if r.MaxTokens != nil {
		n += *r.MaxTokens
	}
	return n
}
