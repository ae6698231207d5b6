// Command parity runs prompt-template suites against several LLM providers,
// scores every output, and writes a Parquet table, an HTML report and
// suggested routing rules. See the README for the manual.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	tuneGC(os.LookupEnv)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	go func() {
		// After the first Ctrl-C the run winds down and keeps what
		// finished; a second one kills the process at once.
		<-ctx.Done()
		stop()
	}()
	os.Exit(parity(ctx, os.Args[1:], os.Stdout, os.Stderr))
}
