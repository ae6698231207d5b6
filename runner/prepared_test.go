package runner

import (
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/parity-eval/parity/runner/cache"
	"github.com/parity-eval/parity/suites"
)

// loadPrepared loads a suite of two cases_file cases (vars decoded and
// templates run on every render) and a worker over a cache for its one
// provider.
func loadPrepared(t *testing.T) (*suites.Suite, *worker) {
	t.Helper()
	dir := t.TempDir()
	files := map[string]string{
		"s.yaml":  "name: prep\ntags: [extract]\nprompt: {system: 'As {{.who}}.', user: 'Extract: {{.text}}'}\ncases_file: c.jsonl\n",
		"c.jsonl": `{"id": "a", "vars": {"who": "support", "text": "order 1"}}` + "\n" + `{"id": "b", "vars": {"who": "sales", "text": "order 2"}}` + "\n",
	}
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	ss, err := suites.Load(filepath.Join(dir, "s.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	c, err := cache.Open(filepath.Join(dir, "cache"), 0)
	if err != nil {
		t.Fatal(err)
	}
	p := &suites.Provider{ID: "p", Endpoint: suites.Endpoint{BaseURL: "http://p/v1", Model: "m"}}
	r := New(&suites.Config{Providers: []*suites.Provider{p}}, UseCache(c))
	return ss[0], &worker{Runner: r, provider: p, client: r.clientFor(p)}
}

// TestPrepareSharesRepeats checks a case's repeats share one rendering
// and one request key, as Suite.Messages and cacheKey give them, while
// the next case gets its own: rendered once, a case's messages cost its
// later repeats nothing. (Not parallel: it counts allocations.)
func TestPrepareSharesRepeats(t *testing.T) {
	s, w := loadPrepared(t)
	a, errA := s.Cases.At(0)
	b, errB := s.Cases.At(1)
	if errA != nil || errB != nil {
		t.Fatal(errA, errB)
	}
	prep := w.prepare(s, a)
	if again := w.prepare(s, a); again != prep {
		t.Fatal("the second repeat of a case got a new preparation")
	}
	var wg sync.WaitGroup
	for range 8 { // repeats running at once
		wg.Go(func() { _, _ = prep.messages() })
	}
	wg.Wait()
	got, err := prep.messages()
	want, wantErr := s.Messages(a)
	if err != nil || wantErr != nil || got.System != want.System || got.User != want.User {
		t.Fatalf("messages = %+v, %v; want %+v, %v", got, err, want, wantErr)
	}
	if n := testing.AllocsPerRun(100, func() { _, _ = prep.messages() }); n != 0 {
		t.Errorf("a rendered case's messages allocate %v times, want 0", n)
	}
	req := ChatRequest{Messages: got, Params: s.Request}
	for k := range 3 {
		res := &Result{Suite: s, Case: a, Provider: w.provider, Repeat: k}
		if key, want := prep.sampleKey(w, req, res), w.cacheKey(req, res); key != want || key == "" {
			t.Errorf("repeat %d: key %q, want cacheKey's %q", k, key, want)
		}
	}
	next := w.prepare(s, b)
	if next == prep {
		t.Fatal("the next case got the last one's preparation")
	}
	if m, _ := next.messages(); m.User != "Extract: order 2" {
		t.Errorf("case b renders %q", m.User)
	}
}
