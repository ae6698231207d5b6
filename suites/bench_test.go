package suites

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// writeBigSuite writes a suite whose n cases come from a JSONL file, the
// shape of a large generated eval set.
func writeBigSuite(tb testing.TB, n int) string {
	tb.Helper()
	dir := tb.TempDir()
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, `{"id": "case-%07d", "vars": {"text": "invoice %d from Acme"}, "reference": "Acme"}`+"\n", i, i)
	}
	suite := "name: big\ntags: [extract]\nprompt: {user: 'Vendor of: {{.text}}'}\ncases_file: cases.jsonl\nchecks:\n  - type: contains\n"
	for name, body := range map[string]string{"s.yaml": suite, "cases.jsonl": b.String()} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			tb.Fatal(err)
		}
	}
	return filepath.Join(dir, "s.yaml")
}

// BenchmarkLoadCases measures what `parity validate` does with a suite of
// n cases: parse, render every prompt, check every id is unique. Loading
// must stay linear: 200k cases under 2 s.
func BenchmarkLoadCases(b *testing.B) {
	for _, n := range []int{20_000, 200_000} {
		b.Run(fmt.Sprintf("cases=%d", n), func(b *testing.B) {
			path := writeBigSuite(b, n)
			b.ResetTimer()
			for b.Loop() {
				s, err := LoadFile(path)
				if err != nil {
					b.Fatal(err)
				}
				if len(s.Cases) != n {
					b.Fatalf("loaded %d cases, want %d", len(s.Cases), n)
				}
			}
		})
	}
}

// TestLoadIsLinear checks loading grows linearly with the number of cases:
// the duplicate-id check once compared each case with every earlier one,
// and validate took 140 s at 200k cases. Ten times the cases must take
// about ten times as long (a quadratic check makes it forty or more).
func TestLoadIsLinear(t *testing.T) {
	if testing.Short() {
		t.Skip("times loads of 5k and 50k cases")
	}
	small, large := writeBigSuite(t, 5_000), writeBigSuite(t, 50_000)
	took := func(path string, runs int) time.Duration {
		best := time.Duration(math.MaxInt64)
		for range runs {
			start := time.Now()
			if _, err := LoadFile(path); err != nil {
				t.Fatal(err)
			}
			best = min(best, time.Since(start))
		}
		return best
	}
	ts, tl := took(small, 3), took(large, 2)
	if ratio := float64(tl) / float64(ts); ratio > 30 {
		t.Errorf("5k cases load in %v, 50k in %v: %.0f times as long for 10 times the cases; loading is not linear", ts, tl, ratio)
	}
}
