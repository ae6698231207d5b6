//go:build !race

package gate

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/parity-eval/parity/results"
)

// BenchmarkGateResult times one gate over the profile's rows: 4 suites
// of 200 cases (the size of a team's nightly), and of 20,000 cases (a
// large migration, 160,000 rows): rows in through Add, Result out.
func BenchmarkGateResult(b *testing.B) {
	for _, cases := range []int{200, 20000} {
		b.Run(fmt.Sprintf("cases=%d", cases), func(b *testing.B) {
			sized := map[string]int{}
			for _, s := range profileSuites {
				sized[s.name] = cases
			}
			var rows []*results.Row
			profileRows(rand.New(rand.NewPCG(1, 2)), sized, nil, func(r *results.Row) { rows = append(rows, r) })
			o := DefaultOptions()
			o.Baseline, o.Candidate = "base", "cand"
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				g, err := New(o)
				if err != nil {
					b.Fatal(err)
				}
				for _, r := range rows {
					g.Add(SideBaseline, r)
					g.Add(SideCandidate, r)
				}
				if _, err := g.Result(); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(len(rows))*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
		})
	}
}
