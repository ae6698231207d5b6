package runner

import (
	"errors"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestBodyBuffersBack: a body closed before its end (a stream, once its
// last event came) gives its buffers back, as one read to its end does;
// a Read after Close says so.
func TestBodyBuffersBack(t *testing.T) {
	t.Parallel()
	red := newRedactor(nil)
	b := newProviderBody(io.NopCloser(strings.NewReader("data: a\n\ndata: b\n\n")), 1<<20, red)
	buf := make([]byte, 4)
	if _, err := b.Read(buf); err != nil {
		t.Fatal(err)
	}
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
	if b.bufs != nil {
		t.Error("a closed body kept its buffers")
	}
	if _, err := b.Read(buf); !errors.Is(err, http.ErrBodyReadAfterClose) {
		t.Errorf("a Read after Close: %v", err)
	}

	whole := newProviderBody(io.NopCloser(strings.NewReader("data: a\n\n")), 1<<20, red)
	if got, err := io.ReadAll(whole); err != nil || string(got) != "data: a\n\n" {
		t.Fatalf("read %q, %v", got, err)
	}
	if whole.bufs != nil {
		t.Error("a body read to its end kept its buffers")
	}
}

// TestBodyCloseEndsBlockedRead: Close from another goroutine ends a Read
// waiting on the connection (it must not wait for the Read's lock), and
// the buffers go back when that Read returns. The Close comes only once
// the Read is inside the connection's Read, holding the lock.
func TestBodyCloseEndsBlockedRead(t *testing.T) {
	t.Parallel()
	pr, pw := io.Pipe()
	src := &enteredReader{r: pr, entered: make(chan struct{})}
	b := newProviderBody(struct {
		io.Reader
		io.Closer
	}{src, pr}, 1<<20, newRedactor(nil))
	done := make(chan error, 1)
	go func() {
		_, err := b.Read(make([]byte, 8))
		done <- err
	}()
	<-src.entered
	closed := make(chan struct{})
	go func() { _ = b.Close(); close(closed) }()
	select {
	case <-closed:
	case <-time.After(5 * time.Second):
		t.Fatal("Close waited for the blocked Read")
	}
	select {
	case err := <-done:
		if err == nil {
			t.Error("the blocked Read returned no error")
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Close did not end the blocked Read")
	}
	_ = pw.Close()
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.bufs != nil {
		t.Error("the buffers did not go back after the blocked Read")
	}
}

// enteredReader closes entered when its first Read begins.
type enteredReader struct {
	r       io.Reader
	entered chan struct{}
	once    sync.Once
}

func (e *enteredReader) Read(p []byte) (int, error) {
	e.once.Do(func() { close(e.entered) })
	return e.r.Read(p)
}

// TestAppendLines drops exactly the blank lines of an event stream, in
// whatever pieces it comes: every split of each input gives the same
// bytes as the whole.
func TestAppendLines(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"data: a\n\ndata: b\n\n":           "data: a\ndata: b\n",
		"\n\r\ndata: a\r\n\r\n\r\ndata: b": "data: a\r\ndata: b",
		"data: x\n \n: comment\n\n":        "data: x\n \n: comment\n",
		"":                                 "",
		"no newline":                       "no newline",
	} {
		for cut := 0; cut <= len(in); cut++ {
			got, mid := appendLines(nil, []byte(in[:cut]), false)
			got, _ = appendLines(got, []byte(in[cut:]), mid)
			// A "\r\n" blank line split between its two bytes may pass
			// on; nothing else may differ.
			if string(got) != want && !(cut > 0 && in[cut-1] == '\r') {
				t.Errorf("%q cut at %d: %q, want %q", in, cut, got, want)
			}
		}
	}
}
