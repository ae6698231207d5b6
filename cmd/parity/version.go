package main

import (
	"context"
	"flag"
	"fmt"

	"github.com/parity-eval/parity/internal/version"
)

// versionCommand prints the build: `parity version`, or `parity
// --version`.
func versionCommand(e *env) *command {
	fs := flag.NewFlagSet("version", flag.ContinueOnError)
	return &command{
		name:  "version",
		usage: "version   print parity's version, the VCS revision it was built from and the Go version (also parity --version)",
		fs:    fs,
		run: func(_ context.Context, args []string) error {
			if len(args) > 0 {
				return usageError(fmt.Errorf("version takes no arguments, got %q", args))
			}
			_, err := fmt.Fprintln(e.stdout, version.String())
			return outputError(err)
		},
	}
}
