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
//   - a sliding window of the last rpm requests guarantees what a
//     provider counts: never more than rpm requests in any window. A
//     request holds its slot from its claim until its answer's headers
//     come back (sent), and the slot is stamped with that moment, taken
//     where the HTTP response arrives: the latest the provider can have
//     received it. A slot is reused only a window (and
//     a margin) after its stamp, so however long a request spends in
//     queues or on the wire on a loaded machine or network, the next
//     request in its slot reaches the provider more than a window later.
//
// The margin (a 60th of the window, at least 50ms) covers what the stamp
// cannot: the provider's own rounding of its window. With enough work
// queued the achieved rate is about window/(window+margin+time to the
// answer's headers) of the limit: 98% for a minute and quick answers.
type pacer struct {
	rpm    *rate.Limiter
	tpm    *rate.Limiter
	max    int // the tpm bucket's size: no request waits for more
	window time.Duration
	margin time.Duration

	mu       sync.Mutex
	sends    []time.Time // ring of the last rpm requests' stamps
	inFlight []bool      // whose answer has not begun
	next     int
}

// noSlot is the slot of a request under no rpm limit.
const noSlot = -1

func newPacer(l suites.Limits, window time.Duration) *pacer {
	p := &pacer{window: window, margin: max(window/60, 50*time.Millisecond)}
	if l.RPM > 0 {
		p.rpm = rate.NewLimiter(rate.Every(window/time.Duration(l.RPM)), 1)
		p.sends, p.inFlight = make([]time.Time, l.RPM), make([]bool, l.RPM)
	}
	if l.TPM > 0 {
		per := float64(l.TPM) / window.Seconds()
		p.max = max(int(per), 1)
		p.tpm = rate.NewLimiter(rate.Limit(per), p.max)
	}
	return p
}

// wait blocks until a request of about tokens tokens may go out and
// returns its slot, which the caller passes to sent once the request's
// answer begins (or the request failed); noSlot under no rpm limit.
func (p *pacer) wait(ctx context.Context, tokens int) (int, error) {
	if p.tpm != nil {
		if err := p.tpm.WaitN(ctx, min(max(tokens, 1), p.max)); err != nil {
			return noSlot, err
		}
	}
	if p.rpm == nil {
		return noSlot, nil
	}
	if err := p.rpm.Wait(ctx); err != nil {
		return noSlot, err
	}
	for {
		slot, d := p.claim(time.Now())
		if d == 0 {
			return slot, nil
		}
		if err := Sleep(ctx, d); err != nil {
			return noSlot, err
		}
	}
}

// claim takes the oldest slot at now if it is free (its request's answer
// began a window and the margin ago) and returns it with a wait of 0;
// else it returns how long to wait before asking again.
func (p *pacer) claim(now time.Time) (slot int, wait time.Duration) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.inFlight[p.next] {
		// A request older than a window has not been answered yet: when
		// it reached the provider is unknown, so its slot stays taken.
		return noSlot, p.margin
	}
	if stamp := p.sends[p.next]; !stamp.IsZero() {
		if free := stamp.Add(p.window + p.margin); now.Before(free) {
			return noSlot, free.Sub(now)
		}
	}
	slot = p.next
	p.sends[slot], p.inFlight[slot] = now, true
	p.next = (p.next + 1) % len(p.sends)
	return slot, 0
}

// sent releases a slot: the request's answer began at reached (when the
// provider had it at the latest), or it failed then.
func (p *pacer) sent(slot int, reached time.Time) {
	if slot == noSlot {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if reached.After(p.sends[slot]) {
		p.sends[slot] = reached
	}
	p.inFlight[slot] = false
}
