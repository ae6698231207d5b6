package runner

import (
	"context"
	"sync"
	"time"

	"golang.org/x/time/rate"

	"github.com/parity-eval/parity/suites"
)

// pacer holds one provider to its declared requests and tokens per
// window (a minute by default). Two mechanisms work together:
//
//   - token buckets (golang.org/x/time/rate) spread requests evenly at the
//     limit's rate, starting with a burst of one, so a run never opens with
//     a spike;
//   - a sliding window of the last rpm send times guarantees what a
//     provider counts: never more than rpm requests in any window. The
//     window is taken slightly long (by margin) so that requests that
//     arrive later than they were sent cannot crowd a window at the
//     provider's end.
//
// The margin is a 60th of the window, at least 250ms: what a request's
// trip may vary by between two requests, on a loaded machine or network.
// With enough work queued the achieved rate is about window/(window+margin)
// of the limit: 98% for a minute.
type pacer struct {
	rpm    *rate.Limiter
	tpm    *rate.Limiter
	max    int // the tpm bucket's size: no request waits for more
	window time.Duration
	margin time.Duration

	mu    sync.Mutex
	sends []time.Time // ring of the last rpm send times
	next  int
}

func newPacer(l suites.Limits, window time.Duration) *pacer {
	p := &pacer{window: window, margin: max(window/60, 250*time.Millisecond)}
	if l.RPM > 0 {
		p.rpm = rate.NewLimiter(rate.Every(window/time.Duration(l.RPM)), 1)
		p.sends = make([]time.Time, l.RPM)
	}
	if l.TPM > 0 {
		per := float64(l.TPM) / window.Seconds()
		p.max = max(int(per), 1)
		p.tpm = rate.NewLimiter(rate.Limit(per), p.max)
	}
	return p
}

// wait blocks until a request of about tokens tokens may go out.
func (p *pacer) wait(ctx context.Context, tokens int) error {
	if p.tpm != nil {
		if err := p.tpm.WaitN(ctx, min(max(tokens, 1), p.max)); err != nil {
			return err
		}
	}
	if p.rpm == nil {
		return nil
	}
	if err := p.rpm.Wait(ctx); err != nil {
		return err
	}
	for {
		d := p.claim(time.Now())
		if d == 0 {
			return nil
		}
		if err := Sleep(ctx, d); err != nil {
			return err
		}
	}
}

// claim records a send at now if the window has room, and returns 0; else
// it returns how long until it has.
func (p *pacer) claim(now time.Time) time.Duration {
	p.mu.Lock()
	defer p.mu.Unlock()
	oldest := p.sends[p.next]
	if !oldest.IsZero() {
		if free := oldest.Add(p.window + p.margin); now.Before(free) {
			return free.Sub(now)
		}
	}
	p.sends[p.next] = now
	p.next = (p.next + 1) % len(p.sends)
	return 0
}
