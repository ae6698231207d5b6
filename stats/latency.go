package stats

import (
	"github.com/parity-eval/parity/internal/format"
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

// Latency records durations and answers percentiles in milliseconds. The
// zero value is ready to use and allocates on the first record.
type Latency struct {
	h *hdrhistogram.Histogram
}

// Record adds one duration; values beyond an hour are clamped to an hour
// and negative ones to zero.
func (l *Latency) Record(d time.Duration) {
	if l.h == nil {
		l.h = hdrhistogram.New(latencyMin, latencyMax, latencySigFigs)
	}
	us := min(max(d.Microseconds(), 0), latencyMax)
	_ = l.h.RecordValue(us) // in range by construction
}

// Count returns the number of recorded durations.
func (l *Latency) Count() int64 {
	if l.h == nil {
		return 0
	}
	return l.h.TotalCount()
}

// PercentileMS returns the p-th percentile (0-100) in milliseconds, rounded
// to the histogram's three significant figures (800 rather than the
// bucket's upper bound 800.255); 0 when nothing was recorded.
func (l *Latency) PercentileMS(p float64) float64 {
	if l.Count() == 0 {
		return 0
	}
	return format.RoundSig(float64(l.h.ValueAtPercentile(p))/1000, latencySigFigs)
}

// QuantileMS returns the p-th percentile in milliseconds, unrounded.
func (l *Latency) QuantileMS(p float64) float64 {
	if l.Count() == 0 {
		return 0
	}
	return float64(l.h.ValueAtPercentile(p)) / 1000
}

// Distribution returns the histogram's buckets with their counts, for
// drawing; nil when nothing was recorded.
func (l *Latency) Distribution() []hdrhistogram.Bar {
	if l.h == nil {
		return nil
	}
	return l.h.Distribution()
}
