package report

import (
	"fmt"
	"time"

	"github.com/parity-eval/parity/suites"
)

// pspec is one provider's rows on one rule: a score per case (case i is
// "c%02d"), repeated repeats times (default once), a cost per row, the
// cases whose request failed, or unsupported for a provider that lacks
// the rule's capability.
type pspec struct {
	id          string
	scores      []float64
	cost        float64
	repeats     int
	failed      []int
	unsupported bool
}

// addSpecs records the providers' rows on the rule tag@tier.
func addSpecs(ev *Evidence, tag, tier string, specs ...pspec) *Evidence {
	for _, s := range specs {
		for rep := range max(s.repeats, 1) {
			for i, score := range s.scores {
				ev.add(specRow(s, tag, tier, i, rep, score))
			}
		}
	}
	return ev
}

// specRow is one row of a spec.
func specRow(s pspec, tag, tier string, i, rep int, score float64) *routeRow {
	o := &routeRow{runID: "run-test", suite: "suite-" + tag, caseID: fmt.Sprintf("c%02d", i), tags: []string{tag}, tier: tier,
		provider: s.id, model: s.id + "-1", repeat: rep, score: score, cost: s.cost,
		latency: 500 * time.Millisecond, inTokens: 100, outTokens: 20}
	switch {
	case s.unsupported:
		o.score, o.cost, o.inTokens, o.outTokens = 0, 0, 0, 0
		o.errorClass, o.err = classUnsupported, "provider does not declare capability vision that the suite needs"
	case containsInt(s.failed, i):
		o.score, o.cost, o.inTokens, o.outTokens = 0, 0, 0, 0
		o.errorClass, o.err = "server_error", "HTTP 503"
	}
	return o
}

// containsInt reports whether xs holds x.
func containsInt(xs []int, x int) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// repeat returns n copies of x.
func repeat(x float64, n int) []float64 {
	out := make([]float64, n)
	for i := range out {
		out[i] = x
	}
	return out
}

// alternate returns n scores alternating a, b, a...
func alternate(a, b float64, n int) []float64 {
	out := make([]float64, n)
	for i := range out {
		out[i] = a
		if i%2 == 1 {
			out[i] = b
		}
	}
	return out
}

// viewOf returns the view of a rule over every case, with providers as
// the config (nil: every provider).
func viewOf(ev *Evidence, tag, tier string, providers []*suites.Provider) (routeView, []Exclusion) {
	meta, _ := providerMetas(ev, providers)
	return newRouteView(ev.routes[RouteKey{tag, tier}], meta, providers)
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

// endpointProviders are configured providers with endpoints, prices and
// capabilities, for the exports.
func endpointProviders() []*suites.Provider {
	p := func(id, base, model, key string, in, out float64, caps ...string) *suites.Provider {
		return &suites.Provider{ID: id, Capabilities: caps, Endpoint: suites.Endpoint{BaseURL: base, Model: model,
			APIKeyEnv: key, Price: suites.Price{Input: in, Output: out, Source: "test"}}}
	}
	return []*suites.Provider{
		p("frontier", "https://api.openai.com/v1", "frontier-1", "OPENAI_API_KEY", 2.5, 10, "vision", "json_schema"),
		p("mini", "https://api.openai.com/v1", "mini-1", "OPENAI_API_KEY", 0.15, 0.6, "vision", "json_schema"),
		p("budget", "https://llm.internal.example/v1/", "budget-1", "", 0.1, 0.4, "json_schema"),
		p("steady", "https://api.deepseek.com/v1", "steady-1", "DEEPSEEK_API_KEY", 0.28, 0.42, "vision", "json_schema"),
	}
}
