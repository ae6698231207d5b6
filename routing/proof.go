package routing

import (
	"fmt"
	"github.com/parity-eval/parity/internal/format"
	"hash/fnv"
	"math"
	"math/rand/v2"
	"slices"
)

// holdoutSums accumulates a mean quality and cost over cases.
type holdoutSums struct {
	score, cost float64
	n           int
}

// add records one case's mean score and cost.
func (s *holdoutSums) add(c caseCell) {
	s.score += c.meanScore()
	s.cost += c.meanCost()
	s.n++
}

// mean returns the means, zero when empty.
func (s holdoutSums) mean() (q, c float64) {
	if s.n == 0 {
		return 0, 0
	}
	return s.score / float64(s.n), s.cost / float64(s.n)
}

// outcome returns the means, rounded for reading.
func (s holdoutSums) outcome() Outcome {
	return roundedOutcome(s.mean())
}

// holdoutProof accumulates the held-out proof over every rule.
type holdoutProof struct {
	s    Settings
	grid []float64
	tol  int
	// rules and bestHits are per tolerance of the grid.
	rules             []holdoutSums
	bestHits          []int
	best, cheap, base holdoutSums
	routes            []RouteHoldout
	warnings          []string
	// held are the held-out cases' sums the intervals resample; shares
	// the training sets' sizes the split cost reports.
	held   heldOutCases
	shares trainingShares
}

// newHoldoutProof starts a proof with the settings.
func newHoldoutProof(s Settings) *holdoutProof {
	grid := curveGrid(s)
	return &holdoutProof{s: s, grid: grid, tol: slices.Index(grid, s.Tolerance),
		rules: make([]holdoutSums, len(grid)), bestHits: make([]int, len(grid))}
}

// holdoutFold is what a fold's training cases choose.
type holdoutFold struct {
	best, cheap, base int
	// baseFound is false when the baseline cannot serve the rule.
	baseFound bool
	// primaries are the primaries at each tolerance of the grid.
	primaries []int
}

// route proves one rule over its folds. full is the rule chosen on every
// case, whose primary the folds' are compared with.
func (p *holdoutProof) route(v routeView, full TagRule) {
	tests, method := assignFolds(v.cases, v.route.key, p.s.Holdout)
	if tests == nil {
		p.warnings = append(p.warnings, fmt.Sprintf("%s: %d case(s): too few to hold any out", v.route.key, len(v.cases)))
		return
	}
	rh := RouteHoldout{Route: v.route.key.String(), Method: method}
	var rules, best holdoutSums
	folds, stable, substituted := 0, 0, false
	rng := halfRNG(v.route.key, p.s.Holdout)
	for _, test := range tests {
		train := trainingCases(v.cases, test)
		fc, ok := p.choose(v, train)
		if !ok {
			continue
		}
		folds++
		substituted = substituted || p.s.Baseline != "" && !fc.baseFound
		if full.Primary != nil && v.meta[fc.primaries[p.tol]].id == full.Primary.Provider {
			stable++
		}
		halves, halfSize := p.halves(v, train, fc, rng)
		nTrain := len(train) // and train is garbage while the sums grow
		for _, c := range test {
			if !heldOutComplete(v.route, c, v.usable) {
				continue
			}
			p.score(v, c, fc, halves)
			p.shares.add(nTrain, halfSize, len(v.cases))
			rules.add(v.route.cell(c, fc.primaries[p.tol]))
			best.add(v.route.cell(c, fc.best))
		}
	}
	if substituted {
		p.warnings = append(p.warnings, fmt.Sprintf("%s: the baseline %s cannot serve it; its cases count on the rule's best", rh.Route, p.s.Baseline))
	}
	rh.Cases, rh.Rules, rh.Best = rules.n, rules.outcome(), best.outcome()
	if folds > 0 {
		rh.Stability = format.RoundTo(float64(stable)/float64(folds), 4)
	}
	p.routes = append(p.routes, rh)
}

// score adds one held-out case to every reference and tolerance, and to
// the sums the intervals resample, with the primaries halves chose.
func (p *holdoutProof) score(v routeView, c int32, fc holdoutFold, halves []int) {
	r := v.route
	g := r.globalOf(c)
	p.held.add(g, r.index.suiteOf(g), heldOutSums(r, c, fc, p.tol, halves))
	p.best.add(r.cell(c, fc.best))
	p.cheap.add(r.cell(c, fc.cheap))
	p.base.add(r.cell(c, fc.base))
	for i, prim := range fc.primaries {
		p.rules[i].add(r.cell(c, prim))
		if prim == fc.best {
			p.bestHits[i]++
		}
	}
}

// choose picks, on a fold's training cases, the best, the cheapest, the
// baseline (the best when the baseline cannot serve the rule) and the
// primary at every tolerance.
func (p *holdoutProof) choose(v routeView, train []int32) (holdoutFold, bool) {
	tv := v.withCases(train)
	cands := tv.candidates()
	usable := usableOnly(cands)
	if len(usable) == 0 {
		return holdoutFold{}, false
	}
	fc := holdoutFold{best: slices.MinFunc(usable, byQuality).idx, cheap: slices.MinFunc(usable, byCost).idx}
	fc.base = fc.best
	if c, ok := findCandidate(usable, p.s.Baseline); ok {
		fc.base, fc.baseFound = c.idx, true
	}
	paired := memoPaired(tv)
	for _, tol := range p.grid {
		fc.primaries = append(fc.primaries, decideRoute(cands, paired, tol).primary.idx)
	}
	return fc, true
}

// memoPaired returns the view's paired comparison, computing each pair of
// providers once: it does not depend on the tolerance.
func memoPaired(v routeView) func(a, b routeCandidate) routePaired {
	memo := map[[2]int]routePaired{}
	return func(a, b routeCandidate) routePaired {
		k := [2]int{a.idx, b.idx}
		if d, ok := memo[k]; ok {
			return d
		}
		d := v.paired(a, b)
		memo[k] = d
		return d
	}
}

// heldOutComplete reports whether every usable provider answered the case: only
// such cases are scored, so that every reference sees the same cases.
func heldOutComplete(r *routeEvidence, c int32, usable []int) bool {
	for _, p := range usable {
		if !r.has(c, p) {
			return false
		}
	}
	return true
}

// assignFolds shuffles a rule's cases with a seed of its own and returns
// the held-out part of each fold: one part of TestShare of the cases from
// MinSplitCases cases, else Folds folds (at most one per case). It
// returns nil below two cases.
func assignFolds(cases []int32, key Key, hs HoldoutSettings) ([][]int32, string) {
	n := len(cases)
	if n < 2 {
		return nil, ""
	}
	h := fnv.New64a()
	h.Write([]byte(key.String()))
	perm := perm32(rand.New(rand.NewPCG(hs.Seed, h.Sum64())), n)
	if n >= hs.MinSplitCases {
		nTest := min(max(int(math.Round(float64(n)*hs.TestShare)), 1), n-1)
		test := make([]int32, 0, nTest)
		for _, i := range perm[:nTest] {
			test = append(test, cases[i])
		}
		return [][]int32{test}, fmt.Sprintf("split: %d of %d cases held out", nTest, n)
	}
	k := min(max(hs.Folds, 2), n)
	tests := make([][]int32, k)
	for j, i := range perm {
		tests[j%k] = append(tests[j%k], cases[i])
	}
	return tests, fmt.Sprintf("%d-fold cross-validation over %d cases", k, n)
}

// perm32 is rng.Perm(n) in int32s: the same permutation, in half the
// memory.
func perm32(rng *rand.Rand, n int) []int32 {
	p := make([]int32, n)
	for i := range p {
		p[i] = int32(i)
	}
	rng.Shuffle(n, func(i, j int) { p[i], p[j] = p[j], p[i] })
	return p
}

// trainingCases returns the cases not in test, in their order: test is
// marked in a bit set by case index, not a map.
func trainingCases(cases, test []int32) []int32 {
	var n int32
	for _, c := range test {
		n = max(n, c+1)
	}
	held := make([]uint64, (n+63)/64)
	for _, c := range test {
		held[c/64] |= 1 << (c % 64)
	}
	train := make([]int32, 0, max(len(cases)-len(test), 0))
	for _, c := range cases {
		if c >= n || held[c/64]&(1<<(c%64)) == 0 {
			train = append(train, c)
		}
	}
	return train
}
