package cache

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"
)

// goldenDir holds entries as version 1 of the format wrote them, one per
// case of goldenEntries, laid out as a cache directory. runner.Cache wrote
// them, before the cache became this package (commit 1dcb53e). They are
// never regenerated (no -update): users' caches hold these bytes, and an
// entry that stops reading is a request paid for again.
var goldenDir = filepath.Join("testdata", "v1")

// goldenEntry is one entry of goldenDir: the key it is stored under and
// what it holds.
type goldenEntry struct {
	name string
	key  string
	v    Entry
}

// goldenEntries are the entries of goldenDir. The keys are computed, so a
// change to Key or SampleKey loses the file too.
func goldenEntries() []goldenEntry {
	chat := Key("https://api.example.com/v1/", "model-1", []byte(`{"temperature":0, "model":"model-1","messages":[{"role":"user","content":"hi"}]}`))
	return []goldenEntry{
		// Every reply field set, escaping, nanoseconds, a zone other than UTC.
		{"chat, every field", chat, Entry{
			Reply: Reply{
				Text: "a\"b\n<script>&</script>\u00e9\u2028\U0001F600", FinishReason: "tool_calls",
				ToolCalls: []ToolCall{{Name: "lookup", Arguments: `{"id": 7}`}, {Name: "broken", Arguments: `{"unterminated`}},
				Image:     "data:image/png;base64,iVBORw0KGgo=", InputTokens: 1234, OutputTokens: 56, TTFT: 95123456,
			},
			Latency: 812345678,
			Stored:  time.Date(2026, 1, 2, 16, 4, 5, 123456789, time.FixedZone("CET", 3600)),
		}},
		// A repeat's own key; zero values written as zeros.
		{"sample 3, zero values", SampleKey(chat, 3), Entry{
			Reply: Reply{FinishReason: "length"}, Stored: time.Date(2026, 1, 2, 15, 4, 5, 0, time.UTC),
		}},
		{"embedding", Key("http://127.0.0.1:8089/emb/v1", "embed-1", []byte(`{"input":["some text"],"model":"embed-1"}`)), Entry{
			Reply:   Reply{InputTokens: 3},
			Vectors: [][]float64{{0.1, -2.5e-7, 3, 1e21, 123456.789}},
			Latency: 1500000,
			Stored:  time.Date(2026, 3, 4, 5, 6, 7, 890000000, time.FixedZone("PST", -8*3600)),
		}},
		// A body that is not JSON is keyed raw.
		{"raw body", Key("http://127.0.0.1:8089/raw/v1", "raw-1", []byte("not json \xff")), Entry{
			Reply:   Reply{Text: "plain", FinishReason: "stop", InputTokens: 1, OutputTokens: 1, TTFT: 1},
			Latency: 2, Stored: time.Date(2025, 12, 31, 23, 59, 59, 999999999, time.UTC),
		}},
	}
}

// TestGoldenEntriesHit: every entry version 1 wrote is still a hit,
// under the key it was written under, holding what was written.
func TestGoldenEntriesHit(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "cache")
	if err := os.CopyFS(dir, os.DirFS(goldenDir)); err != nil {
		t.Fatal(err)
	}
	c, err := Open(dir, 0)
	if err != nil {
		t.Fatal(err)
	}
	entries := goldenEntries()
	for _, g := range entries {
		got, ok := c.Get(g.key)
		if !ok {
			t.Errorf("%s: golden entry %s misses", g.name, g.key)
			continue
		}
		want := g.v
		if !got.Stored.Equal(want.Stored) {
			t.Errorf("%s: Stored = %v, want %v", g.name, got.Stored, want.Stored)
		}
		got.Stored, want.Stored = time.Time{}, time.Time{}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: Get =\n%+v\nwant\n%+v", g.name, got, want)
		}
	}
	assertOnlyEntries(t, dir, len(entries))
}

// TestGoldenEntriesPut: a Put writes exactly the bytes version 1
// wrote, at the same path.
func TestGoldenEntriesPut(t *testing.T) {
	t.Parallel()
	c := openTestCache(t, 0)
	for _, g := range goldenEntries() {
		if err := c.Put(g.key, g.v); err != nil {
			t.Fatal(err)
		}
		rel := filepath.Join(g.key[:2], g.key+".json")
		want, err := os.ReadFile(filepath.Join(goldenDir, rel))
		if err != nil {
			t.Fatalf("%s: %v", g.name, err)
		}
		got, err := os.ReadFile(filepath.Join(c.dir, rel))
		if err != nil {
			t.Fatalf("%s: %v", g.name, err)
		}
		if string(got) != string(want) {
			t.Errorf("%s: Put wrote\n%s\nwant (%s)\n%s", g.name, got, rel, want)
		}
	}
}
