package progress

import (
	"bytes"
	"math"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestAddAndSkipCount(t *testing.T) {
	t.Parallel()
	p, _, _ := manual(false, []string{"a", "b", "a"}, map[string]int{"a": 5, "b": 4, "c": 2})
	p.Add("a", false, 0.25)
	p.Add("a", true, 0.5)
	p.Add("b", true, math.NaN()) // a NaN or negative cost counts nothing
	p.Add("b", false, -1)
	p.Add("zzz", false, 1) // not announced: counted in the other row
	p.Skip("a", 2)
	p.Skip("b", 9) // more than remain: the total stops at what came
	p.Skip("c", -3)
	p.Skip("nope", 1)
	rows := p.rows()
	want := []row{
		{id: "a", done: 2, total: 3, failed: 1, costUSD: 0.75},
		{id: "b", done: 2, total: 2, failed: 1},
		{id: "c", total: 2}, // in planned only: after the listed ones
		{id: other, done: 1, total: 1, costUSD: 1},
	}
	if len(rows) != len(want) {
		t.Fatalf("rows %+v", rows)
	}
	for i := range want {
		if rows[i] != want[i] {
			t.Errorf("row %d = %+v, want %+v", i, rows[i], want[i])
		}
	}
}

func TestConcurrentAdd(t *testing.T) {
	t.Parallel()
	ids := []string{"a", "b", "c"}
	p, _, c := manual(true, ids, map[string]int{"a": 9000, "b": 9000, "c": 9000})
	p.Start()
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 3000 {
				p.Add(ids[(g+i)%3], i%10 == 0, 0.001)
				if i%500 == 0 {
					p.Skip(ids[g%3], 1)
				}
			}
		})
	}
	// Frames drawn while the counters move.
	wg.Go(func() {
		for i := range 50 {
			tickAt(p, c, time.Duration(i)*100*time.Millisecond)
		}
	})
	wg.Wait()
	p.Stop()
	s := measure(p.rows(), &p.hist, p.began, c.Now(), true)
	if s.total.done != 24000 || s.total.failed != 2400 || math.Abs(s.total.costUSD-24) > 1e-9 || s.total.total != 27000-48 {
		t.Errorf("total %+v", s.total)
	}
}

func TestStopIsIdempotent(t *testing.T) {
	t.Parallel()
	for _, tty := range []bool{false, true} {
		p, buf, _ := manual(tty, []string{"a"}, map[string]int{"a": 1})
		p.Start()
		p.Add("a", false, 0)
		var wg sync.WaitGroup
		for range 4 {
			wg.Go(p.Stop)
		}
		wg.Wait()
		after := buf.String()
		p.Stop()
		p.Start() // after Stop: nothing
		p.tick(t0.Add(time.Hour))
		p.Add("a", false, 0) // still safe
		if buf.String() != after {
			t.Errorf("tty=%v: output after the first Stop: %q", tty, strings.TrimPrefix(buf.String(), after))
		}
		frames := strings.Count(after, "parity: ")
		if tty {
			frames = strings.Count(after, "\x1b[J")
		}
		if want := map[bool]int{false: 1, true: 2}[tty]; frames != want {
			t.Errorf("tty=%v: %d frames, want %d (Start's on a terminal, Stop's): %q", tty, frames, want, after)
		}
	}
}

// TestPlainWaitsForTheFirstTick runs the real ticker: off a terminal
// nothing is written until Every has passed, then a line per tick, and
// Stop's line last.
func TestPlainWaitsForTheFirstTick(t *testing.T) {
	t.Parallel()
	var buf syncBuffer
	p := New(&buf, []string{"a", "b"}, map[string]int{"a": 2, "b": 2}, Options{Every: 100 * time.Millisecond})
	p.Start()
	p.Add("a", false, 0.01)
	if got := buf.String(); got != "" {
		t.Fatalf("written before the first tick: %q", got)
	}
	deadline := time.Now().Add(5 * time.Second)
	for !strings.Contains(buf.String(), "\n") && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	p.Stop()
	lines := strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n")
	if len(lines) < 3 || !strings.HasPrefix(lines[0], "parity: 1/4 results (25%)") || !strings.HasPrefix(lines[1], "parity:   a 1/2, b 0/2") {
		t.Fatalf("no tick line: %q", lines)
	}
	if last := lines[len(lines)-1]; !strings.Contains(last, "stopped after") {
		t.Errorf("last line %q is not Stop's", last)
	}
}

// TestPlainShortRunWritesOneLine: a run that ends before the first tick
// leaves exactly Stop's line.
func TestPlainShortRunWritesOneLine(t *testing.T) {
	t.Parallel()
	p, buf, c := manual(false, []string{"a"}, map[string]int{"a": 3})
	p.Start()
	for range 3 {
		p.Add("a", false, 0.002)
	}
	c.set(1500 * time.Millisecond)
	p.Stop()
	if want := "parity: 3/3 results (100%), 0 errors, 2.0/s, $0.0060 spent, done in 1s\n"; buf.String() != want {
		t.Errorf("got %q, want %q", buf.String(), want)
	}
}

// TestTerminalRedraws runs the real ticker on a terminal block: drawn at
// Start, redrawn in place, left on screen by Stop.
func TestTerminalRedraws(t *testing.T) {
	t.Parallel()
	var buf syncBuffer
	p := New(&buf, []string{"a"}, map[string]int{"a": 2}, Options{TTY: true})
	p.interval = 5 * time.Millisecond
	p.Start()
	if got := buf.String(); !strings.HasPrefix(got, "\r\x1b[2Kprovider") || strings.Contains(got, "\x1b[3A") {
		t.Fatalf("Start's frame %q", got)
	}
	deadline := time.Now().Add(5 * time.Second)
	for !strings.Contains(buf.String(), "\x1b[3A") && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	p.Add("a", false, 0)
	p.Add("a", false, 0)
	p.Stop()
	got := buf.String()
	last := got[strings.LastIndex(got, "\r\x1b[3A"):]
	if !strings.Contains(last, "2/2") || !strings.HasSuffix(last, "done\n\x1b[J") {
		t.Errorf("Stop's frame %q", last)
	}
}

func TestQuietWritesNothing(t *testing.T) {
	t.Parallel()
	for _, tty := range []bool{false, true} {
		var buf syncBuffer
		p := New(&buf, []string{"a"}, map[string]int{"a": 2}, Options{TTY: tty, Quiet: true, Every: time.Millisecond})
		p.interval = time.Millisecond
		p.Start()
		p.Add("a", true, 1)
		time.Sleep(20 * time.Millisecond)
		p.Stop()
		if got := buf.String(); got != "" {
			t.Errorf("tty=%v: quiet wrote %q", tty, got)
		}
	}
}

func TestStopWithoutStart(t *testing.T) {
	t.Parallel()
	p, buf, _ := manual(false, []string{"a"}, map[string]int{"a": 2})
	p.Stop()
	if want := "parity: 0/2 results (0%), 0 errors, —/s, $0 spent, stopped after 0s\n"; buf.String() != want {
		t.Errorf("got %q, want %q", buf.String(), want)
	}
}

func TestIsTerminal(t *testing.T) {
	t.Parallel()
	if IsTerminal(&bytes.Buffer{}) {
		t.Error("a buffer is a terminal")
	}
}

func TestAddDoesNotAllocate(t *testing.T) {
	p, _, _ := manual(false, []string{"gpt-4o-mini", "deepseek-chat"}, nil)
	if n := testing.AllocsPerRun(1000, func() { p.Add("deepseek-chat", true, 0.00042) }); n != 0 {
		t.Errorf("Add allocates %v times", n)
	}
}

// benchIDs are eight provider ids of realistic length.
var benchIDs = []string{"gpt-4o-mini", "deepseek-chat", "claude-3-5-haiku", "gemini-2.0-flash",
	"mistral-small", "qwen-plus", "kimi-k2", "openrouter/llama-3.3-70b"}

func BenchmarkAdd(b *testing.B) {
	p, _, _ := manual(false, benchIDs, nil)
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		p.Add(benchIDs[i%len(benchIDs)], i%16 == 0, 0.00042)
	}
}

// BenchmarkAddParallel adds from every P at once, each to its own
// provider or all to one.
func BenchmarkAddParallel(b *testing.B) {
	for _, shared := range []bool{false, true} {
		name := map[bool]string{false: "spread", true: "one-provider"}[shared]
		b.Run(name, func(b *testing.B) {
			p, _, _ := manual(false, benchIDs, nil)
			var next sync.Mutex
			g := 0
			b.ReportAllocs()
			b.RunParallel(func(pb *testing.PB) {
				next.Lock()
				id := benchIDs[g%len(benchIDs)]
				g++
				next.Unlock()
				if shared {
					id = benchIDs[0]
				}
				for pb.Next() {
					p.Add(id, false, 0.00042)
				}
			})
		})
	}
}
