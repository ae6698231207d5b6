package report

import (
	"encoding/json"
	"io"
	"time"

	"github.com/parity-eval/parity/suites"
)

// SummarySchemaVersion is the version of summary.json's layout. It changes
// when a field is renamed or removed, not when one is added.
const SummarySchemaVersion = 1

// summaryFile is the layout of summary.json; fields encode in this order.
type summaryFile struct {
	SchemaVersion int    `json:"schema_version"`
	RunID         string `json:"run_id"`
	Planned       int64  `json:"planned"`
	Done          int64  `json:"done"`
	Complete      bool   `json:"complete"`
	Interrupted   bool   `json:"interrupted"`
	// WriteError names the output that could not be written; absent when
	// every one was.
	WriteError string `json:"write_error,omitempty"`
	// Warnings are what the config warns of, each provider without a
	// price; absent when none.
	Warnings       []string             `json:"warnings,omitempty"`
	FirstStartedAt *time.Time           `json:"first_started_at,omitempty"`
	LastFinishedAt *time.Time           `json:"last_finished_at,omitempty"`
	Totals         GroupStats           `json:"totals"`
	Providers      []ProviderStats      `json:"providers"`
	Suites         []SuiteStats         `json:"suites"`
	SuiteProviders []SuiteProviderStats `json:"suite_providers"`
	Tags           []TagStats           `json:"tags"`
	// Capabilities: per provider, per capability the suites exercised,
	// what the provider showed (JSON sorts the maps' keys).
	Capabilities map[string]map[suites.Capability]Capability `json:"capabilities"`
	// Attributes: cost, calls, pass rate and score per metadata key,
	// value and provider; AttributeWarnings what the caps pooled or left
	// out (absent when nothing).
	Attributes        []AttributeStats `json:"attributes"`
	AttributeWarnings []string         `json:"attribute_warnings,omitempty"`
}

// WriteJSON writes summary.json: indented, keys in a fixed order, providers,
// suites and tags sorted, error classes sorted by name.
func (s *Summary) WriteJSON(w io.Writer) error {
	f := summaryFile{
		SchemaVersion:  SummarySchemaVersion,
		RunID:          s.runID,
		Planned:        s.planned,
		Done:           s.Done(),
		Complete:       s.Complete(),
		Interrupted:    s.interrupted,
		WriteError:     errString(s.writeErr),
		Warnings:       s.warnings,
		FirstStartedAt: utcOrNil(s.first),
		LastFinishedAt: utcOrNil(s.last),
		Totals:         s.Totals(),
		Providers:      s.Providers(),
		Suites:         s.Suites(),
		SuiteProviders: s.SuiteProviders(),
		Tags:           s.Tags(),
		Capabilities:   s.Capabilities(),

		Attributes:        s.Attributes(),
		AttributeWarnings: s.AttributeWarnings(),
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(f)
}

// errString returns err's message, "" for nil.
func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// utcOrNil returns t in UTC, or nil when t is zero.
func utcOrNil(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	t = t.UTC()
	return &t
}
