package shard

import (
	"fmt"

	"github.com/parity-eval/parity/suites"
)

// Limits returns cfg with each provider's rpm and tpm as one of n shards
// may send them: limits.shard_rpm and limits.shard_tpm when the config
// sets them, else rpm/n and tpm/n rounded down, so that n shards together
// never pass the provider's limit. A limit too small to split (rpm < n)
// is an error naming the provider. cfg is not changed; with n <= 1 it is
// returned as it is.
func Limits(cfg *suites.Config, n int) (*suites.Config, error) {
	if n <= 1 {
		return cfg, nil
	}
	c := *cfg
	c.Providers = make([]*suites.Provider, len(cfg.Providers))
	for i, p := range cfg.Providers {
		q := *p
		var err error
		if q.Limits.RPM, err = split(p, "rpm", p.Limits.RPM, p.Limits.ShardRPM, n); err != nil {
			return nil, err
		}
		if q.Limits.TPM, err = split(p, "tpm", p.Limits.TPM, p.Limits.ShardTPM, n); err != nil {
			return nil, err
		}
		c.Providers[i] = &q
	}
	return &c, nil
}

// split is one shard's part of a limit: the config's own, or whole/n.
func split(p *suites.Provider, name string, whole, own, n int) (int, error) {
	switch {
	case own > 0:
		return own, nil
	case whole == 0:
		return 0, nil
	case whole < n:
		return 0, fmt.Errorf("provider %s: limits.%s %d cannot be split over %d shards (each would get less than 1): use at most %d shards, or set limits.shard_%s when each shard has a limit of its own",
			p.ID, name, whole, n, whole, name)
	}
	return whole / n, nil
}
