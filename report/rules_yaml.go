package report

import (
	"io"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/parity-eval/parity/suites"
)

// WriteYAML writes the rules as rules.yaml, tags sorted.
func (r *Rules) WriteYAML(w io.Writer) error {
	enc := yaml.NewEncoder(w)
	enc.SetIndent(2)
	if err := enc.Encode(r); err != nil {
		return err
	}
	return enc.Close()
}

// WriteRules builds the rules of a summary (see BuildRules) and writes them
// as YAML.
func WriteRules(w io.Writer, sum *Summary, providers []*suites.Provider, routing suites.Routing, generatedAt time.Time) error {
	return BuildRules(sum, providers, routing, generatedAt).WriteYAML(w)
}
