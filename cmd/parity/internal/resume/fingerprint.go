package resume

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"slices"

	"github.com/parity-eval/parity/suites"
)

// Fingerprints hashes what decides a run's results: the repeat count,
// every provider's endpoint and model, and every suite's requests and
// checks, case by case (API keys, limits and prices do not count). It
// returns the hash of the whole and, by name ("repeat", "provider ID",
// "suite NAME"), that of each input on its own, so that a changed input
// can be named (Differences): one pass over the cases, each input
// encoded once into both.
func Fingerprints(cfg *suites.Config, ss []*suites.Suite, repeat int) (string, map[string]string) {
	whole := sha256.New()
	parts := map[string]string{}
	part := func(name string, write func(*json.Encoder)) {
		h := sha256.New()
		write(json.NewEncoder(io.MultiWriter(whole, h)))
		parts[name] = hex.EncodeToString(h.Sum(nil))
	}
	part("repeat", func(enc *json.Encoder) { _ = enc.Encode(repeat) }) // writing to a hash never fails
	for _, p := range cfg.Providers {
		part("provider "+p.ID, func(enc *json.Encoder) { encodeProvider(enc, p) })
	}
	for _, s := range ss {
		part("suite "+s.Name, func(enc *json.Encoder) { encodeSuite(enc, s) })
	}
	return hex.EncodeToString(whole.Sum(nil)), parts
}

// Differences names the inputs whose parts differ between was and now:
// changed, added or gone, in order.
func Differences(was, now map[string]string) []string {
	var diff []string
	for name, h := range was {
		switch n, ok := now[name]; {
		case !ok:
			diff = append(diff, name+" is gone")
		case n != h:
			diff = append(diff, name+" changed")
		}
	}
	for name := range now {
		if _, ok := was[name]; !ok {
			diff = append(diff, name+" is new")
		}
	}
	slices.Sort(diff)
	return diff
}

// encodeProvider writes what of p decides a result: its endpoint and model.
func encodeProvider(enc *json.Encoder, p *suites.Provider) {
	_ = enc.Encode([]string{p.ID, p.BaseURL, p.Model})
}

// encodeSuite writes what of s decides a result: its requests, checks and
// cases.
func encodeSuite(enc *json.Encoder, s *suites.Suite) {
	_ = enc.Encode(s.Name)
	_ = enc.Encode(s.Request)
	for _, c := range s.Checks {
		_ = enc.Encode([]any{c.Type, c.Name, c.Weight, c.Threshold, c.Value, c.Pattern, c.Against, c.Rubric, string(c.Schema)})
	}
	err := s.Cases.Each(func(c *suites.Case) error {
		m, _ := s.Messages(c)
		return enc.Encode([]string{c.ID, m.System, m.User, c.Reference})
	})
	if err != nil {
		_ = enc.Encode(err.Error()) // a suite that cannot be read again matches no journal
	}
}
