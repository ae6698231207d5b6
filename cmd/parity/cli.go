package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/parity-eval/parity/gate"
	"github.com/parity-eval/parity/results"
	"github.com/parity-eval/parity/routing/export"
)

// Exit codes. A failed gate and a broken tool never share a code.
const (
	// ExitOK: the command did what it was asked.
	ExitOK = 0
	// ExitFailed: the command ran and its verdict is negative (a gate).
	ExitFailed = 1
	// ExitUsage: bad flags, config or suites; nothing was sent.
	ExitUsage = 2
	// ExitError: the run could not complete (output not writable...).
	ExitError = 3
	// ExitProviderFailed: a provider failed every request it was sent (a
	// wrong or revoked key, a wrong base_url): the outputs are written,
	// but the run measured nothing of that provider.
	ExitProviderFailed = 4
	// ExitInconclusive: a gate in migration mode could not show the
	// candidate non-inferior, nor harmful: more cases would decide it (a
	// nightly gate exits 0 on it, with a warning).
	ExitInconclusive = 5
	// ExitInterrupted: stopped by Ctrl-C or --timeout; what finished is written.
	ExitInterrupted = 130
)

// exitError carries an exit code through the error chain.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }

// usageError marks bad input: flags, config or suites.
func usageError(err error) error { return &exitError{code: ExitUsage, err: err} }

// inFlagTerms says a library error in the CLI's terms: the libraries name
// their option fields and files, the CLI names the flags and commands
// that set them. Only the message changes; the chain is err's.
func inFlagTerms(err error) error {
	var (
		noResults *results.NoResultsError
		endpoint  *export.EndpointError
	)
	switch {
	case errors.Is(err, gate.ErrSidesUnnamed):
		return reword(err, gate.ErrSidesUnnamed, "gate: --baseline and --candidate name the providers to compare")
	case errors.As(err, &noResults):
		return reword(err, noResults, fmt.Sprintf("results: %s holds no %s (is the run finished? `parity run --resume --out %s` completes it)",
			noResults.Dir, results.FileName, noResults.Dir))
	case errors.As(err, &endpoint):
		return reword(err, endpoint, fmt.Sprintf("provider %s has no base_url in the rules: pass the run's --config", endpoint.Provider))
	}
	return err
}

// reword returns err with cause's message, within err's, replaced by msg.
func reword(err, cause error, msg string) error {
	return &reworded{msg: strings.Replace(err.Error(), cause.Error(), msg, 1), err: err}
}

// reworded is an error whose message says one of its causes in other
// words.
type reworded struct {
	msg string
	err error
}

func (r *reworded) Error() string { return r.msg }
func (r *reworded) Unwrap() error { return r.err }

// command is one subcommand: its flags and what it does.
type command struct {
	name  string
	usage string
	fs    *flag.FlagSet
	run   func(ctx context.Context, args []string) error
}

type env struct {
	stdout, stderr io.Writer
	lookupEnv      func(string) (string, bool)
	// writesThrough, set only by tests, stands between a run's
	// results.parquet and journal and their files, to fail their writes
	// (see report.WithWritesThrough).
	writesThrough func(name string, w io.Writer) io.Writer
}

// parity runs the CLI with args and returns the process exit code.
func parity(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	return parityEnv(ctx, args, &env{stdout: stdout, stderr: stderr})
}

func parityEnv(ctx context.Context, args []string, e *env) int {
	cmds := []*command{runCommand(e), validateCommand(e), demoCommand(e), fixturesCommand(e), gateCommand(e), diffCommand(e), historyCommand(e), rulesCommand(e)}
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		topUsage(e.stderr, cmds)
		if len(args) == 0 {
			return ExitUsage
		}
		return ExitOK
	}
	for _, c := range cmds {
		if c.name != args[0] {
			continue
		}
		c.fs.SetOutput(e.stderr)
		c.fs.Usage = func() {
			fmt.Fprintf(e.stderr, "usage: parity %s\n\nflags:\n", c.usage)
			c.fs.PrintDefaults()
		}
		if err := c.fs.Parse(args[1:]); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return ExitOK
			}
			return ExitUsage
		}
		return exitCode(e.stderr, c.run(ctx, c.fs.Args()))
	}
	fmt.Fprintf(e.stderr, "parity: unknown command %q\n\n", args[0])
	topUsage(e.stderr, cmds)
	return ExitUsage
}

func exitCode(stderr io.Writer, err error) int {
	if err == nil {
		return ExitOK
	}
	fmt.Fprintf(stderr, "parity: %v\n", inFlagTerms(err))
	var ee *exitError
	if errors.As(err, &ee) {
		return ee.code
	}
	return ExitError
}

func topUsage(w io.Writer, cmds []*command) {
	var b strings.Builder
	b.WriteString("parity runs prompt suites against LLM providers, scores the outputs, and reports.\n\nusage:\n")
	for _, c := range cmds {
		// A usage is "synopsis   what it does": the synopsis on its line,
		// the description under it.
		synopsis, what, _ := strings.Cut(c.usage, "   ")
		fmt.Fprintf(&b, "  parity %s\n      %s\n", synopsis, strings.TrimSpace(what))
	}
	b.WriteString("\nparity COMMAND -h shows a command's flags.\n")
	io.WriteString(w, b.String())
}

// listFlag collects a repeatable, comma-separated flag.
type listFlag []string

func (l *listFlag) String() string { return strings.Join(*l, ",") }

func (l *listFlag) Set(v string) error {
	for _, s := range strings.Split(v, ",") {
		if s = strings.TrimSpace(s); s != "" {
			*l = append(*l, s)
		}
	}
	return nil
}

// printer is a result diff and history print, as text or as JSON.
type printer interface {
	WriteText(io.Writer) error
	WriteJSON(io.Writer) error
}

// readCommand is the skeleton of diff and history: read the runs named on
// the command line (flags may come between them) into a result, and print
// it as --format says, text or json. Bad input, whatever read refuses
// included, is a usage error; a failure to print is not.
func readCommand(e *env, fs *flag.FlagSet, usage string, read func(paths []string) (printer, error)) *command {
	format := fs.String("format", "text", "what to print: text or json")
	return &command{
		name:  fs.Name(),
		usage: usage,
		fs:    fs,
		run: func(_ context.Context, args []string) error {
			paths, err := interspersed(fs, args)
			if err != nil {
				return usageError(err)
			}
			if *format != "text" && *format != "json" {
				return usageError(fmt.Errorf("--format %q: want text or json", *format))
			}
			res, err := read(paths)
			if err != nil {
				return usageError(err)
			}
			if *format == "json" {
				return outputError(res.WriteJSON(e.stdout))
			}
			return outputError(res.WriteText(e.stdout))
		},
	}
}

// outputError marks a failure to write the output.
func outputError(err error) error {
	if err == nil {
		return nil
	}
	return &exitError{code: ExitError, err: err}
}

// interspersed parses flags that come after positional arguments too
// (`parity gate out/run --baseline a`), returning the positional ones.
// Everything after "--" is positional.
func interspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var tail []string
	if i := slices.Index(args, "--"); i >= 0 {
		args, tail = args[:i], args[i+1:]
	}
	var pos []string
	out := fs.Output()
	fs.SetOutput(io.Discard) // the caller reports the error, once
	defer fs.SetOutput(out)
	for len(args) > 0 {
		if a := args[0]; a == "-" || !strings.HasPrefix(a, "-") {
			pos, args = append(pos, a), args[1:]
			continue
		}
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		args = fs.Args()
	}
	return append(pos, tail...), nil
}
