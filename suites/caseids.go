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
	h := ids.hash(c.ID)
	if _, ok := ids.byHash[h]; !ok {
		ids.byHash[h] = int32(index)
		return nil, nil
	}
	earlier, err := ids.find(cs, c.ID, h, nil)
	if err != nil {
		return nil, fmt.Errorf("%s: compare its id with an earlier case's: %w", c.pos, err)
	}
	if earlier != nil {
		return earlier, nil
	}
	if ids.collided == nil {
		ids.collided = map[string]int32{}
	}
	ids.collided[c.ID] = int32(index)
	return nil, nil
}

// hash is id's hash in the set.
func (ids *caseIDs) hash(id string) uint64 { return maphash.String(ids.seed, id) &^ ids.collide }

// find returns the case of cs whose id is id (of hash h), nil when the
// set has none, reading it through r (a reader of its own when nil).
func (ids *caseIDs) find(cs Cases, id string, h uint64, r *CaseReader) (*Case, error) {
	i, ok := ids.collided[id]
	if !ok {
		if i, ok = ids.byHash[h]; !ok {
			return nil, nil
		}
	}
	if r == nil {
		r = &CaseReader{}
	}
	c, err := r.Case(cs, int(i))
	if err != nil || c.ID != id {
		return nil, err
	}
	return c, nil
}

// CaseIndex finds the cases of a suite by id, keeping a hash of each id
// and not the id (see caseIDs): the case found is read again.
type CaseIndex struct {
	cases Cases
	ids   *caseIDs
	r     CaseReader
}

// Index indexes the cases by id, reading every one once. It fails when
// a case cannot be read again; of two cases with one id (a suite built
// in code), the first is found.
func (cs Cases) Index() (*CaseIndex, error) { return cs.index(newCaseIDs()) }

// index indexes the cases into ids.
func (cs Cases) index(ids *caseIDs) (*CaseIndex, error) {
	x := &CaseIndex{cases: cs, ids: ids}
	var r CaseReader
	for i := range cs.Len() {
		c, err := r.Case(cs, i)
		if err != nil {
			return nil, err
		}
		if _, err := x.ids.add(cs, c, i); err != nil {
			return nil, err
		}
	}
	return x, nil
}

// Find returns the case whose id is id, read again; nil when there is
// none. It is not safe for concurrent use.
func (x *CaseIndex) Find(id string) (*Case, error) {
	return x.ids.find(x.cases, id, x.ids.hash(id), &x.r)
}
