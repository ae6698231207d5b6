package judges

import (
	"context"
	"slices"
	"strings"

	segjson "github.com/segmentio/encoding/json"
	"github.com/xeipuuv/gojsonschema"

	"github.com/parity-eval/parity/suites"
)

// maxSchemaErrors bounds how many validation errors Detail keeps.
const maxSchemaErrors = 10

// JSONSchema passes when the output holds JSON (fenced, bare, or inside
// prose) that validates against the check's schema; it scores 1 or 0 and
// keeps the validation errors in Detail. Without a schema, any JSON passes.
type JSONSchema struct {
	// Spec is the check as the suite declares it.
	Spec   *suites.Check
	schema *gojsonschema.Schema
}

// Score extracts the output's JSON and validates it. Native records
// whether the whole output was the JSON (as a provider honouring
// response_format answers) or it had to be dug out of fences or prose.
func (j JSONSchema) Score(_ context.Context, in *Input) CheckScore {
	cs := j.score(in.Result.Output)
	native := segjson.Valid([]byte(strings.TrimSpace(in.Result.Output)))
	cs.Native = &native
	if !native && cs.Pass {
		cs.Detail = strings.TrimPrefix(cs.Detail+"; JSON dug out of prose or fences", "; ")
	}
	return cs
}

func (j JSONSchema) score(output string) CheckScore {
	doc, ok := extractJSON(output)
	if !ok {
		return binary(j.Spec, false, "no JSON found in the output")
	}
	schema := j.schema
	if schema == nil {
		schema = j.Spec.Compiled
	}
	if schema == nil {
		return binary(j.Spec, true, "no schema: the JSON parses")
	}
	res, err := validate(schema, doc)
	if err != nil {
		return binary(j.Spec, false, "validate: "+err.Error())
	}
	if res.Valid() {
		return binary(j.Spec, true, "")
	}
	return binary(j.Spec, false, schemaErrors(res.Errors()))
}

// validate validates the JSON document doc against schema, as
// gojsonschema's bytes loader would: the document decoded with its
// numbers kept as json.Number, here by segmentio/encoding's decoder, a
// third of encoding/json's cost (FuzzValidate holds the two paths to the
// same verdict and errors).
func validate(schema *gojsonschema.Schema, doc []byte) (*gojsonschema.Result, error) {
	var document any
	if _, err := segjson.Parse(doc, &document, segjson.UseNumber); err != nil {
		return nil, err
	}
	return schema.Validate(gojsonschema.NewRawLoader(document))
}

// schemaErrors joins validation errors into one detail line.
func schemaErrors(errs []gojsonschema.ResultError) string {
	msgs := make([]string, 0, len(errs))
	for _, e := range errs {
		msgs = append(msgs, e.String())
	}
	// Sorted: gojsonschema reports an object's errors in its map's order,
	// which varies between validations of the same output.
	slices.Sort(msgs)
	if len(msgs) > maxSchemaErrors {
		msgs = append(msgs[:maxSchemaErrors], "…")
	}
	return strings.Join(msgs, "; ")
}
