package resume

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"hash"
	"slices"

	"github.com/parity-eval/parity/suites"
)

// Fingerprint hashes what decides a run's results: the repeat count,
// every provider's endpoint and model, and every suite's requests and
// checks, case by case. API keys, limits and prices do not count.
func Fingerprint(cfg *suites.Config, ss []*suites.Suite, repeat int) string {
	h := sha256.New()
	enc := json.NewEncoder(h)
	_ = enc.Encode(repeat) // writing to a hash never fails
	for _, p := range cfg.Providers {
		encodeProvider(enc, p)
	}
	for _, s := range ss {
		encodeSuite(enc, s)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// Parts hashes each input of the Fingerprint on its own, by name
// ("repeat", "provider ID", "suite NAME"), so that a changed input can be
// named (Differences).
func Parts(cfg *suites.Config, ss []*suites.Suite, repeat int) map[string]string {
	parts := map[string]string{"repeat": sum(func(enc *json.Encoder) { _ = enc.Encode(repeat) })}
	for _, p := range cfg.Providers {
		parts["provider "+p.ID] = sum(func(enc *json.Encoder) { encodeProvider(enc, p) })
	}
	for _, s := range ss {
		parts["suite "+s.Name] = sum(func(enc *json.Encoder) { encodeSuite(enc, s) })
	}
	return parts
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

// sum hashes what write encodes.
func sum(write func(*json.Encoder)) string {
	var h hash.Hash = sha256.New()
	write(json.NewEncoder(h))
	return hex.EncodeToString(h.Sum(nil))
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
