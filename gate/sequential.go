package gate

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"

	"github.com/parity-eval/parity/internal/format"
	"github.com/parity-eval/parity/stats"
)

// Sequential decides a gate while the run is still sending, so a suite
// stops costing money as soon as its verdict is known.
//
// The runner sends the baseline and the candidate the same cases, in a
// seeded random order, and asks Admit before each case. Observe takes
// every scored row; once both sides have all the repeats of a case, its
// paired difference d (the candidate's mean score minus the baseline's, in
// [-1, 1]) enters, in admission order, two anytime-valid tests of the
// suite's mean difference by betting (stats.Betting, on x = (d+1)/2):
//
//	non-inferiority  H0: mean d <= -margin   shown: the suite passes
//	harm             H0: mean d >= 0         shown: the suite fails
//
// each at one-sided level alpha/2/m for m suites (Bonferroni), so that,
// however often they are looked at, a candidate as good as its baseline is
// shown harmful on any suite with probability at most alpha/2, and one
// worse by the margin is shown non-inferior on a suite with at most
// alpha/2/m. A decided suite admits no more cases; once a suite fails the
// gate's verdict is known and no case of any suite is admitted. Cases are
// fed in admission order, never in the order they finish, so a provider's
// speed cannot bias what the tests see.
//
// Admit is called from the runner's goroutines, Observe from the
// consumer's: Sequential is safe for concurrent use.
type Sequential struct {
	mu       sync.Mutex
	opts     Options
	repeats  int
	suites   map[string]*seqSuite
	failedAt string // the first suite that failed; "" while none has
	seed     uint64
}

// seqSuite is one suite's sequential state.
type seqSuite struct {
	name     string
	planned  int                 // cases in the suite
	admitted []string            // case ids, in admission order
	cases    map[string]*seqCase // admitted cases by id
	fed      int                 // admitted cases fed to the tests
	ni, harm *stats.Betting
	level    float64
	verdict  Verdict // "" while open
	cost     [2]seqCost
}

// seqCase is what has arrived of one admitted case.
type seqCase struct {
	sum [2]float64
	n   [2]int
}

// seqCost sums one side's cost in a suite, for the savings estimate.
type seqCost struct {
	usd  float64
	rows int
}

// SequentialPlan names a suite of a sequential gate and its cases.
type SequentialPlan struct {
	Suite string
	Cases int
}

// NewSequential returns the sequential state of a gate with options o over
// the suites of plan, each case sent repeats times to each side in the
// order seed shuffles them into (the seed is only reported). Set it as
// o.Sequential of the gate that judges the run.
func NewSequential(o Options, plan []SequentialPlan, repeats int, seed uint64) (*Sequential, error) {
	if err := o.Validate(); err != nil {
		return nil, err
	}
	if o.Margin <= 0 {
		return nil, fmt.Errorf("gate: a sequential gate needs a margin above 0, got %v", o.Margin)
	}
	sq := &Sequential{opts: o, repeats: max(repeats, 1), suites: map[string]*seqSuite{}, seed: seed}
	level := o.Stats.Alpha / 2 / float64(max(len(plan), 1))
	for _, p := range plan {
		sq.suites[p.Suite] = &seqSuite{
			name: p.Suite, planned: p.Cases, cases: map[string]*seqCase{}, level: level,
			ni:   stats.NewBetting(stats.Above, (1-o.Margin)/2),
			harm: stats.NewBetting(stats.Below, 0.5),
		}
	}
	return sq, nil
}

// Admit reports whether a case is to be sent: yes while its suite is
// undecided and no suite has failed. The runner asks once per case.
func (sq *Sequential) Admit(suite, caseID string) bool {
	sq.mu.Lock()
	defer sq.mu.Unlock()
	s := sq.suites[suite]
	if s == nil {
		return true // a suite the gate does not cover: not its business
	}
	if s.verdict != "" || sq.failedAt != "" {
		return false
	}
	s.admitted = append(s.admitted, caseID)
	s.cases[caseID] = &seqCase{}
	return true
}

// Observe takes one scored row of the run; rows of other providers, and
// of cases not admitted, are ignored.
func (sq *Sequential) Observe(provider, suite, caseID string, score, cost float64) {
	side := SideBaseline
	switch provider {
	case sq.opts.Baseline:
	case sq.opts.Candidate:
		side = SideCandidate
	default:
		return
	}
	sq.mu.Lock()
	defer sq.mu.Unlock()
	s := sq.suites[suite]
	if s == nil {
		return
	}
	c := s.cases[caseID]
	if c == nil {
		return
	}
	c.sum[side] += stats.RoundScore(score)
	c.n[side]++
	s.cost[side].usd += cost
	s.cost[side].rows++
	sq.feed(s)
}

// feed passes the suite's complete cases, in admission order, to its
// tests, and decides the suite when one of them shows its hypothesis.
func (sq *Sequential) feed(s *seqSuite) {
	for s.fed < len(s.admitted) && s.verdict == "" {
		c := s.cases[s.admitted[s.fed]]
		if c.n[SideBaseline] < sq.repeats || c.n[SideCandidate] < sq.repeats {
			return
		}
		d := c.sum[SideCandidate]/float64(c.n[SideCandidate]) - c.sum[SideBaseline]/float64(c.n[SideBaseline])
		x := (d + 1) / 2
		s.ni.Add(x)
		s.harm.Add(x)
		s.fed++
		switch {
		case s.ni.Rejects(s.level):
			s.verdict = Pass
		case s.harm.Rejects(s.level):
			s.verdict = Fail
			if sq.failedAt == "" {
				sq.failedAt = s.name
			}
		}
	}
}

// SequentialSuite is a suite's sequential decision: the cases admitted,
// those fed to the tests, the verdict ("" while undecided: inconclusive),
// the confidence sequence's bounds on the mean difference at that time
// (each one-sided at Level), and the tests' wealth.
type SequentialSuite struct {
	Suite      string    `json:"suite"`
	Planned    int       `json:"planned_cases"`
	Admitted   int       `json:"admitted_cases"`
	Decided    int       `json:"decided_after_cases"`
	Verdict    Verdict   `json:"verdict"`
	LowerBound NullFloat `json:"lower_bound"`
	UpperBound NullFloat `json:"upper_bound"`
	Level      float64   `json:"level"`
	NIWealth   NullFloat `json:"non_inferiority_wealth"`
	HarmWealth NullFloat `json:"harm_wealth"`
}

// SequentialSummary is what sequential gating saved against the fixed
// design, which sends every case of every suite to both sides.
type SequentialSummary struct {
	Seed uint64 `json:"seed"`
	// FixedRequests is what the fixed design sends to the two providers;
	// Requests what was admitted; SavedRequests the difference.
	FixedRequests int `json:"fixed_requests"`
	Requests      int `json:"requests"`
	SavedRequests int `json:"saved_requests"`
	// SavedUSD prices the cases not sent at each side's mean cost per row
	// in their suite.
	SavedUSD float64 `json:"saved_usd"`
	// StoppedBy names the suite whose failure stopped the run, if one did.
	StoppedBy string            `json:"stopped_by"`
	Suites    []SequentialSuite `json:"suites"`
}

// Summary returns the decisions so far and the savings, suites in name
// order.
func (sq *Sequential) Summary() *SequentialSummary {
	sq.mu.Lock()
	defer sq.mu.Unlock()
	out := &SequentialSummary{Seed: sq.seed, StoppedBy: sq.failedAt, Suites: []SequentialSuite{}}
	for _, name := range slices.Sorted(maps.Keys(sq.suites)) {
		s := sq.suites[name]
		rows := 2 * sq.repeats
		out.FixedRequests += s.planned * rows
		out.Requests += len(s.admitted) * rows
		unsent := float64((s.planned - len(s.admitted)) * sq.repeats)
		for _, c := range s.cost {
			if c.rows > 0 {
				out.SavedUSD += unsent * c.usd / float64(c.rows)
			}
		}
		out.Suites = append(out.Suites, s.decision())
	}
	out.SavedRequests = out.FixedRequests - out.Requests
	return out
}

// decision reports a suite's state, the bounds back on the scale of d.
func (s *seqSuite) decision() SequentialSuite {
	d := SequentialSuite{Suite: s.name, Planned: s.planned, Admitted: len(s.admitted), Decided: s.fed,
		Verdict: s.verdict, Level: s.level, NIWealth: NullFloat(s.ni.MaxWealth()), HarmWealth: NullFloat(s.harm.MaxWealth())}
	if d.Verdict == "" {
		d.Verdict = Inconclusive
	}
	d.LowerBound = NullFloat(2*s.ni.Bound(s.level) - 1)
	d.UpperBound = NullFloat(2*s.harm.Bound(s.level) - 1)
	return d
}

// String says what was saved, in one line.
func (s *SequentialSummary) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "sequential: %d of the fixed design's %d requests sent (%d saved", s.Requests, s.FixedRequests, s.SavedRequests)
	if s.SavedUSD > 0 {
		fmt.Fprintf(&b, ", about %s", format.USD(s.SavedUSD))
	}
	b.WriteString(")")
	if s.StoppedBy != "" {
		fmt.Fprintf(&b, "; stopped once %s failed", s.StoppedBy)
	}
	return b.String()
}
