package progress

import (
	"math"
	"time"
)

// minSpan is the least history a live rate is measured over; before it
// the rate and the ETA are unknown. Stop's rates, over the whole run, need
// only a millisecond.
const minSpan = time.Second

// maxETA caps an ETA so that a crawling rate cannot overflow a Duration.
const maxETA = 1000 * time.Hour

// row is one line of the display: a provider, the other slot or the total.
type row struct {
	id                  string
	done, total, failed int64
	costUSD             float64
	// rate is results per second; NaN when unknown.
	rate float64
	// eta is the time left until the last result: 0 when finished,
	// negative when unknown.
	eta time.Duration
}

// finished tells whether every expected result has come.
func (r row) finished() bool { return r.done >= r.total }

// snapshot is everything one frame shows, already measured: rendering it
// needs no clock.
type snapshot struct {
	// rows are the providers in display order, then the other row if it
	// counts anything.
	rows    []row
	total   row
	elapsed time.Duration
	// final marks the frame Stop draws: rates are over the whole run and
	// there is no ETA.
	final bool
}

// measure turns the rows read at now (one per slot, the other slot last)
// into a snapshot: rates over h's recent window, or over the whole run
// from began when final, and ETAs from those rates.
func measure(rows []row, h *history, began, now time.Time, final bool) snapshot {
	s := snapshot{elapsed: now.Sub(began), final: final}
	base, span, least := sample{done: make([]int64, len(rows))}, s.elapsed, time.Millisecond
	if !final {
		least = minSpan
		b, ok := h.base(now)
		if ok && len(b.done) == len(rows) {
			base, span = b, now.Sub(b.at)
		} else {
			span = 0
		}
	}
	t := row{id: "total"}
	var delta int64
	for i, r := range rows {
		r.rate = rate(r.done-base.done[i], span, least)
		r.eta = eta(r)
		delta += r.done - base.done[i]
		t.done, t.total, t.failed, t.costUSD = t.done+r.done, t.total+r.total, t.failed+r.failed, t.costUSD+r.costUSD
		if i < len(rows)-1 || r.done > 0 {
			s.rows = append(s.rows, r)
		}
		t.eta = longest(t.eta, r)
	}
	t.rate = rate(delta, span, least)
	s.total = t
	return s
}

// rate is n results over span per second; NaN when span is shorter than
// least.
func rate(n int64, span, least time.Duration) float64 {
	if span < least {
		return math.NaN()
	}
	return float64(n) / span.Seconds()
}

// eta is r's remaining results at r's rate.
func eta(r row) time.Duration {
	switch {
	case r.finished():
		return 0
	case math.IsNaN(r.rate) || r.rate <= 0:
		return -1
	}
	secs := float64(r.total-r.done) / r.rate
	return time.Duration(min(secs, maxETA.Seconds()) * float64(time.Second))
}

// longest folds r's ETA into the run's: the longest, unknown if any
// unfinished provider's is.
func longest(run time.Duration, r row) time.Duration {
	if run < 0 || r.eta < 0 {
		return -1
	}
	return max(run, r.eta)
}
