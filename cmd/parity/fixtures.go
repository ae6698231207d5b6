package main

import (
	"context"
	"flag"
	"fmt"
	"net"
	"strings"

	"github.com/parity-eval/parity/fixtures"
	"github.com/parity-eval/parity/suites"
)

// fixtureFlags configure the simulated providers.
type fixtureFlags struct {
	suites listFlag
	seed   int64
}

func (f *fixtureFlags) register(fs *flag.FlagSet, prefix string) {
	fs.Var(&f.suites, prefix+"suites", "suites whose references the simulated providers know (default suites/examples and suites/examples/capabilities)")
	fs.Int64Var(&f.seed, prefix+"seed", 1, "the seed of the simulated providers' answers")
}

// server builds the simulated providers, knowing the answers of the
// suites' cases; opts come last.
func (f *fixtureFlags) server(ss []*suites.Suite, opts ...fixtures.Option) *fixtures.Server {
	return fixtures.New(append([]fixtures.Option{fixtures.UseOracle(fixtures.OracleFrom(ss)), fixtures.Seed(f.seed)}, opts...)...)
}

func fixturesCommand(e *env) *command {
	fs := flag.NewFlagSet("fixtures", flag.ContinueOnError)
	var f fixtureFlags
	f.register(fs, "")
	addr := fs.String("addr", "127.0.0.1:8089", "the loopback `address` to listen on")
	chaos := fs.Float64("chaos", 0, "inject faults (429, 500, 503, slow, dropped, truncated) into this `fraction` of each candidate's requests")
	rpm := fs.Int("rpm", 0, "reject each candidate's requests over `N` per minute with 429 and Retry-After (0: no limit)")
	return &command{
		name:  "fixtures",
		usage: "fixtures serve [--addr 127.0.0.1:8089] [--seed N] [--chaos RATE] [--rpm N]   serve the simulated providers",
		fs:    fs,
		run: func(ctx context.Context, args []string) error {
			if len(args) == 0 || args[0] != "serve" {
				return usageError(fmt.Errorf("usage: parity fixtures serve [--addr ADDR] [--seed N]"))
			}
			// Flags may follow the verb: parity fixtures serve --addr X.
			if err := fs.Parse(args[1:]); err != nil {
				return usageError(err)
			}
			if fs.NArg() > 0 {
				return usageError(fmt.Errorf("fixtures serve takes no arguments, got %q", fs.Args()))
			}
			if *chaos < 0 || *chaos > 1 || *rpm < 0 {
				return usageError(fmt.Errorf("--chaos must be in [0, 1] and --rpm at least 0, got %g and %d", *chaos, *rpm))
			}
			paths := []string(f.suites)
			if len(paths) == 0 {
				paths = defaultSuites
			}
			ss, err := suites.Load(paths...)
			if err != nil {
				return usageError(err)
			}
			ln, err := net.Listen("tcp", *addr)
			if err != nil {
				return fmt.Errorf("fixtures: %w", err)
			}
			srv := f.server(ss, stressed(*chaos, *rpm))
			var ids []string
			for _, p := range srv.Profiles() {
				ids = append(ids, p.ID)
			}
			fmt.Fprintf(e.stdout, "simulated providers on http://%s/{provider}/v1 (%s); Ctrl-C stops\n", ln.Addr(), strings.Join(ids, ", "))
			return srv.Serve(ctx, ln)
		},
	}
}

// stressed gives every default candidate provider (not the judge or the
// embedder) fixtures.ChaosAll(chaos) and an RPM of rpm.
func stressed(chaos float64, rpm int) fixtures.Option {
	ps := fixtures.DefaultProfiles()
	for i := range ps {
		if chaos > 0 {
			ps[i].Chaos = fixtures.ChaosAll(chaos)
		}
		ps[i].RPM = rpm
	}
	return fixtures.Profiles(ps...)
}
