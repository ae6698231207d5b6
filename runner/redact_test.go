package runner

import (
	"bytes"
	"compress/gzip"
	"errors"
	"io"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/parity-eval/parity/suites"
)

// testKey is a configured key no credential shape matches: only the
// literal finds it.
const testKey = "parity-test-key-qwertyuiop"

// TestRedact checks what is replaced and what is left alone.
func TestRedact(t *testing.T) {
	t.Parallel()
	r := newRedactor([]string{testKey, "short"})
	for _, tc := range []struct{ name, in, want string }{
		// The configured key, anywhere.
		{"literal", "bad key " + testKey + "!", "bad key [redacted]!"},
		// A Bearer token: the scheme stays.
		{"bearer", "Authorization: Bearer abcDEF0123456789xyz", "Authorization: Bearer [redacted]"},
		// The value of a credential header, echoed as JSON.
		{"json header", `{"x-api-key": "azure0key0value"}`, `{"x-api-key": "[redacted]"}`},
		{"api-key", "api-key=Zz9yyyyyyyy;", "api-key=[redacted];"},
		// Provider-shaped keys, not configured.
		{"openai", "use sk-proj-ABCDEFGHIJKLMNOPQRSTUVWX now", "use [redacted] now"},
		{"anthropic", "sk-ant-api03-AAAAAAAAAAAAAAAAAAAAAAAA", "[redacted]"},
		{"google", "AIzaSyA1234567890abcdefghijklmnopqrstuv", "[redacted]"},
		// Words after "bearer" are not tokens; nor are short values.
		{"prose", "the bearer of this certificates-and-bonds note", "the bearer of this certificates-and-bonds note"},
		{"short key", "a short answer", "a short answer"},
		{"risk", "ask-me-anything about the task-force", "ask-me-anything about the task-force"},
		// Redacting twice changes nothing more.
		{"idempotent", "Authorization: Bearer [redacted]", "Authorization: Bearer [redacted]"},
	} {
		if got := r.redactString(tc.in); got != tc.want {
			t.Errorf("%s: redact(%q) = %q, want %q", tc.name, tc.in, got, tc.want)
		}
	}
	// PHP's json_encode writes / as \/.
	if got := newRedactor([]string{"abc/defgh12345"}).redactString(`{"k":"abc\/defgh12345"}`); got != `{"k":"[redacted]"}` {
		t.Errorf("escaped slash: %q", got)
	}
}

// TestProviderBodySplit checks a key is found however the body arrives:
// one byte at a time, inside a line longer than holdLine, and across its
// pieces.
func TestProviderBodySplit(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("a", holdLine+overlap/2-5) + " " + testKey + " " + strings.Repeat("b", 3*holdLine)
	for _, tc := range []struct {
		name string
		body string
		src  func(io.Reader) io.Reader
	}{
		// SSE events, read a byte at a time.
		{"one byte", "data: {\"content\":\"" + testKey + "\"}\n\ndata: [DONE]\n\n", iotest.OneByteReader},
		// One JSON line, longer than what is held back, read in halves.
		{"long line", long, iotest.HalfReader},
		{"long line whole", long, func(r io.Reader) io.Reader { return r }},
	} {
		b := newProviderBody(io.NopCloser(tc.src(strings.NewReader(tc.body))), 1<<30, newRedactor([]string{testKey}))
		got, err := io.ReadAll(b)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		want := strings.ReplaceAll(tc.body, testKey, Redacted)
		if string(got) != want {
			t.Errorf("%s: got %d bytes, key kept: %v", tc.name, len(got), bytes.Contains(got, []byte(testKey)))
		}
	}
}

// TestProviderBodyLines checks a finished line is passed on at once: a
// stream's events are not held back waiting for more.
func TestProviderBodyLines(t *testing.T) {
	t.Parallel()
	pr, pw := io.Pipe()
	b := newProviderBody(pr, 1<<20, newRedactor(nil))
	go func() { _, _ = pw.Write([]byte("data: {}\n\n")) }() // then nothing, until closed
	buf := make([]byte, 64)
	n, err := b.Read(buf)
	if err != nil || string(buf[:n]) != "data: {}\n\n" {
		t.Fatalf("read %q, %v", buf[:n], err)
	}
	pw.Close()
}

// TestProviderBodyLimit checks the limit is counted after decompression
// and stops the reading there.
func TestProviderBodyLimit(t *testing.T) {
	t.Parallel()
	var zipped bytes.Buffer
	gz := gzip.NewWriter(&zipped)
	_, _ = gz.Write(bytes.Repeat([]byte("x"), 64<<20))
	gz.Close()
	zr, err := gzip.NewReader(&zipped)
	if err != nil {
		t.Fatal(err)
	}
	src := &countingReader{r: zr}
	b := newProviderBody(io.NopCloser(src), 1<<20, newRedactor(nil))
	n, err := io.Copy(io.Discard, b)
	var big *TooLargeError
	if !errors.As(err, &big) || big.Limit != 1<<20 {
		t.Fatalf("err %v, want a TooLargeError of 1 MiB", err)
	}
	if n > 1<<20 || src.n > 1<<20+readChunk {
		t.Errorf("passed on %d bytes and inflated %d: want at most the limit", n, src.n)
	}
	if c, _ := Classify(err); c != ClassTooLarge {
		t.Errorf("class %q, want too_large", c)
	}
}

type countingReader struct {
	r io.Reader
	n int
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += n
	return n, err
}

// TestBefore checks a cut never falls inside a credential, configured or
// shaped, that spans it.
func TestBefore(t *testing.T) {
	t.Parallel()
	r := newRedactor([]string{testKey})
	text := []byte("xx " + testKey + " yy Bearer abcdef0123456789abcdef zz")
	keyAt, bearerAt := 3, bytes.Index(text, []byte("Bearer"))
	for _, tc := range []struct{ at, want int }{
		{keyAt + 5, keyAt},             // inside the key
		{keyAt, keyAt},                 // at its start: nothing spans
		{bearerAt + 12, bearerAt},      // inside a Bearer token
		{len(text) - 1, len(text) - 1}, // past both
	} {
		if got := r.before(text, tc.at); got != tc.want {
			t.Errorf("before(%d) = %d, want %d", tc.at, got, tc.want)
		}
	}
}

// TestRedactText checks the second pass's string redaction agrees with
// redact, and that redactReply leaves the caller's tool calls alone.
func TestRedactText(t *testing.T) {
	t.Parallel()
	r := newRedactor([]string{testKey})
	for _, s := range []string{
		"",                        // nothing
		"a plain answer, basic",   // an anchor, no credential
		"the key is " + testKey,   // configured
		"BEARER abcdefgh12345678", // a shape, in another case
		"x sk-abcdefghijklmnopqrstuvwx y",
	} {
		if got, want := r.redactText(s), r.redactString(s); got != want {
			t.Errorf("redactText(%q) = %q, want %q", s, got, want)
		}
	}
	calls := []ToolCall{{Name: "f", Arguments: `{"k":"` + testKey + `"}`}, {Name: "g", Arguments: "{}"}}
	got := r.redactReply(Reply{Text: testKey, FinishReason: "stop", ToolCalls: calls})
	if got.Text != Redacted || got.FinishReason != "stop" || got.ToolCalls[0].Arguments != `{"k":"`+Redacted+`"}` || got.ToolCalls[1] != calls[1] {
		t.Errorf("redactReply: %+v", got)
	}
	if !strings.Contains(calls[0].Arguments, testKey) {
		t.Error("redactReply rewrote the caller's tool calls")
	}
}

// TestSecretsFromHeaders: the values of credential headers are secrets
// the redactor removes, whatever the header is called: a Helicone-Auth
// Bearer value or a cookie too, not only Authorization and *-Key.
func TestSecretsFromHeaders(t *testing.T) {
	t.Parallel()
	p := &suites.Provider{ID: "p"}
	p.Headers = map[string]string{"Helicone-Auth": "Bearer hc-0123456789abcdef", "Cookie": "session=s3cr3t-cookie-value",
		"X-Upstream": "Basic dXNlcjpsb25nLXBhc3N3b3Jk", "X-Team": "evals"}
	got := Secrets(&suites.Config{Providers: []*suites.Provider{p}})
	for _, want := range []string{"Bearer hc-0123456789abcdef", "session=s3cr3t-cookie-value", "Basic dXNlcjpsb25nLXBhc3N3b3Jk"} {
		if !slices.Contains(got, want) {
			t.Errorf("%q is not among the secrets %q", want, got)
		}
	}
	if slices.Contains(got, "evals") {
		t.Errorf("a plain header's value is a secret: %q", got)
	}
	r := newRedactor(got)
	if out := r.redactString("echo: session=s3cr3t-cookie-value; team evals"); strings.Contains(out, "s3cr3t") || !strings.Contains(out, "evals") {
		t.Errorf("redacted %q", out)
	}
}

// TestHoldsAnchor finds every anchor in any case and at any place, and
// nothing in text holding only parts of one.
func TestHoldsAnchor(t *testing.T) {
	t.Parallel()
	for _, a := range shapeAnchors {
		s := string(a)
		for _, text := range []string{s, strings.ToUpper(s), "x " + strings.ToUpper(s[:1]) + s[1:] + " y", "tail:" + s} {
			if !holdsAnchor(text) || !holdsAnchor([]byte(text)) {
				t.Errorf("missed %q in %q", s, text)
			}
		}
		if cut := s[:len(s)-1]; holdsAnchor(cut) {
			t.Errorf("found an anchor in %q", cut)
		}
	}
	for _, text := range []string{"", "sk", "basi", "bear er", "api key", "xai", "aiz", "the order ships"} {
		if holdsAnchor(text) {
			t.Errorf("found an anchor in %q", text)
		}
	}
}

// TestHoldsAnchorAgrees holds holdsAnchor to its definition, an ASCII
// case-folded substring search for each anchor, on random text rich in
// the anchors' letters, as a string and as bytes, and checks it
// allocates nothing.
func TestHoldsAnchorAgrees(t *testing.T) {
	fold := func(s string) string {
		return strings.Map(func(r rune) rune {
			if 'A' <= r && r <= 'Z' {
				return r + ('a' - 'A')
			}
			return r
		}, s)
	}
	rng := rand.New(rand.NewPCG(3, 4))
	const alphabet = "abceikprsuxzABKSXZ-_ .\"\u212a" // U+212A, the Kelvin sign, folds to k only in Unicode
	letters := []rune(alphabet)
	for range 20000 {
		b := make([]rune, rng.IntN(24))
		for i := range b {
			b[i] = letters[rng.IntN(len(letters))]
		}
		s := string(b)
		want := slices.ContainsFunc(shapeAnchors, func(a []byte) bool { return strings.Contains(fold(s), string(a)) })
		if holdsAnchor(s) != want || holdsAnchor([]byte(s)) != want {
			t.Fatalf("holdsAnchor(%q) = %v, want %v", s, !want, want)
		}
	}
	text := strings.Repeat(`data: {"object":"chat.completion.chunk","choices":[{"delta":{"content":"order 5"}}]}`+"\n", 8)
	raw := []byte(text)
	if n := testing.AllocsPerRun(100, func() { holdsAnchor(text); holdsAnchor(raw) }); n != 0 {
		t.Errorf("holdsAnchor allocates %v times, want 0", n)
	}
}

// BenchmarkHoldsAnchor is the second redaction pass's scan of an answer
// holding no anchor, as most do.
func BenchmarkHoldsAnchor(b *testing.B) {
	body := []byte(strings.Repeat(`data: {"id":"chatcmpl-sim-a-12","object":"chat.completion.chunk","created":1764611234,"model":"m","choices":[{"index":0,"delta":{"content":"\"label\": \"shipping\"}"},"finish_reason":null}]}`+"\n", 8))
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		holdsAnchor(body)
	}
}
