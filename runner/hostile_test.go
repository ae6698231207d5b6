package runner_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/parity-eval/parity/fixtures"
	"github.com/parity-eval/parity/runner"
	"github.com/parity-eval/parity/runner/cache"
	"github.com/parity-eval/parity/suites"
)

// TestEchoedKeyRedacted runs providers that echo the request's
// Authorization header (in a 401, in a 500 and in a 200 answer, streamed)
// and checks no result and no cache entry holds the key: it is replaced
// where the provider's bytes come in.
func TestEchoedKeyRedacted(t *testing.T) {
	t.Parallel()
	ss := loadSuites(t)
	prof := func(id string, h fixtures.Hostile) fixtures.Profile {
		return fixtures.Profile{ID: id, Quality: map[string]float64{fixtures.AnyTag: 1}, Hostile: h}
	}
	_, hs := fixtureServer(t, ss, fixtures.Profiles(
		prof("sim-frontier", fixtures.EchoKeyAnswer), prof("e401", fixtures.EchoKey401), prof("e500", fixtures.EchoKey500)))
	var providers strings.Builder
	for _, id := range []string{"sim-frontier", "e401", "e500"} {
		providers.WriteString("  - {id: " + id + ", base_url: URL/" + id + "/v1, model: m, api_key_env: SIM_KEY, capabilities: [streaming]}\n")
	}
	cfg := loadConfig(t, hs.URL, providers.String())
	dir := t.TempDir()
	c, err := cache.Open(dir, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	results := collect(runner.New(cfg, runner.UseCache(c), runner.Retry(runner.Backoff{Attempts: 1})).Run(context.Background(), ss))
	want := map[string]runner.ErrorClass{"sim-frontier": "", "e401": runner.ClassAuth, "e500": runner.ClassServer}
	for _, r := range results {
		text := r.Output + " " + r.Error
		if strings.Contains(text, "sk-secret-123") || !strings.Contains(text, "Bearer "+runner.Redacted) {
			t.Errorf("%s/%s: %q: want the key redacted", r.Provider.ID, r.Case.ID, text)
		}
		if r.ErrorClass != want[r.Provider.ID] {
			t.Errorf("%s: class %q, want %q", r.Provider.ID, r.ErrorClass, want[r.Provider.ID])
		}
	}
	if len(results) != 12 {
		t.Errorf("%d results, want 12", len(results))
	}
	stored := 0
	_ = filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		stored++
		if b, _ := os.ReadFile(path); strings.Contains(string(b), "sk-secret-123") {
			t.Errorf("cache entry %s holds the key", path)
		}
		return nil
	})
	if stored == 0 {
		t.Error("nothing cached: the 200 answers were not stored")
	}
}

// TestHugeAnswers checks an answer past limits.max_response_bytes (a
// 1 GiB stream, an endless one, a gzip bomb that inflates to 1 GiB) is
// the class too_large, quickly and without its text: the rest is never
// read.
func TestHugeAnswers(t *testing.T) {
	t.Parallel()
	ss := loadSuites(t)
	prof := func(id string, h fixtures.Hostile) fixtures.Profile {
		return fixtures.Profile{ID: id, Quality: map[string]float64{fixtures.AnyTag: 1}, Hostile: h}
	}
	_, hs := fixtureServer(t, ss, fixtures.Profiles(
		prof("sim-frontier", fixtures.HugeAnswer), prof("endless", fixtures.EndlessAnswer), prof("bomb", fixtures.GzipBomb)))
	// The default, 8 MiB, for the first; 1 MiB for the others.
	cfg := loadConfig(t, hs.URL, `  - {id: sim-frontier, base_url: URL/sim-frontier/v1, model: m, capabilities: [streaming]}
  - {id: endless, base_url: URL/endless/v1, model: m, capabilities: [streaming], limits: {max_response_bytes: 1048576}}
  - {id: bomb, base_url: URL/bomb/v1, model: m, capabilities: [streaming], limits: {max_response_bytes: 1048576}}
`)
	if got := cfg.Providers[0].Limits.MaxResponseBytes; got != 8<<20 {
		t.Errorf("default max_response_bytes %d, want 8 MiB", got)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	start := time.Now()
	results := collect(runner.New(cfg).Run(ctx, ss))
	if len(results) != 12 {
		t.Fatalf("%d results, want 12", len(results))
	}
	for _, r := range results {
		if r.ErrorClass != runner.ClassTooLarge || r.Output != "" || r.Attempts != 1 {
			t.Errorf("%s/%s: class %q (%s), %d bytes of output, %d attempts: want too_large, nothing kept, not retried",
				r.Provider.ID, r.Case.ID, r.ErrorClass, r.Error, len(r.Output), r.Attempts)
		}
	}
	if d := time.Since(start); d > 30*time.Second {
		t.Errorf("took %v", d)
	}
}

// TestReassembledKeyRedacted runs providers whose answers hold the echoed
// key only once assembled: streamed a few bytes an event, or written with
// JSON \u escapes (in a 200 answer to a streamed request, in one to an
// unstreamed request, and in a 401). Neither a result nor the cache holds
// the key: the second pass, over the decoded and joined answer, finds it.
func TestReassembledKeyRedacted(t *testing.T) {
	t.Parallel()
	ss := loadSuites(t)
	prof := func(id string, h fixtures.Hostile) fixtures.Profile {
		return fixtures.Profile{ID: id, Quality: map[string]float64{fixtures.AnyTag: 1}, Hostile: h}
	}
	_, hs := fixtureServer(t, ss, fixtures.Profiles(prof("sim-frontier", fixtures.EchoKeySplit),
		prof("esc", fixtures.EchoKeyEscaped), prof("escns", fixtures.EchoKeyEscaped), prof("e401", fixtures.EchoKeyEscaped401)))
	cfg := loadConfig(t, hs.URL, `  - {id: sim-frontier, base_url: URL/sim-frontier/v1, model: m, api_key_env: SIM_KEY, capabilities: [streaming]}
  - {id: esc, base_url: URL/esc/v1, model: m, api_key_env: SIM_KEY, capabilities: [streaming]}
  - {id: escns, base_url: URL/escns/v1, model: m, api_key_env: SIM_KEY, stream: false, capabilities: [streaming]}
  - {id: e401, base_url: URL/e401/v1, model: m, api_key_env: SIM_KEY, capabilities: [streaming]}
`)
	dir := t.TempDir()
	c, err := cache.Open(dir, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	results := collect(runner.New(cfg, runner.UseCache(c), runner.Retry(runner.Backoff{Attempts: 1})).Run(context.Background(), ss))
	want := map[string]runner.ErrorClass{"sim-frontier": "", "esc": "", "escns": "", "e401": runner.ClassAuth}
	for _, r := range results {
		text := r.Output + " " + r.Error
		if strings.Contains(text, "sk-secret-123") || !strings.Contains(text, "Bearer "+runner.Redacted) {
			t.Errorf("%s/%s: %q: want the key redacted", r.Provider.ID, r.Case.ID, text)
		}
		if r.ErrorClass != want[r.Provider.ID] {
			t.Errorf("%s: class %q (%s), want %q", r.Provider.ID, r.ErrorClass, r.Error, want[r.Provider.ID])
		}
	}
	if len(results) != 16 {
		t.Errorf("%d results, want 16", len(results))
	}
	if stored := cachedWithout(t, dir, "sk-secret-123"); stored == 0 {
		t.Error("nothing cached: the 200 answers were not stored")
	}
}

// cachedWithout fails t for every cache entry under dir that holds s and
// returns how many entries there are.
func cachedWithout(t *testing.T, dir, s string) int {
	t.Helper()
	stored := 0
	_ = filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		stored++
		if b, _ := os.ReadFile(path); strings.Contains(string(b), s) {
			t.Errorf("cache entry %s holds %q", path, s)
		}
		return nil
	})
	return stored
}

// TestSplitToolCallRedacted streams a tool call whose arguments carry a
// credential-shaped key (configured nowhere) a few bytes an event, and a
// finish reason spelling the configured key with \u escapes: the reply
// Chat returns holds neither.
func TestSplitToolCallRedacted(t *testing.T) {
	t.Parallel()
	const shaped = "sk-proj-abcdefghijklmnopqrstuvwx12"
	args := `{"token": "` + shaped + `"}`
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/event-stream")
		event := func(delta, finish string) {
			fmt.Fprintf(w, `data: {"id":"x","object":"chat.completion.chunk","model":"m","choices":[{"index":0,"delta":%s,"finish_reason":%s}]}`+"\n\n", delta, finish)
		}
		event(`{"tool_calls":[{"index":0,"id":"call_1","type":"function","function":{"name":"lookup","arguments":""}}]}`, "null")
		for i := 0; i < len(args); i += 3 {
			piece, _ := json.Marshal(args[i:min(i+3, len(args))])
			event(`{"tool_calls":[{"index":0,"function":{"arguments":`+string(piece)+`}}]}`, "null")
		}
		event(`{}`, `"stop \u0073\u006b-secret-123"`)
		fmt.Fprint(w, "data: [DONE]\n\n")
	}))
	t.Cleanup(hs.Close)
	c := runner.NewClient(&suites.Endpoint{BaseURL: hs.URL + "/v1", Model: "m", APIKey: "sk-secret-123"}, nil)
	reply, err := c.Chat(context.Background(), runner.ChatRequest{Messages: suites.Messages{User: "hi"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(reply.ToolCalls) != 1 || reply.ToolCalls[0].Arguments != `{"token": "`+runner.Redacted+`"}` {
		t.Errorf("tool calls %+v, want the arguments' key redacted", reply.ToolCalls)
	}
	if reply.FinishReason != "stop "+runner.Redacted {
		t.Errorf("finish reason %q, want the key redacted", reply.FinishReason)
	}
}
