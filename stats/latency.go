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

// latency records durations and answers percentiles in milliseconds. The
// zero value is ready to use and allocates on the first record.
type Latency struct {
	H *hdrhistogram.Histogram
}

// record adds one duration; values beyond an hour are clamped to an hour
// and negative ones to zero.
func (l *Latency) Record(d time.Duration) {
	if l.H == nil {
		l.H = hdrhistogram.New(latencyMin, latencyMax, latencySigFigs)
	}
	us := min(max(d.Microseconds(), 0), latencyMax)
	_ = l.H.RecordValue(us) // in range by construction
}

// count returns the number of recorded durations.
func (l *Latency) Count() int64 {
	if l.H == nil {
		return 0
	}
	return l.H.TotalCount()
}

// percentileMS returns the p-th percentile (0-100) in milliseconds, rounded
// to the histogram's three significant figures (800 rather than the
// bucket's upper bound 800.255); 0 when nothing was recorded.
func (l *Latency) PercentileMS(p float64) float64 {
	if l.Count() == 0 {
		return 0
	}
	return format.RoundSig(float64(l.H.ValueAtPercentile(p))/1000, latencySigFigs)
}

// quantileMS returns the p-th percentile in milliseconds, unrounded.
func (l *Latency) QuantileMS(p float64) float64 {
	if l.Count() == 0 {
		return 0
	}
	return float64(l.H.ValueAtPercentile(p)) / 1000
}
