package report_test

import (
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/parity-eval/parity/judges"
	"github.com/parity-eval/parity/report"
	"github.com/parity-eval/parity/runner"
	"github.com/parity-eval/parity/suites"
)

// A run writes every scored row as it arrives, then closes the writer to
// get the summary, the rules and the HTML report.
func ExampleWriter() {
	dir, _ := os.MkdirTemp("", "parity-example")
	defer os.RemoveAll(dir)
	mini := &suites.Provider{ID: "sim-mini", Endpoint: suites.Endpoint{Model: "mini-1"}}
	cfg := &suites.Config{Providers: []*suites.Provider{mini}, Routing: suites.Routing{Tolerance: 0.05, MaxFallbacks: 2}}

	w, err := report.NewWriter(dir, cfg, "run-1")
	if err != nil {
		panic(err)
	}
	w.SetPlanned(1)
	_ = w.Add(&judges.Scored{
		Result: &runner.Result{RunID: "run-1", Provider: mini,
			Suite:  &suites.Suite{Name: "classify", Tags: []string{"classify"}},
			Case:   &suites.Case{ID: "c1"},
			Output: "positive", Started: time.Now(), Latency: 300 * time.Millisecond},
		Score: 1, Pass: true,
	})
	if err := w.Close(); err != nil {
		panic(err)
	}
	for _, p := range w.Paths() {
		fmt.Println(filepath.Base(p))
	}
	fmt.Println(w.Summary().Complete())
	// Output:
	// results.parquet
	// summary.json
	// report.html
	// rules.yaml
	// true
}
