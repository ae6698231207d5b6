package runner

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sync"
	"sync/atomic"
)

// TooLargeError is an answer longer than the provider's
// limits.max_response_bytes, counted after decompression. What came after
// the limit was not read: the connection was closed.
type TooLargeError struct {
	// Limit is the bound that was passed, in bytes.
	Limit int64
}

func (e *TooLargeError) Error() string {
	return fmt.Sprintf("the answer is over limits.max_response_bytes (%d bytes after decompression): the rest was discarded and the connection closed", e.Limit)
}

// How providerBody reads.
const (
	// readChunk is how much it asks of the connection at once.
	readChunk = 32 << 10
	// holdLine is how much of a line without a newline it holds back
	// before passing some on: a JSON answer is one long line.
	holdLine = 64 << 10
	// overlap is what it keeps of such a line, so a credential split
	// across two reads is still found whole.
	overlap = 4 << 10
	// holdMax bounds what it holds back, even inside one unbroken
	// credential-shaped run.
	holdMax = 1 << 20
)

// providerBody is a response body as the rest of parity sees it: at most
// limit bytes (counted as they arrive, after the transport's gzip
// decompression, so a compressed bomb is never inflated past it), with
// every credential replaced by Redacted. It passes on whole lines: no
// credential spans a newline, so a streamed event is never held back.
type providerBody struct {
	src   io.ReadCloser
	limit int64
	read  int64
	red   *redactor
	// mu is held by Read; Close gives the buffers back only when it can
	// take mu at once (it must not wait for a Read it is there to end),
	// else Read does as it returns.
	mu     sync.Mutex
	closed atomic.Bool
	// events is set on an event stream: its blank lines are dropped
	// (events are one data line each for go-openai, which runs three
	// regexps on every line, blank ones included); midLine says the last
	// byte passed on was not a newline.
	events, midLine bool
	bufs            *bodyBufs // from bodyPool; nil once the body ended or closed
	out             []byte    // redacted, not yet returned: a suffix of bufs.out
	err             error     // returned once out is drained
}

// bodyBufs are a providerBody's buffers: what one read of src got, what
// was read and not yet redacted (the last, unfinished line), and the
// redacted bytes out returns.
type bodyBufs struct{ read, pending, out []byte }

// keptBuf bounds the pending and redacted buffers bodyPool keeps: a body
// of long lines may grow them to holdMax, which the next one need not.
const keptBuf = 256 << 10

// bodyPool holds bodyBufs between responses: a run reads hundreds of
// thousands of bodies, and fresh buffers for each were most of what the
// pipeline allocated.
var bodyPool = sync.Pool{New: func() any { return &bodyBufs{read: make([]byte, readChunk)} }}

func newProviderBody(src io.ReadCloser, limit int64, red *redactor) *providerBody {
	return &providerBody{src: src, limit: limit, red: red, bufs: bodyPool.Get().(*bodyBufs)}
}

// refuse ends the body before it is read: its Content-Length is over the
// limit.
func (b *providerBody) refuse() {
	b.err = &TooLargeError{Limit: b.limit}
	_ = b.src.Close()
}

// Read returns redacted bytes; a *TooLargeError once the limit is passed.
func (b *providerBody) Read(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for len(b.out) == 0 && b.err == nil && b.bufs != nil {
		b.fill()
	}
	if len(b.out) == 0 {
		b.release()
		if b.err == nil {
			b.err = http.ErrBodyReadAfterClose
		}
		return 0, b.err
	}
	n := copy(p, b.out)
	b.out = b.out[n:]
	if b.closed.Load() {
		b.release()
	}
	return n, nil
}

// Close closes the connection's body, and gives the buffers back unless
// a Read is under way (a Close may come from another goroutine to end
// it). A stream is closed, not read to its end, once its last event has
// come: the buffers go back here.
func (b *providerBody) Close() error {
	err := b.src.Close()
	b.closed.Store(true)
	if b.mu.TryLock() {
		b.release()
		b.mu.Unlock()
	}
	return err
}

// release gives the buffers back: the body has ended or is closed. The
// caller holds mu.
func (b *providerBody) release() {
	if bufs := b.bufs; bufs != nil {
		b.bufs, b.out = nil, nil
		bufs.pending, bufs.out = bufs.pending[:0], bufs.out[:0]
		if cap(bufs.pending) > keptBuf || cap(bufs.out) > keptBuf {
			bufs.pending, bufs.out = nil, nil
		}
		bodyPool.Put(bufs)
	}
}

// fill reads once from src and moves what can be passed on to out.
func (b *providerBody) fill() {
	n, err := b.src.Read(b.bufs.read)
	b.read += int64(n)
	if b.read > b.limit {
		// Nothing more is read; the rest of the answer is dropped.
		b.bufs.pending = b.bufs.pending[:0]
		b.refuse()
		return
	}
	b.bufs.pending = append(b.bufs.pending, b.bufs.read[:n]...)
	if err != nil {
		b.emit(len(b.bufs.pending))
		if !errors.Is(err, io.EOF) {
			err = b.red.redactErr(err)
		}
		b.err = err
		return
	}
	b.emit(b.cut())
}

// emit redacts pending[:n] into out and keeps the rest pending.
func (b *providerBody) emit(n int) {
	if n == 0 {
		return
	}
	bufs := b.bufs
	if b.events {
		bufs.out, b.midLine = appendLines(bufs.out[:0], b.red.redact(bufs.pending[:n]), b.midLine)
	} else {
		bufs.out = append(bufs.out[:0], b.red.redact(bufs.pending[:n])...)
	}
	b.out = bufs.out
	bufs.pending = append(bufs.pending[:0], bufs.pending[n:]...)
}

// appendLines appends src to dst without its blank lines ("\n" or
// "\r\n" alone on a line); midLine says whether src begins inside a
// line, and the result whether it ends inside one.
func appendLines(dst, src []byte, midLine bool) ([]byte, bool) {
	for len(src) > 0 {
		if !midLine {
			if src[0] == '\n' {
				src = src[1:]
				continue
			}
			if len(src) > 1 && src[0] == '\r' && src[1] == '\n' {
				src = src[2:]
				continue
			}
		}
		i := bytes.IndexByte(src, '\n')
		if i < 0 {
			return append(dst, src...), true
		}
		dst, src, midLine = append(dst, src[:i+1]...), src[i+1:], false
	}
	return dst, midLine
}

// cut is how much of pending can be redacted and passed on now: up to its
// last newline; of a long line, all but the last overlap bytes, and never
// inside a credential that may go on.
func (b *providerBody) cut() int {
	if i := bytes.LastIndexByte(b.bufs.pending, '\n'); i >= 0 {
		return i + 1
	}
	if len(b.bufs.pending) < holdLine {
		return 0
	}
	cut := b.red.before(b.bufs.pending, len(b.bufs.pending)-overlap)
	if cut == 0 && len(b.bufs.pending) >= holdMax {
		return len(b.bufs.pending)
	}
	return cut
}
