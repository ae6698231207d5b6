package main

import (
	"flag"
	"fmt"
	"io"

	"github.com/parity-eval/parity/suites"
)

// inputs are the flags every command that reads a config and suites takes.
type inputs struct {
	config    string
	suites    listFlag
	providers listFlag
}

func (in *inputs) register(fs *flag.FlagSet) {
	fs.StringVar(&in.config, "config", "parity.yaml", "the run `file`: providers, embedder, judge, baseline")
	fs.Var(&in.suites, "suites", "suite files or directories, comma-separated or repeated (default suites/examples and suites/examples/capabilities)")
	fs.Var(&in.providers, "providers", "run only these provider ids, comma-separated (default: all in the config)")
}

// load reads and validates everything a run needs, before any request,
// and prints the config's warnings (a provider without a price) to warn.
func (in *inputs) load(lookup suites.Env, warn io.Writer) (*suites.Config, []*suites.Suite, error) {
	cfg, err := suites.LoadConfig(in.config, lookup)
	if err != nil {
		return nil, nil, usageError(err)
	}
	for _, w := range cfg.Warnings {
		fmt.Fprintf(warn, "parity: warning: %v\n", w)
	}
	if err := cfg.Select(in.providers); err != nil {
		return nil, nil, usageError(err)
	}
	paths := []string(in.suites)
	if len(paths) == 0 {
		paths = defaultSuites
	}
	ss, err := suites.Load(paths...)
	if err != nil {
		return nil, nil, usageError(err)
	}
	if err := suites.Validate(cfg, ss); err != nil {
		return nil, nil, usageError(err)
	}
	return cfg, ss, nil
}

// defaultSuites are the example suites: the four task suites and the
// capability suites.
var defaultSuites = []string{"suites/examples", "suites/examples/capabilities"}

func plural(n int, word string) string {
	if n == 1 {
		return fmt.Sprintf("1 %s", word)
	}
	return fmt.Sprintf("%d %ss", n, word)
}
