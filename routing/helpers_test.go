package routing

import (
	"cmp"

	"github.com/parity-eval/parity/suites"
)

// viewOf returns the view of a rule over every case, with providers as
// the config (nil: every provider).
func viewOf(ev *Evidence, tag, tier string, providers []*suites.Provider) (routeView, []Exclusion) {
	meta, _ := providerMetas(ev, providers)
	return newRouteView(ev.routes[Key{tag, tier}], meta, providers)
}

// ids returns the provider ids of choices, comma-separated.
func ids(cs []Choice) string {
	s := ""
	for i, c := range cs {
		if i > 0 {
			s += ","
		}
		s += c.Provider
	}
	return s
}

// caseKey returns case c's suite and id as "suite/id".
func caseKey(x *caseIndex, c int32) string {
	s, id := x.key(c)
	return x.suites[s] + "/" + string(id)
}

// compareKeys orders cases a and b by suite name, then id, from their
// keys as strings.
func compareKeys(x *caseIndex, a, b int32) int {
	sa, ia := x.key(a)
	sb, ib := x.key(b)
	return cmp.Or(cmp.Compare(x.suites[sa], x.suites[sb]), cmp.Compare(string(ia), string(ib)))
}
