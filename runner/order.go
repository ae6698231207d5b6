package runner

import (
	"fmt"
	"math/rand/v2"

	"github.com/parity-eval/parity/suites"
)

// Order sends the work in an order drawn from seed instead of suite by
// suite: a permutation of every (suite, case) pair of the run, so each
// suite's cases are spread through it (authors often sort cases by
// difficulty, and a run cut short then still covers every suite alike).
// A case's repeats stay consecutive. Every provider goes through the
// same order, and the same seed gives the same order for the same suites.
func Order(seed uint64) Option {
	return func(r *Runner) { r.seed, r.seeded = seed, true }
}

// unit is one case of one suite: what Order permutes and Admit decides.
// It holds where the case is, not the case: the case is read when its
// turn comes (see suites.Cases), so the work of a run costs 16 bytes a
// case until then.
type unit struct {
	suite *suites.Suite
	i     int32
}

// units returns the cases of ss in the order they are sent: by suite and
// case, or shuffled by Order's seed.
func (r *Runner) units(ss []*suites.Suite) []unit {
	us := make([]unit, 0, suites.CountCases(ss))
	for _, s := range ss {
		for i := range s.Cases.Len() {
			us = append(us, unit{suite: s, i: int32(i)})
		}
	}
	if r.seeded {
		shuffle(us, r.seed)
	}
	return us
}

// cursor reads the cases of units in turn, each suite's through a
// suites.CaseReader of its own, so cases in their file's order cost one
// read of it between them. It is not safe for concurrent use.
type cursor struct {
	readers map[*suites.Suite]*suites.CaseReader
}

// read returns u's case.
func (cu *cursor) read(u unit) (*suites.Case, error) {
	rd := cu.readers[u.suite]
	if rd == nil {
		if cu.readers == nil {
			cu.readers = map[*suites.Suite]*suites.CaseReader{}
		}
		rd = &suites.CaseReader{}
		cu.readers[u.suite] = rd
	}
	c, err := rd.Case(u.suite.Cases, int(u.i))
	if err != nil {
		return nil, fmt.Errorf("suite %s: %w", u.suite.Name, err)
	}
	return c, nil
}

// shuffle permutes us with a PCG source seeded by seed: the same seed
// always gives the same permutation.
func shuffle(us []unit, seed uint64) {
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	rng.Shuffle(len(us), func(i, j int) { us[i], us[j] = us[j], us[i] })
}
