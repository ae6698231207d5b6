package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/parity-eval/parity/fixtures"
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
	// demoFixtures, set only by tests, come after the demo's own options
	// for its simulated providers (profiles without latency...).
	demoFixtures []fixtures.Option
}

// parity runs the CLI with args and returns the process exit code.
func parity(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	return parityEnv(ctx, args, &env{stdout: stdout, stderr: stderr})
}

// commands are the subcommands, in the order help lists them.
func commands(e *env) []*command {
	return []*command{runCommand(e), validateCommand(e), demoCommand(e), fixturesCommand(e), gateCommand(e),
		diffCommand(e), historyCommand(e), rulesCommand(e), reportCommand(e), publishCommand(e), mergeCommand(e), versionCommand(e)}
}

// parityEnv dispatches args to their command. Help goes to stdout and
// exits 0; a usage error says what was wrong and a short usage on
// stderr, and exits ExitUsage.
func parityEnv(ctx context.Context, args []string, e *env) int {
	cmds := commands(e)
	if len(args) == 0 {
		topUsage(e.stderr, cmds)
		return ExitUsage
	}
	switch args[0] {
	case "-h", "-help", "--help", "help":
		return help(e, cmds, args[1:])
	case "-version", "--version":
		args = append([]string{"version"}, args[1:]...)
	}
	if c := find(cmds, args[0]); c != nil {
		return c.exec(ctx, e, args[1:])
	}
	return unknownCommand(e.stderr, cmds, args[0])
}

// find returns the command called name, or nil.
func find(cmds []*command, name string) *command {
	for _, c := range cmds {
		if c.name == name {
			return c
		}
	}
	return nil
}

// help answers `parity --help` with every command, and `parity help
// CMD` with CMD's flags, on stdout.
func help(e *env, cmds []*command, args []string) int {
	if len(args) == 0 {
		topUsage(e.stdout, cmds)
		return ExitOK
	}
	if c := find(cmds, args[0]); c != nil {
		c.help(e.stdout)
		return ExitOK
	}
	return unknownCommand(e.stderr, cmds, args[0])
}

// unknownCommand says name is no command, and which it may have meant.
func unknownCommand(stderr io.Writer, cmds []*command, name string) int {
	var names []string
	for _, c := range cmds {
		names = append(names, c.name)
	}
	if flagName, ok := strings.CutPrefix(name, "-"); ok {
		flagName = strings.TrimPrefix(flagName, "-")
		fmt.Fprintf(stderr, "parity: unknown flag --%s%s\n", flagName, didYouMean(flagName, "--", []string{"help", "version"}))
	} else {
		fmt.Fprintf(stderr, "parity: unknown command %q%s\n", name, didYouMean(name, "", names))
	}
	fmt.Fprintf(stderr, "usage: parity COMMAND [FLAGS], COMMAND one of %s\nparity --help says what each does.\n", strings.Join(names, ", "))
	return ExitUsage
}

// exec parses c's flags from args and runs c. --help prints c's help on
// stdout; a bad flag, here or in a parse c.run makes, is a usage error
// said in --flag terms, with a suggestion and c's short usage.
func (c *command) exec(ctx context.Context, e *env, args []string) int {
	// The flag package would print its errors and usage on the set's
	// output; the CLI says them once, below.
	c.fs.SetOutput(io.Discard)
	c.fs.Usage = func() {}
	err := c.fs.Parse(args)
	if err == nil {
		err = c.run(ctx, c.fs.Args())
	}
	if errors.Is(err, flag.ErrHelp) {
		c.help(e.stdout)
		return ExitOK
	}
	if msg, ok := flagMessage(c.fs, err); ok {
		fmt.Fprintf(e.stderr, "parity %s: %s\n", c.name, msg)
		c.shortUsage(e.stderr)
		return ExitUsage
	}
	return exitCode(e.stderr, err)
}

// exitCode says err on stderr, in flag terms, and returns the exit code
// it carries (ExitError when none).
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

// topUsage writes every command's synopsis and what it does.
func topUsage(w io.Writer, cmds []*command) {
	var b strings.Builder
	b.WriteString("parity runs prompt suites against LLM providers, scores the outputs, and reports.\n\nusage:\n")
	for _, c := range cmds {
		// The synopsis on its line, what it does under it.
		synopsis, what := c.synopsis()
		fmt.Fprintf(&b, "  parity %s\n      %s\n", synopsis, what)
	}
	b.WriteString("\nparity COMMAND --help shows a command's flags; parity --version, the build.\n")
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
			switch {
			case errors.Is(err, gate.ErrSpill):
				return &exitError{code: ExitError, err: err}
			case err != nil:
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
