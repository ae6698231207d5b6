package resume

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"

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
		_ = enc.Encode([]string{p.ID, p.BaseURL, p.Model})
	}
	for _, s := range ss {
		_ = enc.Encode(s.Name)
		_ = enc.Encode(s.Request)
		for _, c := range s.Checks {
			_ = enc.Encode([]any{c.Type, c.Name, c.Weight, c.Threshold, c.Value, c.Pattern, c.Against, c.Rubric, string(c.Schema)})
		}
		for _, c := range s.Cases {
			_ = enc.Encode([]string{c.ID, c.Messages.System, c.Messages.User, c.Reference})
		}
	}
	return hex.EncodeToString(h.Sum(nil))
}
