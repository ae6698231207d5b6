package suites_test

import (
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/parity-eval/parity/internal/testkit"
	"github.com/parity-eval/parity/suites"
)

// TestExamplesRenderGolden renders every case of the example suites and
// compares a line per case (its messages' hash, its user prompt's start)
// with testdata/messages.golden. The golden was written when load rendered
// every prompt and kept it: rendering when a case is sent must send the
// same bytes, or every cached answer misses.
func TestExamplesRenderGolden(t *testing.T) {
	t.Parallel()
	ss, err := suites.Load("examples", "examples/capabilities")
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, s := range ss {
		for _, c := range testkit.Cases(t, s) {
			m, err := s.Messages(c)
			if err != nil {
				t.Fatalf("%s/%s: %v", s.Name, c.ID, err)
			}
			body, err := json.Marshal(m)
			if err != nil {
				t.Fatal(err)
			}
			user := []rune(strings.Join(strings.Fields(m.User), " "))
			fmt.Fprintf(&b, "%s/%s %x %q\n", s.Name, c.ID, sha256.Sum256(body), string(user[:min(len(user), 50)]))
		}
	}
	testkit.Golden(t, "messages.golden", b.String())
}
