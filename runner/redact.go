package runner

import (
	"bytes"
	"regexp"
	"slices"
	"strings"

	"github.com/parity-eval/parity/suites"
)

// Redacted replaces every credential found in what a provider sends.
const Redacted = "[redacted]"

// minSecret is the shortest configured value redacted as a literal: a
// shorter one is no key anyone issues, and replacing it would rewrite
// ordinary words of answers.
const minSecret = 8

// credentialShapes are the patterns redacted in provider text whatever the
// config holds. Each is conservative, so answers keep their words:
//   - a Bearer or Basic credential of 16 or more token characters that
//     holds a letter and a digit ("Bearer abc123..."): the token is
//     replaced, the scheme kept;
//   - the value after a header name that carries keys, Authorization,
//     api-key, api_key or x-api-key, followed by ':' or '=' (quotes
//     allowed: a JSON echo of the request's headers), 8 or more token
//     characters;
//   - a provider-style key: sk-, sk_, gsk_ or xai- then 20 or more of
//     [A-Za-z0-9_-] (OpenAI, Anthropic, Groq, xAI), or AIza and 35 more
//     (Google).
//
// No pattern crosses a line: the stream redactor relies on it.
var credentialShapes = regexp.MustCompile(
	`(?i:\b(?:bearer|basic)[ \t]+)([A-Za-z0-9._~+/=-]{16,})` +
		`|(?i:\b(?:authorization|x-api-key|api[-_]key)["']?[ \t]*[:=][ \t]*["']?)(?i:(?:bearer|basic)[ \t]+)?([A-Za-z0-9._~+/=-]{8,})` +
		`|\b(?:sk-|sk_|gsk_|xai-)[A-Za-z0-9_-]{20,}|\bAIza[0-9A-Za-z_-]{35}`)

// secretHeaders are the request headers whose values are credentials.
var secretHeaders = []string{"Authorization", "Api-Key", "X-Api-Key"}

// redactor replaces credentials in provider text: configured values,
// matched literally, and credentialShapes.
type redactor struct {
	literals [][]byte // longest first
	texts    []string // literals as strings, for redactText
	shapes   *regexp.Regexp
}

// newRedactor returns a redactor of the literal secrets (those shorter
// than minSecret are left out), their JSON-escaped spellings included.
func newRedactor(secrets []string) *redactor {
	var alts []string
	for _, s := range secrets {
		s = strings.TrimSpace(s)
		if len(s) < minSecret {
			continue
		}
		alts = append(alts, s)
		if esc := strings.ReplaceAll(s, "/", `\/`); esc != s {
			alts = append(alts, esc)
		}
	}
	// Longest first: a key that holds another is replaced whole.
	slices.SortFunc(alts, func(a, b string) int { return len(b) - len(a) })
	alts = slices.Compact(alts)
	r := &redactor{shapes: credentialShapes}
	for _, a := range alts {
		r.literals = append(r.literals, []byte(a))
		r.texts = append(r.texts, a)
	}
	return r
}

// Secrets returns every key cfg holds: the providers', the embedder's and
// the judge's, and the values of configured headers whose names carry
// credentials. Give them to NewClient with Redact.
func Secrets(cfg *suites.Config) []string {
	var out []string
	add := func(e *suites.Endpoint) {
		if e == nil {
			return
		}
		out = append(out, e.APIKey)
		for name, v := range e.Headers {
			if suites.CredentialHeader(name, v) {
				out = append(out, v)
			}
		}
	}
	for _, p := range cfg.Providers {
		add(&p.Endpoint)
	}
	add(cfg.Embedder)
	add(cfg.Judge)
	return out
}

// redact returns b with every credential replaced by Redacted: the
// configured values first, then the shapes.
func (r *redactor) redact(b []byte) []byte {
	for _, l := range r.literals {
		if bytes.Contains(b, l) {
			b = bytes.ReplaceAll(b, l, []byte(Redacted))
		}
	}
	if !holdsAnchor(b) {
		return b
	}
	ms := r.shapes.FindAllSubmatchIndex(b, -1)
	if len(ms) == 0 {
		return b
	}
	out := make([]byte, 0, len(b))
	last := 0
	for _, m := range ms {
		start, end, ok := secretSpan(b, m)
		if !ok {
			continue
		}
		out = append(append(out, b[last:start]...), Redacted...)
		last = end
	}
	return append(out, b[last:]...)
}

// secretSpan is the part of match m to replace: the token of a scheme or
// header-name match, else all of it; ok is false for a Bearer "token"
// without both a letter and a digit (an ordinary word).
func secretSpan(b []byte, m []int) (start, end int, ok bool) {
	switch {
	case m[2] >= 0:
		tok := b[m[2]:m[3]]
		return m[2], m[3], bytes.ContainsAny(tok, "0123456789") && bytes.ContainsFunc(tok, isLetter)
	case m[4] >= 0:
		return m[4], m[5], true
	}
	return m[0], m[1], true
}

// shapeAnchors are what every credential shape holds, lower-cased: the
// regexp runs only on text holding one of them, since it reads some
// twenty times slower than a substring search. Each holds a b, k, x or z
// (see anchorKeys).
var shapeAnchors = [][]byte{[]byte("bearer"), []byte("basic"), []byte("authorization"), []byte("api-key"),
	[]byte("api_key"), []byte("sk-"), []byte("sk_"), []byte("xai-"), []byte("aiza")}

// anchorKeys are, for each byte one of shapeAnchors holds (in either
// case), the anchors holding it and where: every anchor holds a b, k, x
// or z, which ordinary text seldom has, so holdsAnchor looks for those
// with bytes.IndexByte's vector search and closer only where one is.
var anchorKeys = func() (keys []anchorKey) {
	key := func(c byte, anchor string) {
		at := strings.IndexByte(anchor, c)
		for _, v := range []byte{c, c - ('a' - 'A')} {
			i := slices.IndexFunc(keys, func(k anchorKey) bool { return k.c == v })
			if i < 0 {
				keys, i = append(keys, anchorKey{c: v}), len(keys)
			}
			keys[i].anchors = append(keys[i].anchors, anchorAt{[]byte(anchor), at})
		}
	}
	for _, a := range shapeAnchors {
		i := bytes.IndexAny(a, "bkxz")
		key(a[i], string(a))
	}
	return keys
}()

// anchorKey is a byte and the anchors holding it.
type anchorKey struct {
	c       byte
	anchors []anchorAt
}

// anchorAt is an anchor and the offset of its key byte.
type anchorAt struct {
	anchor []byte
	at     int
}

// holdsAnchor reports whether s holds an anchor of credentialShapes, in
// any case, without copying s: the second pass reads every answer, and
// most hold no anchor.
func holdsAnchor[T ~string | ~[]byte](s T) bool {
	for _, k := range anchorKeys {
		for from := 0; ; {
			j := indexByte(s[from:], k.c)
			if j < 0 {
				break
			}
			j += from
			for _, a := range k.anchors {
				if j >= a.at && hasPrefixFold(s[j-a.at:], a.anchor) {
					return true
				}
			}
			from = j + 1
		}
	}
	return false
}

// indexByte is strings.IndexByte or bytes.IndexByte, whichever s is.
func indexByte[T ~string | ~[]byte](s T, c byte) int {
	switch v := any(s).(type) {
	case string:
		return strings.IndexByte(v, c)
	case []byte:
		return bytes.IndexByte(v, c)
	}
	for i := 0; i < len(s); i++ {
		if s[i] == c {
			return i
		}
	}
	return -1
}

// hasPrefixFold reports whether s begins with the lower-case ASCII
// prefix, in any case.
func hasPrefixFold[T ~string | ~[]byte](s T, prefix []byte) bool {
	if len(s) < len(prefix) {
		return false
	}
	for j, p := range prefix {
		c := s[j]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != p {
			return false
		}
	}
	return true
}

func isLetter(r rune) bool { return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' }

// before returns at, or the start of the earliest credential in b that
// begins before at and ends after it.
func (r *redactor) before(b []byte, at int) int {
	cut := at
	for _, l := range r.literals {
		// Only a match starting in the len(l) bytes before at can span it.
		from := max(at-len(l)+1, 0)
		if i := bytes.Index(b[from:], l); i >= 0 && from+i < cut && from+i+len(l) > at {
			cut = from + i
		}
	}
	if holdsAnchor(b) {
		for _, m := range r.shapes.FindAllIndex(b, -1) {
			if m[0] < cut && m[1] > cut {
				cut = m[0]
			}
		}
	}
	return cut
}

// redactString is redact of a string.
func (r *redactor) redactString(s string) string { return string(r.redact([]byte(s))) }

// redactText is redactString that copies nothing when s holds no
// configured value and no anchor of a shape, as almost every answer.
func (r *redactor) redactText(s string) string {
	for _, t := range r.texts {
		if strings.Contains(s, t) {
			return r.redactString(s)
		}
	}
	if !holdsAnchor(s) {
		return s
	}
	return r.redactString(s)
}

// redactReply is the second pass, over an answer as it was assembled:
// its text, tool calls and finish reason. The first pass, providerBody,
// reads the bytes as they come and cannot see a key a stream split
// across events (each carries a few characters of it) or that JSON spelled
// with \u escapes; decoded and joined, here, they are whole. The image
// is left alone: base64 is no text, and a rewritten one would not decode.
func (r *redactor) redactReply(reply Reply) Reply {
	reply.Text = r.redactText(reply.Text)
	reply.FinishReason = r.redactText(reply.FinishReason)
	var calls []ToolCall
	for i, c := range reply.ToolCalls {
		name, args := r.redactText(c.Name), r.redactText(c.Arguments)
		if name == c.Name && args == c.Arguments {
			continue
		}
		if calls == nil {
			// The caller's slice is left as it was.
			calls = slices.Clone(reply.ToolCalls)
		}
		calls[i] = ToolCall{Name: name, Arguments: args}
	}
	if calls != nil {
		reply.ToolCalls = calls
	}
	return reply
}

// redactedError is a provider error whose message had credentials
// replaced; errors.Is and errors.As still see the error underneath.
type redactedError struct {
	err error
	msg string
}

func (e *redactedError) Error() string { return e.msg }
func (e *redactedError) Unwrap() error { return e.err }

// redactErr returns err with credentials taken out of its message; err
// itself when there were none.
func (r *redactor) redactErr(err error) error {
	if err == nil {
		return nil
	}
	msg := err.Error()
	if red := r.redactString(msg); red != msg {
		return &redactedError{err: err, msg: red}
	}
	return err
}
