package main

import (
	"regexp"
	"strings"
	"testing"

	"github.com/parity-eval/parity/internal/version"
)

// TestVersion: parity --version and parity version print the build on
// stdout, in one line; a test binary has no VCS information, and says
// so.
func TestVersion(t *testing.T) {
	t.Parallel()
	line := regexp.MustCompile(`^parity \S+ \((unknown revision|[0-9a-f]+(, \S+)?(, modified)?), go\S+\)\n$`)
	for _, args := range [][]string{{"--version"}, {"-version"}, {"version"}} {
		code, stdout, stderr := cli(t, nil, args...)
		if code != ExitOK || stderr != "" || !line.MatchString(stdout) || stdout != version.String()+"\n" {
			t.Errorf("parity %s: exit %d, stdout %q, stderr %q", strings.Join(args, " "), code, stdout, stderr)
		}
	}
	if _, stdout, _ := cli(t, nil, "version"); !strings.Contains(stdout, "(devel) (unknown revision, go") {
		t.Logf("a test binary with build information: %s", stdout)
	}
	if code, _, stderr := cli(t, nil, "version", "extra"); code != ExitUsage || !strings.Contains(stderr, "version takes no arguments") {
		t.Errorf("version extra: exit %d, stderr %q", code, stderr)
	}
}
