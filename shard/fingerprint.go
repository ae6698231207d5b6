package shard

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"

	"github.com/parity-eval/parity/suites"
)

// Settings are the flags of a run that decide its work beside the config
// and the suites.
type Settings struct {
	Repeat int `json:"repeat"`
	// Sequential, Seed and Gate: a sequential gate sends only the gated
	// pair, in the seed's order.
	Sequential bool   `json:"sequential,omitempty"`
	Seed       uint64 `json:"seed,omitempty"`
	Gate       string `json:"gate,omitempty"`
}

// Fingerprint is a hash (sha256, hex) of what decides a run's work: the
// baseline, each provider's id, model, endpoint (without user info, query
// or fragment), price and capabilities, every suite as loaded (prompts,
// checks, request parameters) with each case's id, vars and reference,
// and the settings. It holds nothing secret: no key, not even a key's
// variable name. Every shard of a run has the same fingerprint, and so has
// the run unsharded; shards of runs that differ in any of these do not.
func Fingerprint(cfg *suites.Config, ss []*suites.Suite, set Settings) (string, error) {
	h := sha256.New()
	enc := json.NewEncoder(h)
	if err := enc.Encode(struct {
		Version   int
		Baseline  string
		Providers []fingerprintProvider
		Settings  Settings
	}{1, cfg.Baseline, providers(cfg), set}); err != nil {
		return "", fmt.Errorf("fingerprint: %w", err)
	}
	for _, s := range ss {
		if err := suite(enc, s); err != nil {
			return "", fmt.Errorf("fingerprint: suite %s: %w", s.Name, err)
		}
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// fingerprintProvider is what of a provider decides the work.
type fingerprintProvider struct {
	ID, Model, BaseURL string
	Price              suites.Price
	Capabilities       []suites.Capability
	NoStream           bool
}

// providers are cfg's providers as the fingerprint sees them.
func providers(cfg *suites.Config) []fingerprintProvider {
	out := make([]fingerprintProvider, len(cfg.Providers))
	for i, p := range cfg.Providers {
		out[i] = fingerprintProvider{ID: p.ID, Model: p.Model, BaseURL: suites.PublicURL(p.BaseURL), Price: p.Price,
			Capabilities: p.Capabilities, NoStream: p.NoStream}
	}
	return out
}

// suite encodes a suite and its cases, case by case.
func suite(enc *json.Encoder, s *suites.Suite) error {
	if err := enc.Encode(struct {
		Name, Kind, Tier, ToolChoice string
		Tags                         []string
		Needs                        []suites.Capability
		Metadata                     map[string]string
		Request                      suites.Request
		System, User                 string
		Turns                        []suites.Turn
		Images                       []string
		Checks                       []*suites.Check
		PassScore                    float64
		Image                        suites.ImageParams
		Tools                        []*suites.Tool
		ResponseFormat               *suites.ResponseFormat
		Cases                        int
	}{s.Name, s.Kind, s.Tier, s.ToolChoice, s.Tags, s.Needs, s.Metadata, s.Request, s.Prompt.System, s.Prompt.User,
		s.Prompt.Turns, s.Prompt.Images, s.Checks, s.PassScore, s.Image, s.Tools, s.ResponseFormat, s.Cases.Len()}); err != nil {
		return err
	}
	return s.Cases.Each(func(c *suites.Case) error {
		vars, err := c.TemplateVars()
		if err != nil {
			return fmt.Errorf("case %s: %w", c.ID, err)
		}
		if err := enc.Encode(struct {
			ID, Reference string
			Vars          map[string]any
			Metadata      map[string]string
			ExpectTool    *suites.ToolCall
		}{c.ID, c.Reference, vars, c.Metadata, c.ExpectTool}); err != nil {
			return fmt.Errorf("case %s: %w", c.ID, err)
		}
		return nil
	})
}
