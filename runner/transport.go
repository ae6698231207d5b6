package runner

import (
	"io"
	"net"
	"net/http"
	"sync/atomic"
	"time"
)

// The timeouts of NewTransport. None of them bounds a request once it is
// sent: the endpoint's timeout does, through the request's context, so a
// long stream is never cut by the transport.
const (
	// DialTimeout bounds opening a TCP connection.
	DialTimeout = 30 * time.Second
	// TCPKeepAlive is the interval of TCP keep-alive probes on an open
	// connection, which find a peer that vanished without closing it.
	TCPKeepAlive = 30 * time.Second
	// TLSHandshakeTimeout bounds a new connection's TLS handshake.
	TLSHandshakeTimeout = 10 * time.Second
	// IdleConnTimeout is how long a kept-alive connection waits in the
	// pool for the next request before it is closed.
	IdleConnTimeout = 90 * time.Second
	// ExpectContinueTimeout is how long a request with
	// "Expect: 100-continue" waits before sending its body anyway.
	ExpectContinueTimeout = time.Second
	// HTTP2PingAfter is how long an HTTP/2 connection may stay silent
	// before it is pinged; one that does not answer within HTTP2PingTimeout
	// is closed, and its requests fail rather than hang.
	HTTP2PingAfter   = 30 * time.Second
	HTTP2PingTimeout = 15 * time.Second
)

// NewTransport returns the HTTP transport Run gives a provider whose
// limits allow concurrency requests in flight (at least 1), shared by all
// its workers (with each answer read to its end, see drainBytes):
//
//   - connections are kept alive and pooled: up to concurrency of them,
//     all of which may wait idle between requests, so a run opens at most
//     concurrency connections to the provider instead of dialing (and, over
//     TLS, handshaking) for most requests, as http.DefaultTransport's 2 idle
//     connections a host would;
//   - HTTP/2 is used when the endpoint offers it in the TLS handshake
//     (ALPN), HTTP/1.1 otherwise;
//   - answers may come gzip-compressed and are decompressed as they are
//     read, where the runner's bounded reader counts the bytes
//     (MaxResponseBytes), so a compressed bomb is never inflated past it;
//   - it uses the environment's proxy (HTTPS_PROXY, NO_PROXY), as
//     http.DefaultTransport does;
//   - dialing, TLS handshakes and idle connections have timeouts (see the
//     constants), but waiting for an answer's headers has none: an
//     unstreamed answer's come only once it is generated, which can take
//     minutes. The request's context bounds it.
func NewTransport(concurrency int) *http.Transport {
	n := max(concurrency, 1)
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.DialContext = (&net.Dialer{Timeout: DialTimeout, KeepAlive: TCPKeepAlive}).DialContext
	t.MaxConnsPerHost = n
	t.MaxIdleConnsPerHost = n
	// The provider's host is the transport's only one.
	t.MaxIdleConns = n
	t.IdleConnTimeout = IdleConnTimeout
	t.TLSHandshakeTimeout = TLSHandshakeTimeout
	t.ExpectContinueTimeout = ExpectContinueTimeout
	t.ResponseHeaderTimeout = 0
	t.DisableKeepAlives = false
	t.DisableCompression = false
	t.ForceAttemptHTTP2 = true
	t.HTTP2 = &http.HTTP2Config{SendPingTimeout: HTTP2PingAfter, PingTimeout: HTTP2PingTimeout}
	return t
}

// How a provider's client finishes an answer its reader stopped short of
// the end: go-openai stops at "data: [DONE]" and closes the body, often
// before the chunked encoding's last 5 bytes have arrived, and an HTTP/1.1
// connection closed before its answer's end cannot be reused. So Close
// first reads up to drainBytes more, for at most drainWait; an answer with
// more left than that (one over MaxResponseBytes) still closes its
// connection.
const (
	drainBytes = 4 << 10
	drainWait  = 250 * time.Millisecond
)

// reuse is the RoundTripper of a provider's client: t, with every answer's
// body a drainBody.
type reuse struct{ t *http.Transport }

var _ http.RoundTripper = reuse{}

// RoundTrip sends req through t.
func (r reuse) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := r.t.RoundTrip(req)
	if err == nil && resp.Body != nil && resp.Body != http.NoBody {
		resp.Body = &drainBody{src: resp.Body}
	}
	return resp, err
}

// drainBody is an answer's body that Close reads to its end when little
// of it is left (see drainBytes), so its connection goes back to the pool.
type drainBody struct {
	src io.ReadCloser
	// reading counts Reads under way: a Close that comes from another
	// goroutine to cut one short closes at once.
	reading atomic.Int32
	// ended is set once a Read failed or reached the end.
	ended atomic.Bool
}

func (b *drainBody) Read(p []byte) (int, error) {
	b.reading.Add(1)
	defer b.reading.Add(-1)
	n, err := b.src.Read(p)
	if err != nil {
		b.ended.Store(true)
	}
	return n, err
}

// Close reads what is left, up to drainBytes and for at most drainWait,
// then closes the body.
func (b *drainBody) Close() error {
	if b.reading.Load() == 0 && !b.ended.Swap(true) {
		// Closing the body from the timer ends a read that waits.
		stop := time.AfterFunc(drainWait, func() { _ = b.src.Close() })
		_, _ = io.CopyN(io.Discard, b.src, drainBytes)
		stop.Stop()
	}
	return b.src.Close()
}
