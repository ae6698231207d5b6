package suites

import "fmt"

// Validate checks what a run needs from the config and the suites
// together: an embedder for similarity checks, a baseline for checks
// against it, a judge for rubric checks. Errors name the suite's file:line.
func Validate(cfg *Config, suites []*Suite) error {
	for _, s := range suites {
		for _, c := range s.Checks {
			at := fmt.Sprintf("%s:%d", s.File, c.Line)
			switch {
			case c.Type == Similarity && cfg.Embedder == nil:
				return fmt.Errorf("%s: the %s check needs an embedder: add `embedder:` (base_url, model) to %s", at, c.Name, cfg.Path)
			case c.Type == Similarity && c.Against == "baseline" && cfg.Provider(cfg.Baseline) == nil:
				return fmt.Errorf("%s: the %s check compares with the baseline: set `baseline:` to one of the run's providers in %s", at, c.Name, cfg.Path)
			case c.Type == Judge && cfg.Judge == nil:
				return fmt.Errorf("%s: the %s check needs a judge: add `judge:` (base_url, model, or provider) to %s", at, c.Name, cfg.Path)
			}
		}
	}
	return nil
}

// Select keeps only the providers with the given ids, in the config's
// order; an unknown id is an error.
func (c *Config) Select(ids []string) error {
	if len(ids) == 0 {
		return nil
	}
	keep := make([]*Provider, 0, len(ids))
	for _, id := range ids {
		p := c.Provider(id)
		if p == nil {
			return fmt.Errorf("unknown provider id %q (the config %s has %s)", id, c.Path, (&configLoader{}).ids(c))
		}
		keep = append(keep, p)
	}
	c.Providers = keep
	return nil
}
