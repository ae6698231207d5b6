package suites

import (
	"fmt"
	"hash/maphash"
)

// caseIDs is the set of case ids a suite's loader has seen, so that a
// duplicate is found in linear time. It keeps an id's 64-bit hash and
// its case's index, 12 bytes and the map's overhead, not the id: the
// earlier case of a matching hash is read again (from its cases_file
// line) to compare the two ids, and the ids of the rare distinct ones
// whose hashes collide are kept whole. Validating 1,000,000 cases so
// holds about 40 MB for the set, not the 100 MB of a map of the ids.
type caseIDs struct {
	seed   maphash.Seed
	byHash map[uint64]int32
	// collided holds, by id, the index of each case whose id's hash was
	// already another id's.
	collided map[string]int32
	// collide clears bits of every hash: a test's collisions.
	collide uint64
}

// newCaseIDs returns an empty set.
func newCaseIDs() *caseIDs {
	return &caseIDs{seed: maphash.MakeSeed(), byHash: map[uint64]int32{}}
}

// add records c as case index of cs; if an earlier case of cs has its
// id, it returns that case instead and records nothing.
func (ids *caseIDs) add(cs Cases, c *Case, index int) (*Case, error) {
	h := maphash.String(ids.seed, c.ID) &^ ids.collide
	prev, ok := ids.byHash[h]
	if !ok {
		ids.byHash[h] = int32(index)
		return nil, nil
	}
	if i, ok := ids.collided[c.ID]; ok {
		prev = i
	}
	earlier, err := cs.At(int(prev))
	if err != nil {
		return nil, fmt.Errorf("%s: compare its id with an earlier case's: %w", c.pos, err)
	}
	if earlier.ID == c.ID {
		return earlier, nil
	}
	if _, ok := ids.collided[c.ID]; !ok {
		if ids.collided == nil {
			ids.collided = map[string]int32{}
		}
		ids.collided[c.ID] = int32(index)
	}
	return nil, nil
}
