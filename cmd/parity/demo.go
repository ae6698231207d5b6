package main

import (
	"context"
	"flag"
	"fmt"
	"net"
	"strings"
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
	// A demo starts afresh, whatever an earlier one left, unless it
	// resumes.
	fs.Lookup("overwrite").DefValue, o.overwrite = "true", true
	return &command{
		name:  "demo",
		usage: "demo [--out out/demo] [--resume]   run the example suites on the built-in simulated providers (no keys, no network)",
		fs:    fs,
		run: func(ctx context.Context, args []string) error {
			if len(args) > 0 {
				return usageError(fmt.Errorf("demo takes no arguments, got %q", args))
			}
			if err := o.resolveShard(e.lookup()); err != nil {
				return usageError(err)
			}
			ln, err := demoListen(fs, &o, &f)
			if err != nil {
				return err
			}
			return demoHints(runDemo(ctx, e, ln, &o, &f))
		},
	}
}

// runDemo runs the demo's suites on simulated providers served on ln,
// which the demo config's base URLs, ${PARITY_FIXTURES}, point at.
func runDemo(ctx context.Context, e *env, ln net.Listener, o *runOptions, f *fixtureFlags) error {
	fixturesURL := "http://" + ln.Addr().String()
	lookup := func(name string) (string, bool) {
		if name == "PARITY_FIXTURES" {
			return fixturesURL, true
		}
		return e.lookup()(name)
	}
	cfg, ss, err := o.load(lookup, e.stderr)
	if err != nil {
		ln.Close()
		return err
	}
	srvCtx, stop := context.WithCancel(context.WithoutCancel(ctx))
	served := make(chan error, 1)
	go func() { served <- f.server(ss, e.demoFixtures...).Serve(srvCtx, ln) }()
	defer func() { stop(); <-served }()
	if !o.quiet {
		fmt.Fprintf(e.stderr, "parity demo: simulated providers on %s; %d suites\n", fixturesURL, len(ss))
	}
	return execute(ctx, e, cfg, ss, o)
}

// demoHints says the resume hints of a demo's errors as the demo
// resumes: `parity demo --resume`, which serves the simulated providers
// again, where `parity run --resume` would find none.
func demoHints(err error) error {
	if err == nil {
		return nil
	}
	msg := err.Error()
	if said := strings.ReplaceAll(msg, "`parity run --resume ", "`parity demo --resume "); said != msg {
		return &reworded{msg: said, err: err}
	}
	return err
}
