package runner

import (
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
type unit struct {
	suite *suites.Suite
	c     *suites.Case
}

// units returns the cases of ss in the order they are sent: by suite and
// case, or shuffled by Order's seed.
func (r *Runner) units(ss []*suites.Suite) []unit {
	var us []unit
	for _, s := range ss {
		for _, c := range s.Cases {
			us = append(us, unit{suite: s, c: c})
		}
	}
	if r.seeded {
		shuffle(us, r.seed)
	}
	return us
}

// shuffle permutes us with a PCG source seeded by seed: the same seed
// always gives the same permutation.
func shuffle(us []unit, seed uint64) {
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	rng.Shuffle(len(us), func(i, j int) { us[i], us[j] = us[j], us[i] })
}
