package report

import (
	"cmp"
	"slices"
	"unicode/utf8"

	"github.com/parity-eval/parity/judges"
)

// Sample limits of the HTML report's drill-down.
const (
	// DefaultMaxFailing is how many failing rows the report shows.
	DefaultMaxFailing = 200
	// DefaultPassingPerCell is how many passing rows it shows per
	// suite×provider.
	DefaultPassingPerCell = 3
	// maxTextBytes bounds every text kept in the sample (prompt, output,
	// error, reason, check detail).
	maxTextBytes = 4096
)

// sampleRow is a row kept for the drill-down, its texts truncated.
type sampleRow struct {
	Suite, CaseID, Provider, Model string
	Repeat                         int
	System, User, Reference        string
	Output, ErrorClass, Error      string
	JudgeReason                    string
	Score                          float64
	Pass                           bool
	Checks                         []judges.CheckScore
}

// newSampleRow copies what the drill-down shows of a row.
func newSampleRow(s *judges.Scored) sampleRow {
	r := sampleRow{
		Suite: suiteName(s), CaseID: caseID(s), Provider: providerID(s), Model: providerModel(s),
		JudgeReason: truncate(s.JudgeReason),
		Score:       s.Score,
		Pass:        s.Pass,
		Checks:      make([]judges.CheckScore, len(s.Checks)),
	}
	for i, c := range s.Checks {
		c.Detail, c.Error = truncate(c.Detail), truncate(c.Error)
		r.Checks[i] = c
	}
	if res := s.Result; res != nil {
		r.Repeat = res.Repeat
		r.Output, r.ErrorClass, r.Error = truncate(res.Output), res.ErrorClass, truncate(res.Error)
		if res.Case != nil {
			m := res.Case.Messages
			r.System, r.User, r.Reference = truncate(m.System), truncate(m.User), truncate(res.Case.Reference)
		}
	}
	return r
}

// truncate cuts s to at most maxTextBytes on a rune boundary, saying so.
func truncate(s string) string {
	if len(s) <= maxTextBytes {
		return s
	}
	cut := maxTextBytes
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "… [truncated]"
}

// sampler keeps a bounded sample of rows: the first maxFailing failing rows
// and the first passingPerCell passing rows of each suite×provider.
type sampler struct {
	maxFailing, passingPerCell int
	failing, passing           []sampleRow
	passingKept                map[pair]int
	nFailing, nPassing         int64
}

// newSampler returns an empty sampler with the given limits.
func newSampler(maxFailing, passingPerCell int) *sampler {
	return &sampler{maxFailing: maxFailing, passingPerCell: passingPerCell, passingKept: map[pair]int{}}
}

// add counts a row and keeps it when the sample has room.
func (s *sampler) add(r *judges.Scored) {
	if !r.Pass {
		s.nFailing++
		if len(s.failing) < s.maxFailing {
			s.failing = append(s.failing, newSampleRow(r))
		}
		return
	}
	s.nPassing++
	k := pair{suiteName(r), providerID(r)}
	if s.passingKept[k] < s.passingPerCell {
		s.passingKept[k]++
		s.passing = append(s.passing, newSampleRow(r))
	}
}

// sorted returns rows ordered by suite, case, provider and repeat.
func sorted(rows []sampleRow) []sampleRow {
	out := slices.Clone(rows)
	slices.SortStableFunc(out, func(x, y sampleRow) int {
		return cmp.Or(cmp.Compare(x.Suite, y.Suite), cmp.Compare(x.CaseID, y.CaseID),
			cmp.Compare(x.Provider, y.Provider), cmp.Compare(x.Repeat, y.Repeat))
	})
	return out
}
