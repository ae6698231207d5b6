package progress

import "time"

// sample is the done counters of every slot at one moment.
type sample struct {
	at   time.Time
	done []int64
}

// history keeps the few samples that rates over the recent window need:
// every sample younger than window, and the newest one at least window old.
// It takes its times from the caller, so it is tested without a clock.
type history struct {
	window  time.Duration
	samples []sample // oldest first
}

// add records done at t (t never goes back) and forgets the samples that
// no rate will start from again.
func (h *history) add(t time.Time, done []int64) {
	h.samples = append(h.samples, sample{at: t, done: done})
	keep := 0
	for i, s := range h.samples {
		if !s.at.After(t.Add(-h.window)) {
			keep = i
		}
	}
	h.samples = h.samples[keep:]
}

// base is the sample a rate at now starts from: the newest one at least
// window old, or the oldest while the history is younger than window.
func (h *history) base(now time.Time) (sample, bool) {
	if len(h.samples) == 0 {
		return sample{}, false
	}
	b := h.samples[0]
	for _, s := range h.samples[1:] {
		if s.at.After(now.Add(-h.window)) {
			break
		}
		b = s
	}
	return b, true
}
