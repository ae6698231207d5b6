package gate

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/parity-eval/parity/results"
	"github.com/parity-eval/parity/stats"
)

// Gate accumulates the rows of a baseline and a candidate, paired by
// (suite, case, repeat), and judges the candidate in Result. Rows stream
// through Add; what stays is one small cell per distinct (suite, case,
// repeat) key, so memory grows with the cases, never with anything else
// in the rows (outputs, checks, other providers). Not safe for concurrent
// use.
type Gate struct {
	opts   Options
	cells  map[gateKey]*gateCell
	suites map[string]*gateSuiteInfo
	seen   [2]map[string]int // rows per provider offered to each side
	dups   [2]int
	nc     float64 // the planned noncentrality, set by Result
}

// gateKey identifies a paired row.
type gateKey struct {
	suite, caseID string
	repeat        int32
}

// gateObs is what the gate keeps of one row.
type gateObs struct {
	score, cost, latency          float64
	present, pass, failed, cached bool
}

// gateCell holds both sides' rows of one key.
type gateCell struct{ obs [2]gateObs }

// paired reports whether both sides answered.
func (c *gateCell) paired() bool { return c.obs[0].present && c.obs[1].present }

// gateSuiteInfo is what the gate knows of a suite besides its rows.
type gateSuiteInfo struct {
	name   string
	tags   []string
	levels stats.ScoreLevels
}

// New returns an empty gate, or the error of invalid options.
func New(o Options) (*Gate, error) {
	if err := o.Validate(); err != nil {
		return nil, err
	}
	return &Gate{
		opts:   o,
		cells:  map[gateKey]*gateCell{},
		suites: map[string]*gateSuiteInfo{},
		seen:   [2]map[string]int{{}, {}},
	}, nil
}

// Add offers a row to one side: it is kept when its provider is that
// side's, ignored otherwise. A second row for the same side and key is
// counted as a duplicate and ignored.
func (g *Gate) Add(side Side, r *results.Row) {
	g.countProvider(side, r.Provider)
	if r.Provider != g.provider(side) {
		return
	}
	info := g.suiteInfo(r)
	k := gateKey{suite: info.name, caseID: r.CaseID, repeat: r.Repeat}
	c := g.cells[k]
	if c == nil {
		c = &gateCell{}
		k.caseID = strings.Clone(k.caseID) // not the reader's buffer
		g.cells[k] = c
	}
	if c.obs[side].present {
		g.dups[side]++
		return
	}
	c.obs[side] = gateObs{score: stats.RoundScore(r.Score), cost: r.CostUSD, latency: r.LatencyMS,
		present: true, pass: r.Pass, failed: r.ErrorClass != "", cached: r.Cached}
	info.levels.Add(c.obs[side].score, g.opts.Stats.DiscreteValues)
}

// countProvider counts a row of provider offered to side.
func (g *Gate) countProvider(side Side, provider string) {
	if _, ok := g.seen[side][provider]; !ok {
		provider = strings.Clone(provider)
	}
	g.seen[side][provider]++
}

// provider returns a side's provider id.
func (g *Gate) provider(side Side) string {
	if side == SideBaseline {
		return g.opts.Baseline
	}
	return g.opts.Candidate
}

// suiteInfo returns the row's suite, recording it (and its tags, from its
// first row) the first time.
func (g *Gate) suiteInfo(r *results.Row) *gateSuiteInfo {
	if s, ok := g.suites[r.Suite]; ok {
		return s
	}
	tags := slices.Sorted(slices.Values(r.Tags))
	if len(tags) == 0 {
		tags = []string{results.UntaggedTag}
	}
	s := &gateSuiteInfo{name: strings.Clone(r.Suite), tags: slices.Compact(tags)}
	g.suites[s.name] = s
	return s
}

// absent returns an error when a side's provider has no row.
func (g *Gate) absent() error {
	for side := range 2 {
		id := g.provider(Side(side))
		if g.seen[side][id] > 0 {
			continue
		}
		found := slices.Sorted(maps.Keys(g.seen[side]))
		return fmt.Errorf("%w: the %s %q has no row (the results hold: %s)",
			ErrProviderAbsent, Side(side), id, strings.Join(found, ", "))
	}
	return nil
}

// gateCase is one case of a suite: its paired cells and how many rows one
// side has without the other's.
type gateCase struct {
	suite, id string
	cells     []*gateCell
	only      [2]int
}

// byCase groups the cells by suite and case, in name order: the order the
// bootstrap resamples from, so the same data give the same intervals.
func (g *Gate) byCase() map[string][]*gateCase {
	keys := slices.SortedFunc(maps.Keys(g.cells), func(a, b gateKey) int {
		return cmp.Or(strings.Compare(a.suite, b.suite), strings.Compare(a.caseID, b.caseID), cmp.Compare(a.repeat, b.repeat))
	})
	out := map[string][]*gateCase{}
	var cur *gateCase
	for _, k := range keys {
		if cur == nil || cur.suite != k.suite || cur.id != k.caseID {
			cur = &gateCase{suite: k.suite, id: k.caseID}
			out[k.suite] = append(out[k.suite], cur)
		}
		c := g.cells[k]
		switch {
		case c.paired():
			cur.cells = append(cur.cells, c)
		case c.obs[SideBaseline].present:
			cur.only[SideBaseline]++
		default:
			cur.only[SideCandidate]++
		}
	}
	return out
}

// pairedCases returns the cases' score sums over their paired rows,
// leaving out cases without any.
func pairedCases(cases []*gateCase) []stats.PairedCase {
	out := make([]stats.PairedCase, 0, len(cases))
	for _, gc := range cases {
		if len(gc.cells) == 0 {
			continue
		}
		var pc stats.PairedCase
		for _, c := range gc.cells {
			pc.Baseline += c.obs[SideBaseline].score
			pc.Candidate += c.obs[SideCandidate].score
			pc.N++
		}
		out = append(out, pc)
	}
	return out
}
