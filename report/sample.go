package report

import (
	"container/heap"
	"slices"
	"unicode/utf8"

	"github.com/parity-eval/parity/results"

	"github.com/parity-eval/parity/judges"
	"github.com/parity-eval/parity/runner"
)

// Sample limits of the HTML report's drill-down.
const (
	// DefaultMaxCases is how many cases (a case on one repeat, with every
	// provider's row) the drill-down keeps: cases with a failing row first,
	// then others, each group in the order of a fixed hash.
	DefaultMaxCases = 200
	// DefaultSamplePerSuite is how many cases of each suite the drill-down
	// also keeps whatever their outcome, chosen by the same hash.
	DefaultSamplePerSuite = 3
	// maxTextBytes bounds every text kept in the sample (prompt, output,
	// error, reason, check detail).
	maxTextBytes = 4096
	// lookbackRows is how many recent rows the sampler remembers, so that a
	// case picked when its first failing row arrives also shows the rows of
	// other providers that arrived shortly before.
	lookbackRows = 1024
	// sampleSeed seeds the case hash: the same rows give the same sample
	// whatever order they arrive in.
	sampleSeed uint64 = 0x5ca1ab1e0ddba11
)

// sampleRow is a row kept for the drill-down, its texts truncated.
type sampleRow struct {
	Provider, Model string
	Output          string
	ErrorClass      runner.ErrorClass
	Error           string
	JudgeReason     string
	Score           float64
	Pass            bool
	Checks          []judges.CheckScore
}

// newSampleRow copies what the drill-down shows of a row.
func newSampleRow(s *judges.Scored) *sampleRow {
	r := &sampleRow{
		Provider: results.ProviderID(s), Model: results.ProviderModel(s),
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
		r.Output, r.ErrorClass, r.Error = truncate(res.Output), res.ErrorClass, truncate(res.Error)
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

// drillKey identifies a drill-down case: one case of one suite on one
// repeat, across providers.
type drillKey struct {
	suite, caseID string
	repeat        int
}

// drillKeyOf returns the case a row belongs to.
func drillKeyOf(s *judges.Scored) drillKey {
	k := drillKey{suite: results.SuiteName(s), caseID: results.CaseID(s)}
	if s.Result != nil {
		k.repeat = s.Result.Repeat
	}
	return k
}

// drillCase is a kept case: its prompt and the rows kept of it.
type drillCase struct {
	key     drillKey
	hash    uint64
	failing bool
	system  string
	user    string
	ref     string
	rows    []*sampleRow
	// mainAt and suiteAt are the entry's indexes in the sampler's heaps,
	// -1 when it is not in that heap.
	mainAt, suiteAt int
}

// add keeps one row of the case, the first one of each provider.
func (e *drillCase) add(s *judges.Scored) {
	id := results.ProviderID(s)
	if slices.ContainsFunc(e.rows, func(r *sampleRow) bool { return r.Provider == id }) {
		return
	}
	if len(e.rows) == 0 && s.Result != nil && s.Result.Case != nil {
		m, _ := s.Result.Suite.Messages(s.Result.Case)
		e.system, e.user, e.ref = truncate(m.System), truncate(m.User), truncate(s.Result.Case.Reference)
	}
	e.rows = append(e.rows, newSampleRow(s))
}

// sampler keeps a bounded, deterministic sample of cases: the maxCases
// best by (has a failing row, hash), and the samplePerSuite lowest hashes
// of each suite. Both sets depend only on the rows added, not their order;
// a case's rows that arrived before it was picked are kept when they are
// among the last lookbackRows rows.
type sampler struct {
	maxCases, perSuite int
	entries            map[drillKey]*drillCase
	main               *drillHeap
	suites             map[string]*drillHeap
	nFailing, nPassing int64
	// ring holds the last lookbackRows rows with their cases' keys, so
	// that recall compares keys without reaching into every row.
	ring     []recent
	ringNext int
}

// recent is a row of the ring and the case it belongs to.
type recent struct {
	key drillKey
	row *judges.Scored
}

// newSampler returns an empty sampler with the given limits.
func newSampler(maxCases, perSuite int) *sampler {
	return &sampler{
		maxCases: max(maxCases, 0), perSuite: max(perSuite, 0),
		entries: map[drillKey]*drillCase{},
		main:    &drillHeap{},
		suites:  map[string]*drillHeap{},
		ring:    make([]recent, 0, lookbackRows),
	}
}

// add counts a row and keeps it when its case is in the sample.
func (s *sampler) add(r *judges.Scored) {
	if r.Pass {
		s.nPassing++
	} else {
		s.nFailing++
	}
	k := drillKeyOf(r)
	if e := s.entries[k]; e != nil {
		e.add(r)
		if !r.Pass && !e.failing {
			e.failing = true
			if e.mainAt >= 0 {
				heap.Fix(s.main, e.mainAt)
			} else {
				s.admit(s.main, e, s.maxCases)
			}
		}
	} else {
		s.pick(drillCase{key: k, hash: drillHash(k), failing: !r.Pass, mainAt: -1, suiteAt: -1}, r)
	}
	s.remember(k, r)
}

// pick keeps the new case c, of which r is the first row, when either
// sample takes it. Most cases are not taken: c is copied to the heap only
// once one is.
func (s *sampler) pick(c drillCase, r *judges.Scored) {
	main, suite := s.main, s.suiteHeap(c.key.suite)
	if !main.takes(&c, s.maxCases) && !suite.takes(&c, s.perSuite) {
		return
	}
	e := new(drillCase)
	*e = c
	inMain := s.admit(main, e, s.maxCases)
	if s.admit(suite, e, s.perSuite) || inMain {
		s.entries[c.key] = e
		s.recall(e)
		e.add(r)
	}
}

// suiteHeap returns the per-suite sample heap of suite.
func (s *sampler) suiteHeap(suite string) *drillHeap {
	h := s.suites[suite]
	if h == nil {
		h = &drillHeap{perSuite: true}
		s.suites[suite] = h
	}
	return h
}

// admit puts e in h when h takes it, evicting h's worst when h is full
// (and dropping that from the sampler when no heap holds it).
func (s *sampler) admit(h *drillHeap, e *drillCase, limit int) bool {
	if h.Len() < limit {
		heap.Push(h, e)
		return true
	}
	if !h.takes(e, limit) {
		return false
	}
	heap.Push(h, e)
	out := heap.Pop(h).(*drillCase)
	if out.mainAt < 0 && out.suiteAt < 0 {
		delete(s.entries, out.key)
	}
	return true
}

// recall adds to a newly picked case its recent rows.
func (s *sampler) recall(e *drillCase) {
	for i := range s.ring {
		if r := s.ring[(s.ringNext+i)%len(s.ring)]; r.key == e.key {
			e.add(r.row)
		}
	}
}

// remember keeps r, of the case k, among the last lookbackRows rows.
func (s *sampler) remember(k drillKey, r *judges.Scored) {
	if len(s.ring) < cap(s.ring) {
		s.ring = append(s.ring, recent{k, r})
		return
	}
	s.ring[s.ringNext] = recent{k, r}
	s.ringNext = (s.ringNext + 1) % len(s.ring)
}

// kept returns the sampled cases.
func (s *sampler) kept() []*drillCase {
	out := make([]*drillCase, 0, len(s.entries))
	for _, e := range s.entries {
		out = append(out, e)
	}
	return out
}

// drillHash hashes a case key with the fixed seed (FNV-1a, then the
// splitmix64 finalizer to spread similar ids).
func drillHash(k drillKey) uint64 {
	h := sampleSeed ^ 0xcbf29ce484222325
	mix := func(s string) {
		for i := 0; i < len(s); i++ {
			h = (h ^ uint64(s[i])) * 0x100000001b3
		}
		h = (h ^ 0xff) * 0x100000001b3
	}
	mix(k.suite)
	mix(k.caseID)
	h = (h ^ uint64(k.repeat)) * 0x100000001b3
	h ^= h >> 30
	h *= 0xbf58476d1ce4e5b9
	h ^= h >> 27
	h *= 0x94d049bb133111eb
	return h ^ h>>31
}

// drillWorse orders the main sample: a case without a failing row is
// worse than one with, then the higher hash is worse.
func drillWorse(a, b *drillCase) bool {
	if a.failing != b.failing {
		return !a.failing
	}
	return drillWorseHash(a, b)
}

// drillWorseHash: the higher hash is worse; ties (never in practice) break on
// the key.
func drillWorseHash(a, b *drillCase) bool {
	if a.hash != b.hash {
		return a.hash > b.hash
	}
	if a.key.suite != b.key.suite {
		return a.key.suite > b.key.suite
	}
	if a.key.caseID != b.key.caseID {
		return a.key.caseID > b.key.caseID
	}
	return a.key.repeat > b.key.repeat
}

// drillHeap is a heap of cases with the worst on top; each entry records
// its index in it. The order and the index are the main sample's, or with
// perSuite a suite's sample's: methods, not func fields, so that a case
// compared with the heap stays where it is (on the caller's stack).
type drillHeap struct {
	items    []*drillCase
	perSuite bool
}

// worse orders the heap (drillWorse, or drillWorseHash per suite).
func (h *drillHeap) worse(a, b *drillCase) bool {
	if h.perSuite {
		return drillWorseHash(a, b)
	}
	return drillWorse(a, b)
}

// at returns where e records its index in h.
func (h *drillHeap) at(e *drillCase) *int {
	if h.perSuite {
		return &e.suiteAt
	}
	return &e.mainAt
}

// takes reports whether admit would put e in h, limited to limit cases:
// when h has room, or e is better than h's worst.
func (h *drillHeap) takes(e *drillCase, limit int) bool {
	return h.Len() < limit || h.Len() > 0 && h.worse(h.items[0], e)
}

func (h *drillHeap) Len() int           { return len(h.items) }
func (h *drillHeap) Less(i, j int) bool { return h.worse(h.items[i], h.items[j]) }
func (h *drillHeap) Swap(i, j int) {
	h.items[i], h.items[j] = h.items[j], h.items[i]
	*h.at(h.items[i]), *h.at(h.items[j]) = i, j
}
func (h *drillHeap) Push(x any) {
	e := x.(*drillCase)
	*h.at(e) = len(h.items)
	h.items = append(h.items, e)
}
func (h *drillHeap) Pop() any {
	e := h.items[len(h.items)-1]
	h.items = h.items[:len(h.items)-1]
	*h.at(e) = -1
	return e
}
