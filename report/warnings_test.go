package report

import (
	"os"
	"strings"
	"testing"
	"time"

	"github.com/parity-eval/parity/internal/testkit"
	"github.com/parity-eval/parity/suites"
)

// TestWriterWarnsUnpriced checks every provider of the run without a
// price is a warning in summary.json and in report.html's headline,
// escaped there like all text, and that a provider with an explicit zero
// price is not.
func TestWriterWarnsUnpriced(t *testing.T) {
	t.Parallel()
	unpriced := &suites.Provider{ID: "local<b>", Unpriced: true, Endpoint: suites.Endpoint{Model: "local-1"}}
	free := &suites.Provider{ID: "free", Endpoint: suites.Endpoint{Model: "free-1"}}
	cfg := testkit.Config()
	cfg.Providers = append([]*suites.Provider{unpriced, free}, cfg.Providers...)
	dir := t.TempDir()
	w, err := NewWriter(dir, cfg, "run-test", WithClock(func() time.Time { return testkit.T0 }))
	if err != nil {
		t.Fatal(err)
	}
	gen := testkit.GenRows()
	for i := range 20 {
		if err := w.Add(gen(i)); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	var sum struct {
		Warnings []string `json:"warnings"`
	}
	readJSON(t, w.Paths()[1], &sum)
	if len(sum.Warnings) != 1 || !strings.HasPrefix(sum.Warnings[0], "provider local<b> has no price in the config: its cost counts as $0") {
		t.Errorf("summary.json warnings %q, want one for local<b>", sum.Warnings)
	}
	b, err := os.ReadFile(w.Paths()[2])
	if err != nil {
		t.Fatal(err)
	}
	html := string(b)
	if !strings.Contains(html, `<span class="warnline">warning: provider local&lt;b&gt; has no price in the config`) {
		t.Error("report.html lacks the escaped warning for local<b>")
	}
	if strings.Contains(html, "local<b>") || strings.Contains(html, "provider free has no price") {
		t.Error("report.html holds the id unescaped, or warns of the explicitly free provider")
	}
}
