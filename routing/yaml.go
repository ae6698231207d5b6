package routing

import (
	"io"
	"time"

	"github.com/goccy/go-yaml"

	"github.com/parity-eval/parity/suites"
)

// WriteYAML writes the rules as rules.yaml, tags sorted.
func (r *Rules) WriteYAML(w io.Writer) error {
	b, err := yaml.MarshalWithOptions(r, yaml.Indent(2), yaml.IndentSequence(true))
	if err != nil {
		return err
	}
	_, err = w.Write(b)
	return err
}

// WriteRules builds the rules of the evidence (see Build) and writes them
// as YAML.
func WriteRules(w io.Writer, ev *Evidence, providers []*suites.Provider, routing suites.Routing, generatedAt time.Time) error {
	return Build(ev, providers, routing, generatedAt).WriteYAML(w)
}
