package progress

import (
	"io"
	"sort"
	"sync"
	"sync/atomic"
	"time"
	"unicode"
)

// Defaults for the zero Options.
const (
	// DefaultEvery is how often a plain line is printed off a terminal.
	DefaultEvery = 5 * time.Second
	// DefaultWindow is how much recent history rates and ETAs look at.
	DefaultWindow = 10 * time.Second
)

// redrawEvery is how often a terminal block is redrawn: five times a second.
const redrawEvery = 200 * time.Millisecond

// other names the slot that counts results for providers New was not told
// about; its row shows only once it counts something.
const other = "(other)"

// Options tune a Progress. The zero value prints a plain line every 5s.
type Options struct {
	// Every is how often a plain line is printed (default DefaultEvery).
	// A terminal block is redrawn five times a second whatever Every says.
	Every time.Duration
	// Window is how much recent history rates and ETAs are measured over
	// (default DefaultWindow).
	Window time.Duration
	// TTY draws a block redrawn in place with ANSI escapes instead of
	// plain lines; set it with IsTerminal.
	TTY bool
	// Quiet counts but never writes anything.
	Quiet bool
	// Now is the clock (default time.Now); tests pass a fake one.
	Now func() time.Time
}

// slot holds one provider's counters. It fills a cache line so that
// providers counted from different goroutines do not slow each other.
type slot struct {
	done, failed, skipped atomic.Int64
	// pico is the spend in 1e-12 USD: integers add atomically and exactly.
	pico atomic.Int64
	_    [32]byte
}

// Progress counts a run's results and shows them on w. Add and Skip are
// safe for concurrent use; Start and Stop bracket the display.
type Progress struct {
	w        io.Writer
	opts     Options
	interval time.Duration
	// size reports the terminal's columns and rows (0 when unknown).
	size func() (cols, rows int)

	ids     []string // display order; slots[len(ids)] is the other slot
	labels  []string // ids made safe to print
	index   map[string]int
	planned []int64
	slots   []slot

	stopOnce sync.Once
	quit     chan struct{}
	finished chan struct{}

	mu      sync.Mutex // guards what follows and every write to w
	started bool
	stopped bool
	began   time.Time
	hist    history
	drawn   int // lines of the terminal block now on screen
}

// New returns a Progress that writes to w, with one row per provider in the
// given order, followed by any provider of planned that the list lacks
// (sorted). planned is the number of results expected per provider. Nothing
// is written before Start.
func New(w io.Writer, providers []string, planned map[string]int, opts Options) *Progress {
	if opts.Every <= 0 {
		opts.Every = DefaultEvery
	}
	if opts.Window <= 0 {
		opts.Window = DefaultWindow
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	p := &Progress{w: w, opts: opts, interval: opts.Every, index: map[string]int{}}
	if opts.TTY {
		p.interval = redrawEvery
		p.size = terminalSize(w)
	}
	for _, id := range order(providers, planned) {
		p.index[id] = len(p.ids)
		p.ids = append(p.ids, id)
		p.labels = append(p.labels, clean(id))
		p.planned = append(p.planned, int64(max(planned[id], 0)))
	}
	p.slots = make([]slot, len(p.ids)+1)
	p.hist.window = opts.Window
	return p
}

// order lists providers without repeats, then planned's other keys sorted.
func order(providers []string, planned map[string]int) []string {
	seen := map[string]bool{}
	var ids, rest []string
	for _, id := range providers {
		if !seen[id] {
			seen[id] = true
			ids = append(ids, id)
		}
	}
	for id := range planned {
		if !seen[id] {
			rest = append(rest, id)
		}
	}
	sort.Strings(rest)
	return append(ids, rest...)
}

// maxPico bounds the spend one Add can count (about 4.6 million USD); the
// counters themselves hold up to about 9.2 million USD per provider.
const maxPico = float64(1 << 62)

// Add counts one result of provider: failed when it is an error row, and
// what it cost in USD (scoring included if the caller likes). It is safe
// for concurrent use, takes no lock and does not allocate. A provider New
// was not told about is counted in an "(other)" row.
func (p *Progress) Add(provider string, failed bool, costUSD float64) {
	i, ok := p.index[provider]
	if !ok {
		i = len(p.ids)
	}
	s := &p.slots[i]
	if costUSD > 0 { // false for NaN too
		s.pico.Add(int64(min(costUSD*1e12+0.5, maxPico)))
	}
	if failed {
		s.failed.Add(1)
	}
	// done last: a snapshot reads it last, so it never sees more
	// failures than results.
	s.done.Add(1)
}

// Skip takes n results out of provider's total: results that will not come
// (a budget ran out, a circuit breaker opened). Unknown providers and n <= 0
// are ignored. It is safe for concurrent use.
func (p *Progress) Skip(provider string, n int) {
	if i, ok := p.index[provider]; ok && n > 0 {
		p.slots[i].skipped.Add(int64(n))
	}
}

// Start starts the clock and the ticker goroutine. On a terminal it draws
// the block at once; off one, the first line comes Every later. Start after
// Start or Stop does nothing.
func (p *Progress) Start() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.started || p.stopped {
		return
	}
	p.started = true
	p.began = p.opts.Now()
	p.hist.add(p.began, p.counts())
	if p.opts.Quiet {
		return
	}
	if p.opts.TTY {
		p.draw(measure(p.rows(), &p.hist, p.began, p.began, false))
	}
	p.quit, p.finished = make(chan struct{}), make(chan struct{})
	go p.loop()
}

// loop ticks until Stop.
func (p *Progress) loop() {
	defer close(p.finished)
	t := time.NewTicker(p.interval)
	defer t.Stop()
	for {
		select {
		case <-t.C:
			p.tick(p.opts.Now())
		case <-p.quit:
			return
		}
	}
}

// tick samples the counters at now and shows them.
func (p *Progress) tick(now time.Time) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.stopped {
		return
	}
	c := p.counts()
	p.hist.add(now, c)
	p.draw(measure(p.rowsFrom(c), &p.hist, p.began, now, false))
}

// Stop ends the ticker and shows the final state: the terminal block is
// redrawn and left on screen, a newline after it; off a terminal one final
// line is written. Later calls do nothing; concurrent ones wait for the
// first. Stop without Start shows the final state from New's time on.
func (p *Progress) Stop() {
	p.stopOnce.Do(func() {
		p.mu.Lock()
		p.stopped = true
		running := p.quit != nil
		p.mu.Unlock()
		if running {
			close(p.quit)
			<-p.finished
		}
		p.mu.Lock()
		defer p.mu.Unlock()
		now := p.opts.Now()
		if !p.started {
			p.began = now
		}
		if !p.opts.Quiet {
			p.draw(measure(p.rows(), &p.hist, p.began, now, true))
		}
	})
}

// draw writes one frame; p.mu is held. Progress is best effort: a write
// error is ignored.
func (p *Progress) draw(s snapshot) {
	v := view{tty: p.opts.TTY, drawn: p.drawn}
	if p.size != nil {
		v.cols, v.rows = p.size()
	}
	text, lines := render(s, v)
	p.drawn = lines
	io.WriteString(p.w, text)
}

// counts reads every slot's done counter.
func (p *Progress) counts() []int64 {
	c := make([]int64, len(p.slots))
	for i := range p.slots {
		c[i] = p.slots[i].done.Load()
	}
	return c
}

// rows reads the counters now.
func (p *Progress) rows() []row { return p.rowsFrom(p.counts()) }

// rowsFrom reads the counters other than done, which c holds, into one row
// per slot (the other slot last). Failures and spend are read before c was,
// or after: a row may count a failure whose result c missed, so failed is
// capped at done.
func (p *Progress) rowsFrom(c []int64) []row {
	rows := make([]row, len(p.slots))
	for i := range p.slots {
		s := &p.slots[i]
		r := row{id: other, done: c[i], failed: min(s.failed.Load(), c[i]), costUSD: float64(s.pico.Load()) / 1e12}
		if i < len(p.ids) {
			r.id = p.labels[i]
			r.total = p.planned[i] - s.skipped.Load()
		}
		r.total = max(r.total, r.done)
		rows[i] = r
	}
	return rows
}

// clean replaces what a terminal would interpret (escapes, control
// characters) with '?', so an id cannot move the cursor.
func clean(id string) string {
	b := []rune(id)
	for i, r := range b {
		if !unicode.IsPrint(r) {
			b[i] = '?'
		}
	}
	return string(b)
}
