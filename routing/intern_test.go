package routing

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

// internKeys are keys that stress the case index: an empty id, the same
// id in several suites, ids that share long prefixes or are prefixes of
// one another, an empty suite's name, ids of bytes a varint could be
// confused with, and an id longer than an arena chunk.
func internKeys() [][2]string {
	var keys [][2]string
	for s := range 40 {
		suite := fmt.Sprintf("suite-%d", s)
		keys = append(keys, [2]string{suite, ""}, [2]string{suite, "a"}, [2]string{suite, "same"})
		for i := range 50 {
			keys = append(keys, [2]string{suite, strings.Repeat("p", i+1)}, [2]string{suite, "prefix-" + strings.Repeat("x", 100) + fmt.Sprint(i)})
		}
	}
	long := strings.Repeat("L", 1<<arenaChunkBits+5)
	return append(keys, [2]string{"", ""}, [2]string{"", "x"}, [2]string{"s", "\x00\x01\xff"},
		[2]string{"s", "\x80\x80\x01"}, [2]string{"s", long}, [2]string{"s", long[1:]}, [2]string{"t", "after the long one"})
}

// TestCaseIndex interns the same keys under hashes that range from
// distinct to all equal: each distinct key gets the next index, a key
// seen again its own, and its suite and id read back from the arena;
// the order sorts by suite name, then id.
func TestCaseIndex(t *testing.T) {
	t.Parallel()
	keys := internKeys()
	for _, collide := range []uint64{0, ^uint64(15), ^uint64(0)} {
		t.Run(fmt.Sprintf("collide=%x", collide), func(t *testing.T) {
			t.Parallel()
			x := caseIndex{collide: collide}
			for i, k := range keys {
				if c := x.of(k[0], k[1]); c != int32(i) {
					t.Fatalf("key %d (%q/%.20q): index %d", i, k[0], k[1], c)
				}
			}
			for i, k := range slices.Backward(keys) {
				if c := x.of(k[0], k[1]); c != int32(i) || x.n != int32(len(keys)) {
					t.Fatalf("key %d (%q/%.20q) again: index %d of %d", i, k[0], k[1], c, x.n)
				}
				s, id := x.key(int32(i))
				if x.suites[s] != k[0] || string(id) != k[1] || x.suiteOf(int32(i)) != s {
					t.Fatalf("key %d reads back %q/%.20q", i, x.suites[s], id)
				}
			}
			order := make([]int32, x.n)
			for i := range order {
				order[i] = int32(len(order) - 1 - i)
			}
			x.sortCases(order, func(c int32) int32 { return c })
			for i := 1; i < len(order); i++ {
				a, b := keys[order[i-1]], keys[order[i]]
				if a[0] > b[0] || a[0] == b[0] && a[1] >= b[1] {
					t.Fatalf("sorted %q/%.20q before %q/%.20q", a[0], a[1], b[0], b[1])
				}
			}
		})
	}
}

// TestCaseIndexTable checks the table's load: a free slot for every
// lookup to end on, and no more than twice the slots three quarters of
// them would need.
func TestCaseIndexTable(t *testing.T) {
	t.Parallel()
	var x caseIndex
	for i := range 100_000 {
		x.of("s", fmt.Sprint(i))
		if n := int(x.n); len(x.slots)/8*7 < n || len(x.slots) > 16 && len(x.slots)/16*7 >= n {
			t.Fatalf("%d cases in %d slots", n, len(x.slots))
		}
	}
}

// TestRouteCasesSparse: a rule that misses some of the evidence's cases
// keeps its own dense indices, maps them to the evidence's and back, and
// sorts them by their keys.
func TestRouteCasesSparse(t *testing.T) {
	t.Parallel()
	var x caseIndex
	var dense, sparse routeCases
	for i := range 3000 {
		g := x.of("s", fmt.Sprintf("%05d", 3000-i))
		if dense.caseOf(g) != g {
			t.Fatalf("a rule of every case gives case %d another index", g)
		}
		if i%3 == 1 {
			continue
		}
		if c := sparse.caseOf(g); c != sparse.n-1 || sparse.globalOf(c) != g {
			t.Fatalf("case %d: the rule's %d of %d, back to %d", g, c, sparse.n, sparse.globalOf(c))
		}
	}
	if dense.sparse || !sparse.sparse || sparse.n != 2000 {
		t.Fatalf("dense sparse %v, sparse sparse %v with %d cases", dense.sparse, sparse.sparse, sparse.n)
	}
	for c := range sparse.n {
		if sparse.caseOf(sparse.globalOf(c)) != c || sparse.n != 2000 {
			t.Fatalf("case %d is found again as another", c)
		}
	}
	order := sparse.sortedCases(&x)
	if !slices.IsSortedFunc(order, func(a, b int32) int { return compareKeys(&x, sparse.globalOf(a), sparse.globalOf(b)) }) {
		t.Error("the rule's cases are not sorted by their keys")
	}
	if dense.caseOf(x.of("s", "new")) != 3000 || dense.sparse {
		t.Error("a rule of every case stops being dense on the next case")
	}
}
