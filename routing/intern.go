package routing

import (
	"bytes"
	"cmp"
	"encoding/binary"
	"hash/maphash"
	"slices"
)

// caseIndex interns the cases of an Evidence, (suite, id), to dense
// indices in the order they arrive. The keys are copied into an arena of
// byte chunks and found through an open-addressing table of indices, so
// that a case costs its id's bytes and 11 to 15 more (two varints, its
// position, its slots at 7/16 to 7/8 full), none of them a pointer for
// the collector to scan: no string header, no map bucket.
// Nothing else need keep a case's id once its row is added.
type caseIndex struct {
	// suites are the suites' names by suite index, in the order they
	// arrive; suiteIdx finds one.
	suites   []string
	suiteIdx map[string]uint32
	// arena holds every case's key: its id's length and its suite's index
	// as uvarints, then the id's bytes. at holds case c's key's position
	// (arenaPos).
	arena [][]byte
	at    paged[uint32]
	// slots is the table, a power of two long (or empty): 1 + a case's
	// index, 0 in a free slot; n counts the cases.
	slots []int32
	n     int32
	seed  maphash.Seed
	// collide clears bits of every key's hash: a test's collisions.
	collide uint64
}

// arenaChunkBits is the log2 of the size of an arena chunk (64 KiB). A
// key's position is its chunk's index times the chunk size plus its
// offset: a key never spans chunks, and one longer than a chunk has a
// chunk of its own.
const arenaChunkBits = 16

// maxArenaChunks is the number of chunks a position can name: case keys
// of at most 4 GiB in all.
const maxArenaChunks = 1 << (32 - arenaChunkBits)

// of returns the index of the case, interning it when new.
func (x *caseIndex) of(suite, id string) int32 {
	s := x.internSuite(suite)
	h := x.mix(s, maphash.String(x.seed, id))
	mask := uint64(len(x.slots) - 1)
	if len(x.slots) > 0 {
		for i, step := h&mask, uint64(1); ; i, step = (i+step)&mask, step+1 {
			c := x.slots[i] - 1
			if c < 0 {
				break
			}
			if ks, kid := x.key(c); ks == s && string(kid) == id {
				return c
			}
		}
	}
	c := x.n
	x.n++
	*x.at.grow(c, 0) = x.store(s, id)
	if int(x.n) > len(x.slots)/8*7 {
		x.rehash(max(2*len(x.slots), 16))
	} else {
		x.place(h, c)
	}
	return c
}

// internSuite returns the suite's index, registering it when new.
func (x *caseIndex) internSuite(suite string) uint32 {
	if len(x.suites) > 0 && x.suites[len(x.suites)-1] == suite {
		return uint32(len(x.suites) - 1)
	}
	s, ok := x.suiteIdx[suite]
	if !ok {
		if x.suiteIdx == nil {
			x.suiteIdx, x.seed = map[string]uint32{}, maphash.MakeSeed()
		}
		s = uint32(len(x.suites))
		x.suiteIdx[suite] = s
		x.suites = append(x.suites, suite)
	}
	return s
}

// mix returns the hash of a case's key from its suite and the hash of
// its id (maphash.String and maphash.Bytes agree).
func (x *caseIndex) mix(suite uint32, id uint64) uint64 {
	return (id ^ uint64(suite)*0x9e3779b97f4a7c15) &^ x.collide
}

// place puts case c, of hash h, in the table's first free slot from h.
func (x *caseIndex) place(h uint64, c int32) {
	mask := uint64(len(x.slots) - 1)
	i := h & mask
	for step := uint64(1); x.slots[i] != 0; step++ {
		i = (i + step) & mask
	}
	x.slots[i] = c + 1
}

// rehash rebuilds the table with size slots.
func (x *caseIndex) rehash(size int) {
	x.slots = make([]int32, size)
	for c := range x.n {
		s, id := x.key(c)
		x.place(x.mix(s, maphash.Bytes(x.seed, id)), c)
	}
}

// store copies a key into the arena and returns its position.
func (x *caseIndex) store(suite uint32, id string) uint32 {
	need := 2*binary.MaxVarintLen32 + len(id)
	last := len(x.arena) - 1
	if last < 0 || cap(x.arena[last])-len(x.arena[last]) < need {
		if len(x.arena) == maxArenaChunks {
			panic("routing: the case ids exceed the 4 GiB the evidence can hold")
		}
		x.arena = append(x.arena, make([]byte, 0, max(need, 1<<arenaChunkBits)))
		last++
	}
	chunk := x.arena[last]
	pos := uint32(last)<<arenaChunkBits | uint32(len(chunk))
	chunk = binary.AppendUvarint(chunk, uint64(len(id)))
	chunk = binary.AppendUvarint(chunk, uint64(suite))
	x.arena[last] = append(chunk, id...)
	return pos
}

// key returns case c's suite index and id, the id's bytes in the arena.
func (x *caseIndex) key(c int32) (suite uint32, id []byte) {
	pos := *x.at.at(c)
	b := x.arena[pos>>arenaChunkBits][pos&(1<<arenaChunkBits-1):]
	n, k := binary.Uvarint(b)
	s, k2 := binary.Uvarint(b[k:])
	b = b[k+k2:]
	return uint32(s), b[:n]
}

// suiteOf returns the index of case c's suite.
func (x *caseIndex) suiteOf(c int32) uint32 {
	s, _ := x.key(c)
	return s
}

// sortCases sorts cases by suite name, then id: global maps each to its
// index among the evidence's.
func (x *caseIndex) sortCases(cases []int32, global func(int32) int32) {
	rank := make([]int, len(x.suites))
	byName := make([]int, len(x.suites))
	for i := range byName {
		byName[i] = i
	}
	slices.SortFunc(byName, func(a, b int) int { return cmp.Compare(x.suites[a], x.suites[b]) })
	for r, s := range byName {
		rank[s] = r
	}
	slices.SortFunc(cases, func(a, b int32) int {
		sa, ia := x.key(global(a))
		sb, ib := x.key(global(b))
		return cmp.Or(cmp.Compare(rank[sa], rank[sb]), bytes.Compare(ia, ib))
	})
}
