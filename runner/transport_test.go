package runner_test

import (
	"context"
	"crypto/tls"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/parity-eval/parity/fixtures"
	"github.com/parity-eval/parity/runner"
)

// countedServer serves h on loopback, counting the connections it
// accepts; closed receives one value each time one of them closes.
func countedServer(t *testing.T, h http.Handler) (hs *httptest.Server, conns *fixtures.Conns, closed <-chan struct{}) {
	t.Helper()
	conns = &fixtures.Conns{}
	ch := make(chan struct{}, 1024)
	hs = httptest.NewUnstartedServer(h)
	hs.Config.ConnState = func(c net.Conn, s http.ConnState) {
		conns.ConnState(c, s)
		if s == http.StateClosed || s == http.StateHijacked {
			select {
			case ch <- struct{}{}:
			default: // the waiter has wake-ups pending
			}
		}
	}
	hs.Start()
	t.Cleanup(hs.Close)
	return hs, conns, ch
}

// TestConnectionsPerProvider checks each provider's workers share one
// pool of kept-alive connections: 400 requests to each of two providers
// of concurrency 8 open at most 8 connections each, and the run closes
// them when it ends. (http.DefaultTransport keeps 2 idle connections a
// host, so 8 workers churned through hundreds.)
func TestConnectionsPerProvider(t *testing.T) {
	t.Parallel()
	ss := loadSuites(t)
	prof := func(id string) fixtures.Profile {
		return fixtures.Profile{ID: id, Quality: map[string]float64{fixtures.AnyTag: 1}}
	}
	srv := fixtures.New(fixtures.UseOracle(fixtures.OracleFrom(ss)), fixtures.Keep(0),
		fixtures.Profiles(prof("sim-frontier"), prof("b")))
	// One server per provider, the same simulation behind both, so each
	// connection is known to be one provider's.
	ha, ca, closedA := countedServer(t, srv)
	hb, cb, closedB := countedServer(t, srv)
	cfg := loadConfig(t, "", `  - {id: sim-frontier, base_url: `+ha.URL+`/sim-frontier/v1, model: m, limits: {concurrency: 8}, capabilities: [streaming]}
  - {id: b, base_url: `+hb.URL+`/b/v1, model: m, limits: {concurrency: 8}, capabilities: [streaming]}
`)
	results := collect(runner.New(cfg, runner.Repeat(100)).Run(context.Background(), ss))
	if len(results) != 800 {
		t.Fatalf("%d results, want 800 (4 cases x 100 repeats x 2 providers)", len(results))
	}
	for _, r := range results {
		if r.Failed() {
			t.Fatalf("%s/%s failed: %s %s", r.Provider.ID, r.Case.ID, r.ErrorClass, r.Error)
		}
	}
	for _, c := range []struct {
		provider string
		conns    *fixtures.Conns
		closed   <-chan struct{}
	}{{"sim-frontier", ca, closedA}, {"b", cb, closedB}} {
		// At most its concurrency open at once: MaxConnsPerHost's promise.
		// Opened over the run may pass it by a connection or two on a
		// starved machine (Go drops a connection whose request write was
		// not confirmed before its answer, and dials again; seen in the
		// benchmark at 33-34 of 32 under load 9), never by the hundreds
		// churn opens (the old client: 109 and 125 here).
		if p := c.conns.Peak(); p < 1 || p > 8 {
			t.Errorf("%s: %d connections open at once, want 1 to 8 (its concurrency)", c.provider, p)
		}
		if n := c.conns.Opened(); n > 8+2 {
			t.Errorf("%s: %d connections opened for 400 requests, want at most its concurrency 8 (+2 for a starved machine)", c.provider, n)
		}
		waitClosed(t, c.provider, c.conns, c.closed)
	}
}

// waitClosed waits until every connection conns counted has closed: the
// run closes its idle connections as it ends.
func waitClosed(t *testing.T, provider string, conns *fixtures.Conns, closed <-chan struct{}) {
	t.Helper()
	timeout := time.After(10 * time.Second)
	for conns.Open() > 0 {
		select {
		case <-closed:
		case <-timeout:
			t.Errorf("%s: %d of %d connections still open after the run ended", provider, conns.Open(), conns.Opened())
			return
		}
	}
}

// TestStreamHeldOpen checks a provider that sends "data: [DONE]" and then
// holds its answer open costs the runner no more than the short wait for
// the answer's end: each result arrives whole, long before the endpoint's
// timeout.
func TestStreamHeldOpen(t *testing.T) {
	t.Parallel()
	release := make(chan struct{})
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/event-stream")
		fmt.Fprint(w, `data: {"id":"x","object":"chat.completion.chunk","model":"m","choices":[{"index":0,"delta":{"content":"billing"},"finish_reason":"stop"}]}`+"\n\n")
		fmt.Fprint(w, "data: [DONE]\n\n")
		w.(http.Flusher).Flush()
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	t.Cleanup(hs.Close)
	t.Cleanup(func() { close(release) })
	cfg := loadConfig(t, hs.URL, `  - {id: sim-frontier, base_url: URL/v1, model: m, timeout: 1m, capabilities: [streaming]}
`)
	start := time.Now()
	results := collect(runner.New(cfg).Run(context.Background(), loadSuites(t)))
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("4 answers took %v: closing each waited for its end", d)
	}
	for _, r := range results {
		if r.Failed() || r.Output != "billing" {
			t.Errorf("%s: %q, %s %s", r.Case.ID, r.Output, r.ErrorClass, r.Error)
		}
	}
}

// TestTransportHTTP2 checks the transport speaks HTTP/2 to a TLS endpoint
// that offers it (ALPN), and HTTP/1.1 to one that does not, keeping the
// connection alive either way.
func TestTransportHTTP2(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name  string
		h2    bool
		proto int
	}{
		// The endpoint offers h2: one multiplexed connection.
		{"h2", true, 2},
		// It offers only http/1.1: kept-alive HTTP/1.1.
		{"http1", false, 1},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			var conns fixtures.Conns
			hs := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				_, _ = io.WriteString(w, r.Proto)
			}))
			hs.EnableHTTP2 = c.h2
			hs.Config.ConnState = conns.ConnState
			hs.StartTLS()
			t.Cleanup(hs.Close)
			tr := runner.NewTransport(4)
			tr.TLSClientConfig = &tls.Config{RootCAs: hs.Client().Transport.(*http.Transport).TLSClientConfig.RootCAs}
			t.Cleanup(tr.CloseIdleConnections)
			client := &http.Client{Transport: tr}
			for range 20 {
				resp, err := client.Get(hs.URL)
				if err != nil {
					t.Fatal(err)
				}
				_, _ = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.ProtoMajor != c.proto {
					t.Fatalf("answered over %s, want HTTP/%d", resp.Proto, c.proto)
				}
			}
			if n := conns.Opened(); n != 1 {
				t.Errorf("%d connections for 20 requests in turn, want 1", n)
			}
		})
	}
}

// TestTransportLimits checks the pool is sized to the provider's
// concurrency and that nothing on the transport cuts a long answer: the
// request's context bounds it.
func TestTransportLimits(t *testing.T) {
	t.Parallel()
	tr := runner.NewTransport(32)
	if tr.MaxConnsPerHost != 32 || tr.MaxIdleConnsPerHost != 32 || tr.MaxIdleConns != 32 {
		t.Errorf("pool: %d connections, %d idle per host, %d idle; want 32 each", tr.MaxConnsPerHost, tr.MaxIdleConnsPerHost, tr.MaxIdleConns)
	}
	if !tr.ForceAttemptHTTP2 || tr.DisableKeepAlives || tr.DisableCompression {
		t.Errorf("HTTP/2 %v, keep-alives off %v, compression off %v", tr.ForceAttemptHTTP2, tr.DisableKeepAlives, tr.DisableCompression)
	}
	if tr.ResponseHeaderTimeout != 0 {
		t.Errorf("ResponseHeaderTimeout %v would cut an unstreamed answer", tr.ResponseHeaderTimeout)
	}
	if tr.IdleConnTimeout <= 0 || tr.TLSHandshakeTimeout <= 0 || tr.ExpectContinueTimeout <= 0 {
		t.Errorf("timeouts: idle %v, TLS %v, expect-continue %v", tr.IdleConnTimeout, tr.TLSHandshakeTimeout, tr.ExpectContinueTimeout)
	}
	if n := runner.NewTransport(0).MaxConnsPerHost; n != 1 {
		t.Errorf("concurrency 0: %d connections, want 1", n)
	}
}
