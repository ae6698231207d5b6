package report

import (
	"fmt"

	"github.com/parity-eval/parity/suites"
)

// Configure records what the run's config warns of: every provider of the
// run the config gives no price (suites.Provider.Unpriced; an explicit
// zero price is priced). summary.json lists them in warnings and
// report.html in its headline.
func (s *Summary) Configure(cfg *suites.Config) {
	if cfg == nil {
		return
	}
	for _, p := range cfg.Providers {
		if p.Unpriced {
			s.warnings = append(s.warnings, unpricedWarning(p.ID))
		}
	}
}

// Warnings returns what the run's config warns of, in config order.
func (s *Summary) Warnings() []string { return s.warnings }

// unpricedWarning is the warning about a provider without a price.
func unpricedWarning(id string) string {
	return fmt.Sprintf("provider %s has no price in the config: its cost counts as $0 because it is unknown, not free; the routing rules never rank it as cheapest. Add price: {input, output} (USD per million tokens), or price: {input: 0, output: 0} for a free model", id)
}
