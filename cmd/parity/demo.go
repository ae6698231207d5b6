package main

import (
	"context"
	"flag"
	"fmt"
	"net"
	"os"
)

func demoCommand(e *env) *command {
	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	var (
		o runOptions
		f fixtureFlags
	)
	o.register(fs)
	f.register(fs, "fixtures-")
	fs.Lookup("out").DefValue, o.out = "out/demo", "out/demo"
	// The demo's providers listen on a new port each time, so a cached
	// answer could never be used again.
	fs.Lookup("no-cache").DefValue, o.cache.off = "true", true
	// A demo starts afresh, whatever an earlier one left.
	fs.Lookup("overwrite").DefValue, o.overwrite = "true", true
	return &command{
		name:  "demo",
		usage: "demo [--out out/demo]   run the example suites on the built-in simulated providers (no keys, no network)",
		fs:    fs,
		run: func(ctx context.Context, args []string) error {
			if o.resume {
				return usageError(fmt.Errorf("demo always starts afresh (its providers listen on a new port each time); resume runs with parity run --resume"))
			}
			ln, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				return fmt.Errorf("demo: %w", err)
			}
			// The demo config's base URLs read ${PARITY_FIXTURES}; point it
			// at this process's simulated providers.
			fixturesURL := "http://" + ln.Addr().String()
			lookup := func(name string) (string, bool) {
				if name == "PARITY_FIXTURES" {
					return fixturesURL, true
				}
				if e.lookupEnv != nil {
					return e.lookupEnv(name)
				}
				return os.LookupEnv(name)
			}
			cfg, ss, err := o.load(lookup, e.stderr)
			if err != nil {
				ln.Close()
				return err
			}
			srvCtx, stop := context.WithCancel(context.WithoutCancel(ctx))
			served := make(chan error, 1)
			go func() { served <- f.server(ss).Serve(srvCtx, ln) }()
			defer func() { stop(); <-served }()
			if !o.quiet {
				fmt.Fprintf(e.stderr, "parity demo: simulated providers on %s; %d suites\n", fixturesURL, len(ss))
			}
			return execute(ctx, e, cfg, ss, &o)
		},
	}
}
