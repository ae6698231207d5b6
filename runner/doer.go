package runner

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"mime"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/parity-eval/parity/suites"
)

// doer is the HTTP layer under go-openai. It adds the endpoint's static
// headers and the request's metadata headers, and writes the request
// parameters the suite set into the JSON body exactly as written:
// go-openai's omitempty tags drop `temperature: 0`, `top_p: 0` and
// `max_tokens: 0`, which would silently send a different request.
//
// It is also where provider bytes enter parity: every response body is
// read through a providerBody, bounded by limit and with credentials
// redacted, and so are the status line and transport errors.
type doer struct {
	client  *http.Client
	headers map[string]string
	// limit bounds a response body, in bytes after decompression.
	limit int64
	// secrets are the configured credentials red redacts.
	secrets []string
	red     *redactor
}

type requestOptionsKey struct{}

type requestOptions struct {
	headers map[string]string
	params  suites.Request
	// seen receives what the response said beyond its body.
	seen *responseMeta
}

// responseMeta is what go-openai's errors do not carry: the Retry-After a
// 429 or 503 asked for.
type responseMeta struct {
	retryAfter time.Duration
	// answered is when the response's headers (or the failure) came
	// back: the latest the provider can have received the request.
	answered time.Time
}

func withRequestOptions(ctx context.Context, headers map[string]string, params suites.Request, seen *responseMeta) context.Context {
	return context.WithValue(ctx, requestOptionsKey{}, requestOptions{headers: headers, params: params, seen: seen})
}

// Do sends req with headers and exact parameters applied.
func (d *doer) Do(req *http.Request) (*http.Response, error) {
	for k, v := range d.headers {
		req.Header.Set(k, v)
	}
	opts, ok := req.Context().Value(requestOptionsKey{}).(requestOptions)
	if ok {
		for k, v := range opts.headers {
			req.Header.Set(k, v)
		}
		if err := exactParams(req, opts.params); err != nil {
			return nil, err
		}
	}
	resp, err := d.client.Do(req)
	if opts.seen != nil {
		opts.seen.answered = time.Now()
	}
	red := d.redactorFor(req.Header)
	if err != nil {
		return nil, red.redactErr(err)
	}
	if opts.seen != nil {
		opts.seen.retryAfter = parseRetryAfter(resp.Header.Get("Retry-After"), time.Now())
	}
	resp.Status = red.redactText(resp.Status)
	body := newProviderBody(resp.Body, d.limit, red)
	body.events = isEventStream(resp.Header.Get("Content-Type"))
	resp.Body = body
	if resp.ContentLength > d.limit {
		// Refused before a byte is read.
		resp.Body.(*providerBody).refuse()
	}
	return resp, nil
}

// isEventStream reports whether a Content-Type is text/event-stream, in
// any case and with any parameters.
func isEventStream(contentType string) bool {
	mt, err := mediaType(contentType)
	return err == nil && mt == "text/event-stream"
}

// mediaType is mime.ParseMediaType's media type of a Content-Type (with
// its error), without parsing (which allocates) the types providers send
// bare.
func mediaType(contentType string) (string, error) {
	switch contentType {
	case "text/event-stream", "application/json":
		return contentType, nil
	}
	mt, _, err := mime.ParseMediaType(contentType)
	return mt, err
}

// redactorFor returns the redactor of a request with header h: d's, or
// one that also knows credentials h carries that the config did not name.
// Almost every request carries only the configured key: then it
// allocates nothing.
func (d *doer) redactorFor(h http.Header) *redactor {
	var extra []string
	for _, name := range secretHeaders {
		for _, v := range h.Values(name) {
			// The Authorization, Api-Key and X-Api-Key values, and the
			// token of a "Bearer <token>" or "Basic <token>" on its own.
			extra = d.unknown(extra, v)
			if _, tok, ok := strings.Cut(v, " "); ok {
				extra = d.unknown(extra, strings.TrimSpace(tok))
			}
		}
	}
	if len(extra) == 0 {
		return d.red
	}
	return newRedactor(append(slices.Clone(d.secrets), extra...))
}

// unknown appends v to extra unless d's secrets name it, whole or its
// token after a scheme.
func (d *doer) unknown(extra []string, v string) []string {
	_, tok, _ := strings.Cut(v, " ")
	if slices.Contains(d.secrets, v) || slices.Contains(d.secrets, strings.TrimSpace(tok)) {
		return extra
	}
	return append(extra, v)
}

// parseRetryAfter reads delay-seconds or an HTTP date; 0 when absent or bad.
func parseRetryAfter(v string, now time.Time) time.Duration {
	if v == "" {
		return 0
	}
	if secs, err := strconv.ParseFloat(v, 64); err == nil && secs > 0 {
		return time.Duration(secs * float64(time.Second))
	}
	if t, err := http.ParseTime(v); err == nil && t.After(now) {
		return t.Sub(now)
	}
	return 0
}

// exactParams writes the set parameters into the request's JSON body,
// zero included (see spliceParams).
func exactParams(req *http.Request, p suites.Request) error {
	if !hasExactParams(p) || req.Body == nil {
		return nil
	}
	// go-openai's body is read into a pooled buffer: spliceParams copies
	// it into the body sent.
	buf := requestBufs.Get().(*bytes.Buffer)
	defer putRequestBuf(buf)
	_, err := buf.ReadFrom(req.Body)
	req.Body.Close()
	if err != nil {
		return fmt.Errorf("read request body: %w", err)
	}
	raw, err := spliceParams(buf.Bytes(), p)
	if err != nil {
		return err
	}
	req.Body = io.NopCloser(bytes.NewReader(raw))
	// net/http writes Content-Length from ContentLength (a header of that
	// name it ignores).
	req.ContentLength = int64(len(raw))
	req.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(raw)), nil }
	return nil
}

// requestBufs holds the buffers exactParams reads request bodies into.
var requestBufs = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// putRequestBuf gives buf back, unless a long body grew it past keptBuf.
func putRequestBuf(buf *bytes.Buffer) {
	if buf.Cap() <= keptBuf {
		buf.Reset()
		requestBufs.Put(buf)
	}
}

// spliceParams writes the set parameters at the front of go-openai's
// JSON object, as patchBody writes their values. Request never sets
// them, so go-openai's body holds none of them: the result is the object
// patchBody gives, with its keys in another order, without decoding and
// encoding the whole body again (the messages may be megabytes).
func spliceParams(raw []byte, p suites.Request) ([]byte, error) {
	i := bytes.IndexByte(raw, '{')
	if i < 0 || len(bytes.TrimSpace(raw[:i])) > 0 {
		return nil, fmt.Errorf("request body is not a JSON object")
	}
	out := make([]byte, 0, len(raw)+64)
	out = appendExact(append(out, raw[:i+1]...), p)
	rest := raw[i+1:]
	if len(bytes.TrimSpace(rest)) > 0 && bytes.TrimSpace(rest)[0] == '}' {
		out = out[:len(out)-1] // an empty object: no comma before its end
	}
	return append(out, rest...), nil
}

// exactValue is a parameter's key and its JSON value.
type exactValue struct{ key, value string }

// exactValues are the set parameters of p, in key order, each value as
// encoding/json writes it (numbers always encode).
func exactValues(p suites.Request) []exactValue {
	var out []exactValue
	if p.MaxTokens != nil {
		out = append(out, exactValue{"max_tokens", strconv.Itoa(*p.MaxTokens)})
	}
	if p.Temperature != nil {
		out = append(out, exactValue{"temperature", string(appendJSONFloat(nil, *p.Temperature))})
	}
	if p.TopP != nil {
		out = append(out, exactValue{"top_p", string(appendJSONFloat(nil, *p.TopP))})
	}
	return out
}

// appendExact appends `"key":value,` for each of exactValues(p) to dst,
// in the same order, allocating nothing but dst's growth: spliceParams
// runs on every request.
func appendExact(dst []byte, p suites.Request) []byte {
	if p.MaxTokens != nil {
		dst = append(strconv.AppendInt(append(dst, `"max_tokens":`...), int64(*p.MaxTokens), 10), ',')
	}
	if p.Temperature != nil {
		dst = append(appendJSONFloat(append(dst, `"temperature":`...), *p.Temperature), ',')
	}
	if p.TopP != nil {
		dst = append(appendJSONFloat(append(dst, `"top_p":`...), *p.TopP), ',')
	}
	return dst
}

// appendJSONFloat appends f as encoding/json encodes a float64: the
// shortest decimal that reads back as f, in exponent form below 1e-6 and
// from 1e21, with a one-digit negative exponent unpadded (1e-7, not
// 1e-07). NaN and the infinities append nothing, as json.Marshal, which
// refuses them, gave.
func appendJSONFloat(dst []byte, f float64) []byte {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return dst
	}
	format := byte('f')
	if abs := math.Abs(f); abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	dst = strconv.AppendFloat(dst, f, format, -1, 64)
	if n := len(dst); format == 'e' && n >= 4 && dst[n-4] == 'e' && dst[n-3] == '-' && dst[n-2] == '0' {
		dst[n-2] = dst[n-1]
		dst = dst[:n-1]
	}
	return dst
}

func hasExactParams(p suites.Request) bool {
	return p.Temperature != nil || p.TopP != nil || p.MaxTokens != nil
}

// patchBody sets the parameters go-openai may drop in a JSON body, in
// canonical form: decoded and encoded again, keys sorted. It is the
// cache's key (stable across versions of go-openai's field order); the
// wire carries spliceParams' equal object.
func patchBody(raw []byte, p suites.Request) ([]byte, error) {
	if !hasExactParams(p) {
		return raw, nil
	}
	var body map[string]json.RawMessage
	if err := json.Unmarshal(raw, &body); err != nil {
		return nil, fmt.Errorf("request body is not a JSON object: %w", err)
	}
	for _, kv := range exactValues(p) {
		body[kv.key] = json.RawMessage(kv.value)
	}
	out, err := json.Marshal(body)
	if err != nil {
		return nil, fmt.Errorf("encode request body: %w", err)
	}
	return out, nil
}
