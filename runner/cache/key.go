package cache

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"hash"
	"io"
	"strings"
	"unicode/utf8"
)

// Key returns the key an answer is cached under: the hex SHA-256 of
// everything that determines it, namely the base URL (trailing slashes
// trimmed, as runner.NewClient does), the model and the whole request body
// as it goes out (after the exact parameters are written in, so
// `temperature: 0` and no temperature differ). Never the API key or
// headers: they choose who pays, not what comes back.
//
// A JSON body is canonicalised, so two bodies that differ only in key order
// or whitespace share a key: it is decoded and encoded again, which sorts
// object keys. Numbers keep their exact text (1 and 1.0 differ; 2^53+1 is
// not rounded onto 2^53): a needless miss costs a request, a false hit
// would return another request's answer. A body that is not valid UTF-8
// JSON is hashed as it is.
func Key(baseURL, model string, body []byte) string {
	canon, isJSON := canonicalJSON(body)
	h := sha256.New()
	io.WriteString(h, "parity-cache-key\x00")
	writeField(h, []byte(strings.TrimRight(baseURL, "/")))
	writeField(h, []byte(model))
	if isJSON {
		h.Write([]byte{'j'})
	} else {
		h.Write([]byte{'r'})
	}
	writeField(h, canon)
	return hex.EncodeToString(h.Sum(nil))
}

// writeField writes b with its length first, so that no two different
// (base URL, model, body) triples hash the same bytes. In all, the hash is
// over "parity-cache-key\x00", then the base URL and the model, then 'j'
// (canonical JSON) or 'r' (raw) and the body, each field preceded by its
// length as a big-endian uint64.
func writeField(h hash.Hash, b []byte) {
	var n [8]byte
	binary.BigEndian.PutUint64(n[:], uint64(len(b)))
	h.Write(n[:])
	h.Write(b)
}

// canonicalJSON returns body re-encoded with sorted keys and no
// insignificant whitespace, and true; or body itself and false when it is
// not exactly one valid JSON value.
func canonicalJSON(body []byte) ([]byte, bool) {
	// Decoding would replace invalid UTF-8 with U+FFFD, merging bodies.
	if !utf8.Valid(body) {
		return body, false
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return body, false
	}
	if _, err := dec.Token(); err != io.EOF {
		return body, false
	}
	out, err := json.Marshal(v)
	if err != nil {
		return body, false
	}
	return out, true
}

// SampleKey keys the k-th sample of one request: the repeats of a case send
// the same request, and each must keep an answer of its own, or a rerun's
// repeats would all replay one answer and measure no variance. Sample 0
// keeps the request's own key.
func SampleKey(key string, k int) string {
	if k == 0 || key == "" {
		return key
	}
	h := sha256.New()
	io.WriteString(h, "parity-cache-sample\x00")
	writeField(h, []byte(key))
	var n [8]byte
	binary.BigEndian.PutUint64(n[:], uint64(k))
	h.Write(n[:])
	return hex.EncodeToString(h.Sum(nil))
}
