package routing

import (
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
