package progress

import (
	"bytes"
	"strings"
	"sync"
	"time"
)

// visible spells the escape character and carriage returns out as the
// text \x1b and \r, so the golden files read well in a diff (no id here
// has a backslash, so the mapping is one to one).
func visible(s string) string {
	return strings.NewReplacer("\x1b", `\x1b`, "\r", `\r`).Replace(s)
}

// t0 is when every test run starts.
var t0 = time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)

// fakeClock is a clock the test moves by hand.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// set moves the clock to d after t0.
func (c *fakeClock) set(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = t0.Add(d)
}

// manual returns a Progress on a fake clock whose ticker never fires
// during a test: the test ticks it by hand with tickAt.
func manual(tty bool, providers []string, planned map[string]int) (*Progress, *bytes.Buffer, *fakeClock) {
	var buf bytes.Buffer
	c := &fakeClock{now: t0}
	p := New(&buf, providers, planned, Options{TTY: tty, Now: c.Now})
	p.interval = time.Hour
	return p, &buf, c
}

// tickAt moves the clock to d after t0 and ticks.
func tickAt(p *Progress, c *fakeClock, d time.Duration) {
	c.set(d)
	p.tick(c.Now())
}

// syncBuffer is a bytes.Buffer safe to write from the ticker goroutine
// while a test reads it.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
