package report

import (
	"time"

	"github.com/HdrHistogram/hdrhistogram-go"
)

// Latency histogram geometry: microsecond resolution up to an hour, three
// significant figures. A histogram is about 190 KB whatever the number of
// rows it records; one is kept per group (provider, suite, suite×provider)
// and measure, and only once the group records a value.
const (
	latencyMin     = 1                       // µs
	latencyMax     = int64(time.Hour / 1000) // µs
	latencySigFigs = 3
)

// latency records durations and answers percentiles in milliseconds. The
// zero value is ready to use and allocates on the first record.
type latency struct {
	h *hdrhistogram.Histogram
}

// record adds one duration; values beyond an hour are clamped to an hour
// and negative ones to zero.
func (l *latency) record(d time.Duration) {
	if l.h == nil {
		l.h = hdrhistogram.New(latencyMin, latencyMax, latencySigFigs)
	}
	us := min(max(d.Microseconds(), 0), latencyMax)
	_ = l.h.RecordValue(us) // in range by construction
}

// count returns the number of recorded durations.
func (l *latency) count() int64 {
	if l.h == nil {
		return 0
	}
	return l.h.TotalCount()
}

// percentileMS returns the p-th percentile (0-100) in milliseconds, rounded
// to the histogram's three significant figures (800 rather than the
// bucket's upper bound 800.255); 0 when nothing was recorded.
func (l *latency) percentileMS(p float64) float64 {
	if l.count() == 0 {
		return 0
	}
	return roundSig(float64(l.h.ValueAtPercentile(p))/1000, latencySigFigs)
}

// quantileMS returns the p-th percentile in milliseconds, unrounded.
func (l *latency) quantileMS(p float64) float64 {
	if l.count() == 0 {
		return 0
	}
	return float64(l.h.ValueAtPercentile(p)) / 1000
}
