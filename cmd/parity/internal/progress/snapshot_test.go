package progress

import (
	"math"
	"testing"
	"time"
)

// sec is n seconds.
func sec(n float64) time.Duration { return time.Duration(n * float64(time.Second)) }

// counted samples one provider (and an empty other slot) whose done count
// at second s is done(s), every step from 0 to end, and measures at end.
func counted(total int64, end, step time.Duration, done func(s float64) int64) snapshot {
	h := history{window: DefaultWindow}
	for d := time.Duration(0); d <= end; d += step {
		h.add(t0.Add(d), []int64{done(d.Seconds()), 0})
	}
	rows := []row{{id: "p", done: done(end.Seconds()), total: total}, {id: other}}
	return measure(rows, &h, t0, t0.Add(end), false)
}

func TestRatesOverTheRecentWindow(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		total     int64
		end, step time.Duration
		done      func(s float64) int64
		rate      float64 // NaN: unknown
		eta       time.Duration
	}{
		// Under a second of history there is no rate, so no ETA.
		{"too young", 100, sec(0.8), sec(0.2), func(s float64) int64 { return int64(s * 10) }, math.NaN(), -1},
		// A run younger than the window is measured from the start.
		{"young run", 100, sec(4), sec(1), func(s float64) int64 { return int64(s * 5) }, 5, sec(16)},
		// Steady 2/s: 60 done at 30s, 40 left at 2/s is 20s.
		{"steady", 100, sec(30), sec(1), func(s float64) int64 { return int64(s * 2) }, 2, sec(20)},
		// 10/s for 20s, then 1/s: the last 10s say 1/s, not the
		// since-start average of about 6/s.
		{"slowed down", 300, sec(35), sec(1), func(s float64) int64 {
			if s <= 20 {
				return int64(s * 10)
			}
			return 200 + int64(s-20)
		}, 1, sec(85)},
		// 1/s for 20s then 10/s: the recent rate shows the speed-up.
		{"sped up", 400, sec(30), sec(1), func(s float64) int64 {
			if s <= 20 {
				return int64(s)
			}
			return 20 + int64((s-20)*10)
		}, 10, sec(28)},
		// Nothing for the last 10s: the rate is 0 and the ETA unknown.
		{"stalled", 100, sec(30), sec(1), func(s float64) int64 { return min(int64(s*4), 50) }, 0, -1},
		// Samples every 5s (plain mode): at 25s the base is the sample at
		// 15s, the newest at least 10s old.
		{"sparse samples", 200, sec(25), sec(5), func(s float64) int64 {
			if s <= 15 {
				return 0
			}
			return int64(s-15) * 3
		}, 3, sec(57) - sec(1)/3},
		// Everything came (at 10s): the ETA is 0; the rate still counts
		// the window, 20 results in 10s.
		{"finished", 40, sec(15), sec(1), func(s float64) int64 { return min(int64(s*4), 40) }, 2, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := counted(tt.total, tt.end, tt.step, tt.done)
			r := s.rows[0]
			if !sameRate(r.rate, tt.rate) || !sameRate(s.total.rate, tt.rate) {
				t.Errorf("rate %v, total rate %v; want %v", r.rate, s.total.rate, tt.rate)
			}
			if d := r.eta - tt.eta; d < -time.Millisecond || d > time.Millisecond {
				t.Errorf("eta %v, want %v", r.eta, tt.eta)
			}
			if s.total.eta != r.eta {
				t.Errorf("total eta %v, want the only provider's %v", s.total.eta, r.eta)
			}
		})
	}
}

func sameRate(got, want float64) bool {
	if math.IsNaN(want) {
		return math.IsNaN(got)
	}
	return math.Abs(got-want) < 1e-9
}

func TestHistoryKeepsOnlyWhatTheWindowNeeds(t *testing.T) {
	t.Parallel()
	h := history{window: 10 * time.Second}
	for d := time.Duration(0); d <= time.Hour; d += 200 * time.Millisecond {
		h.add(t0.Add(d), []int64{int64(d / time.Second)})
	}
	// 10s of 200ms samples, plus the one exactly 10s old.
	if n := len(h.samples); n != 51 {
		t.Errorf("kept %d samples, want 51", n)
	}
	b, _ := h.base(t0.Add(time.Hour))
	if want := t0.Add(time.Hour - 10*time.Second); !b.at.Equal(want) {
		t.Errorf("base at %v, want %v", b.at, want)
	}
	var empty history
	if _, ok := empty.base(t0); ok {
		t.Error("an empty history has a base")
	}
}

func TestRunETAIsTheLongestProviderETA(t *testing.T) {
	t.Parallel()
	h := history{window: DefaultWindow}
	h.add(t0, []int64{0, 0, 0, 0})
	at := t0.Add(10 * time.Second)
	rows := []row{
		{id: "fast", done: 50, total: 100}, // 5/s, 10s left
		{id: "slow", done: 10, total: 50},  // 1/s, 40s left
		{id: "done", done: 30, total: 30},  // finished: no say
		{id: other},
	}
	s := measure(rows, &h, t0, at, false)
	if s.total.eta != 40*time.Second {
		t.Errorf("run eta %v, want 40s", s.total.eta)
	}
	if s.total.rate != 9 || s.total.done != 90 || s.total.total != 180 {
		t.Errorf("total %+v", s.total)
	}
	// A stalled provider makes the run's ETA unknown.
	rows = append([]row{{id: "stuck", total: 10}}, rows...)
	h = history{window: DefaultWindow}
	h.add(t0, []int64{0, 0, 0, 0, 0})
	if s := measure(rows, &h, t0, at, false); s.total.eta >= 0 {
		t.Errorf("run eta %v with a stalled provider, want unknown", s.total.eta)
	}
}

func TestFinalRatesAreOverTheWholeRun(t *testing.T) {
	t.Parallel()
	h := history{window: DefaultWindow}
	h.add(t0.Add(50*time.Second), []int64{99, 0}) // ignored when final
	rows := []row{{id: "p", done: 100, total: 120}, {id: other}}
	s := measure(rows, &h, t0, t0.Add(40*time.Second), true)
	if s.rows[0].rate != 2.5 || s.total.rate != 2.5 || s.elapsed != 40*time.Second || !s.final {
		t.Errorf("final %+v", s)
	}
}

func TestOtherRowShowsOnlyWhenItCounts(t *testing.T) {
	t.Parallel()
	var h history
	rows := []row{{id: "p", done: 1, total: 2}, {id: other}}
	if s := measure(rows, &h, t0, t0, false); len(s.rows) != 1 {
		t.Errorf("empty other row shown: %+v", s.rows)
	}
	rows[1].done, rows[1].total = 3, 3
	if s := measure(rows, &h, t0, t0, false); len(s.rows) != 2 || s.total.done != 4 {
		t.Errorf("other row missing: %+v", s)
	}
}
