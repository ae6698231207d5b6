package runner

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http"
	"slices"
	"strconv"
	"strings"
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
	resp.Status = red.redactString(resp.Status)
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
	mt, _, err := mime.ParseMediaType(contentType)
	return err == nil && mt == "text/event-stream"
}

// redactorFor returns the redactor of a request with header h: d's, or
// one that also knows credentials h carries that the config did not name.
func (d *doer) redactorFor(h http.Header) *redactor {
	var extra []string
	for _, v := range requestSecrets(h) {
		_, tok, _ := strings.Cut(v, " ")
		if !slices.Contains(d.secrets, v) && !slices.Contains(d.secrets, strings.TrimSpace(tok)) {
			extra = append(extra, v)
		}
	}
	if len(extra) == 0 {
		return d.red
	}
	return newRedactor(append(slices.Clone(d.secrets), extra...))
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
	raw, err := io.ReadAll(req.Body)
	req.Body.Close()
	if err != nil {
		return fmt.Errorf("read request body: %w", err)
	}
	if raw, err = spliceParams(raw, p); err != nil {
		return err
	}
	req.Body = io.NopCloser(bytes.NewReader(raw))
	req.ContentLength = int64(len(raw))
	req.Header.Set("Content-Length", strconv.Itoa(len(raw)))
	req.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(raw)), nil }
	return nil
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
	out = append(out, raw[:i+1]...)
	for _, kv := range exactValues(p) {
		out = append(append(append(append(out, '"'), kv.key...), `":`...), kv.value...)
		out = append(out, ',')
	}
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
	add := func(k string, v any) {
		b, _ := json.Marshal(v)
		out = append(out, exactValue{k, string(b)})
	}
	if p.MaxTokens != nil {
		add("max_tokens", *p.MaxTokens)
	}
	if p.Temperature != nil {
		add("temperature", *p.Temperature)
	}
	if p.TopP != nil {
		add("top_p", *p.TopP)
	}
	return out
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
