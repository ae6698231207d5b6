package routing_test

import (
	"fmt"
	"time"

	"github.com/parity-eval/parity/results"
	"github.com/parity-eval/parity/routing"
)

// ExampleNew chooses routing rules from rows read back from a
// results file: mini scores as well as frontier on every case at a tenth
// of the price, so it is the primary, and the two share the traffic.
func ExampleNew() {
	ev := routing.NewEvidence()
	for i := range 12 {
		for _, p := range []struct {
			id   string
			cost float64
		}{{"frontier", 0.01}, {"mini", 0.001}} {
			ev.AddRow(&results.Row{RunID: "r1", Suite: "invoices", CaseID: fmt.Sprint(i), Tags: []string{"extract"},
				Provider: p.id, Model: p.id + "-1", Score: 1, CostUSD: p.cost, InputTokens: 100, OutputTokens: 20})
		}
	}
	rules := routing.New(ev, nil, routing.DefaultSettings(), time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC))
	r := rules.Tags["extract"]
	fmt.Println(r.Primary.Provider, r.Fallbacks[0].Provider)
	for _, t := range r.Split.Targets {
		fmt.Println(t.Provider, t.Weight, t.Role)
	}
	// Output:
	// mini frontier
	// mini 0.8 primary
	// frontier 0.2 reliable
}
