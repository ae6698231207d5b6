package progress_test

import (
	"os"
	"time"

	"github.com/parity-eval/parity/cmd/parity/internal/progress"
)

// A run in a pipe that ends before the first tick leaves one line. The
// clock is fake so that the output is fixed.
func Example() {
	now := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	ids := []string{"gpt-4o-mini", "deepseek-chat"}
	p := progress.New(os.Stdout, ids, map[string]int{"gpt-4o-mini": 3, "deepseek-chat": 3}, progress.Options{
		TTY: progress.IsTerminal(os.Stdout), // false under go test
		Now: clock,
	})
	p.Start()
	for i := range 3 {
		p.Add("gpt-4o-mini", false, 0.0012)
		p.Add("deepseek-chat", i == 2, 0.0004)
	}
	now = now.Add(2 * time.Second)
	p.Stop()
	// Output:
	// parity: 6/6 results (100%), 1 error, 3.0/s, $0.0048 spent, done in 2s
}
