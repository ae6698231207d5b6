package main

import (
	"bytes"
	"context"
	"io"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/parity-eval/parity/fixtures"
	"github.com/parity-eval/parity/results"
)

// quickProfiles are fastProfiles with a few milliseconds per answer: an
// interrupt after the first result leaves most of a run unsent.
func quickProfiles() fixtures.Option {
	ps := fastProfiles()
	for i := range ps {
		ps[i].Latency = 5 * time.Millisecond
	}
	return fixtures.Profiles(ps...)
}

// demoEnv is the environment of a demo in a test: buffers for its
// output, quick simulated providers, and through, if not nil, between
// the run and its files.
func demoEnv(through func(string, io.Writer) io.Writer) (*env, *bytes.Buffer, *bytes.Buffer) {
	var out, errb bytes.Buffer
	return &env{stdout: &out, stderr: &errb, lookupEnv: func(string) (string, bool) { return "", false },
		writesThrough: through, demoFixtures: []fixtures.Option{quickProfiles()}}, &out, &errb
}

// cancelOnWrite calls cancel at the first write to the journal, as a
// Ctrl-C once the first result is in.
func cancelOnWrite(cancel context.CancelFunc) func(string, io.Writer) io.Writer {
	var once sync.Once
	return func(name string, w io.Writer) io.Writer {
		if name != results.JournalFile {
			return w
		}
		return writerFunc(func(p []byte) (int, error) {
			once.Do(cancel)
			return w.Write(p)
		})
	}
}

// writerFunc is a function as an io.Writer.
type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }

// resumeHint is the resume command an interrupted run prints.
var resumeHint = regexp.MustCompile("`(parity [^`]*--resume[^`]*)`")

// TestDemoResume interrupts a demo after its first result and runs the
// resume command it prints, as printed: the demo serves its simulated
// providers again where the run's config names them, sends what the
// journal lacks, and the outputs hold every result once.
func TestDemoResume(t *testing.T) {
	t.Parallel()
	out := filepath.Join(t.TempDir(), "demo")
	args := []string{"demo", "--config", "../../parity.yaml", "--suites", classifySuite, "--out", out, "--quiet"}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	e, _, stderr := demoEnv(cancelOnWrite(cancel))
	if code := parityEnv(ctx, args, e); code != ExitInterrupted {
		t.Fatalf("the interrupted demo: exit %d: %s", code, stderr)
	}
	m := resumeHint.FindStringSubmatch(stderr.String())
	if m == nil || !strings.HasPrefix(m[1], "parity demo --resume") {
		t.Fatalf("no demo resume hint in %s", stderr)
	}
	first := countLines(filepath.Join(out, results.JournalFile))
	// The simulated providers come back as they were, or not at all.
	e, _, stderr = demoEnv(nil)
	if code := parityEnv(context.Background(), []string{"demo", "--resume", "--out", out, "--fixtures-seed", "2"}, e); code != ExitUsage ||
		!strings.Contains(stderr.String(), "drop --fixtures-seed") {
		t.Errorf("demo --resume --fixtures-seed 2: exit %d: %s", code, stderr)
	}

	e, _, stderr = demoEnv(nil)
	code := parityEnv(context.Background(), strings.Fields(m[1])[1:], e)
	if code != ExitOK {
		t.Fatalf("%s: exit %d: %s", m[1], code, stderr)
	}
	// The classify suite's 11 cases on the demo's 4 chat providers.
	const want = 11 * 4
	if first >= want {
		t.Fatalf("the interrupt left %d of %d results: nothing was resumed", first, want)
	}
	assertOneRowEach(t, readRows(t, out), want)
	// A demo without a record to resume says so, naming parity run.
	e, _, stderr = demoEnv(nil)
	if code := parityEnv(context.Background(), []string{"demo", "--resume", "--out", t.TempDir()}, e); code != ExitUsage ||
		!strings.Contains(stderr.String(), "holds no demo to resume") {
		t.Errorf("demo --resume of no demo: exit %d: %s", code, stderr)
	}
}
