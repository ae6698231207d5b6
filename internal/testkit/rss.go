package testkit

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
)

// PeakRSS is this process's peak resident set in bytes (VmHWM in
// /proc/self/status), 0 where unknown. A benchmark measures a child
// process of its own: rusage's maxrss would count the parent's,
// inherited across exec.
func PeakRSS() uint64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for line := range strings.Lines(string(b)) {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, _ := strconv.ParseUint(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return kb << 10
		}
	}
	return 0
}

// ResetPeakRSS starts the kernel's count of PeakRSS afresh, where it can
// (Linux, writing 5 to /proc/self/clear_refs).
func ResetPeakRSS() { _ = os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) }

// peakRSSTag begins the line PrintPeakRSS writes.
const peakRSSTag = "testkit-peak-rss-bytes:"

// PrintPeakRSS writes this process's PeakRSS on a line of its own, for a
// parent process's ReadPeakRSS.
func PrintPeakRSS(w io.Writer) { fmt.Fprintf(w, "%s %d\n", peakRSSTag, PeakRSS()) }

// ReadPeakRSS finds in a child's output the line PrintPeakRSS wrote and
// returns its figure in MB; ok is false without one (or with 0: unknown).
func ReadPeakRSS(out []byte) (mb float64, ok bool) {
	_, rest, found := bytes.Cut(out, []byte(peakRSSTag))
	if !found {
		return 0, false
	}
	var n uint64
	if _, err := fmt.Sscan(string(rest), &n); err != nil || n == 0 {
		return 0, false
	}
	return float64(n) / (1 << 20), true
}

// ChildPeakRSS runs this test binary again as the test named test, with
// the environment variable key set to value (the child's instructions),
// and returns the peak RSS in MB its PrintPeakRSS reported: a benchmark's
// figure for work done in a process of its own.
func ChildPeakRSS(tb testing.TB, test, key, value string) float64 {
	tb.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^"+test+"$")
	cmd.Env = append(os.Environ(), key+"="+value)
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	if err != nil {
		tb.Fatalf("%s: %v\n%s", test, err, out)
	}
	mb, ok := ReadPeakRSS(out)
	if !ok {
		tb.Fatalf("%s: no peak RSS in %q", test, out)
	}
	return mb
}
