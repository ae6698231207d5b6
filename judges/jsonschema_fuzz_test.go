package judges

import (
	"encoding/json"
	"reflect"
	"slices"
	"testing"

	segjson "github.com/segmentio/encoding/json"
	"github.com/xeipuuv/gojsonschema"

	"github.com/parity-eval/parity/suites"
)

// fuzzSchema exercises what a decoder can change: integers against
// numbers, big and exponent numbers, strings and patterns, enums,
// required and additional properties, nested arrays.
const fuzzSchema = `{"type": "object", "required": ["id", "items"], "additionalProperties": false,
 "properties": {
  "id": {"type": "integer", "minimum": 0, "maximum": 9007199254740993},
  "price": {"type": "number", "exclusiveMinimum": 0, "multipleOf": 0.01},
  "label": {"type": "string", "enum": ["billing", "shipping", "é\u2028"], "maxLength": 10},
  "code": {"type": "string", "pattern": "^[A-Z]{3}-\\d+$"},
  "items": {"type": "array", "maxItems": 3, "uniqueItems": true,
   "items": {"type": ["integer", "null", "boolean"]}}}}`

// FuzzValidate holds validate (segmentio's decoder, json.Number kept) to
// gojsonschema's own bytes loader: on every document encoding/json
// accepts, the same verdict with the same errors; and segmentio's Valid
// (which decides a check's Native) to encoding/json's on every input.
func FuzzValidate(f *testing.F) {
	schema, err := gojsonschema.NewSchema(gojsonschema.NewStringLoader(fuzzSchema))
	if err != nil {
		f.Fatal(err)
	}
	for _, s := range []string{
		`{"id": 1, "items": []}`, `{"id": 1.0, "items": [1, 1]}`, `{"id": 9007199254740993, "items": [null, true]}`,
		`{"id": 1e2, "price": 0.30000000000000004, "items": []}`, `{"id": -1, "label": "é\u2028", "items": [1.5]}`,
		`{"id": 2, "code": "ABC-12", "items": [], "extra": {}}`, `{"items": "x"}`, `[1, 2]`, `"s"`, `12345678901234567890`,
		`{"id": 3, "label": "bad \xff utf8", "items": []}`, `{"id": 3, "id": "x", "items": []}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, doc []byte) {
		if json.Valid(doc) != segjson.Valid(doc) {
			t.Fatalf("%q: encoding/json's Valid %v, segmentio's %v", doc, json.Valid(doc), segjson.Valid(doc))
		}
		if !json.Valid(doc) {
			return
		}
		want, errWant := schema.Validate(gojsonschema.NewBytesLoader(doc))
		got, errGot := validate(schema, doc)
		if (errWant == nil) != (errGot == nil) {
			t.Fatalf("%q: bytes loader %v, validate %v", doc, errWant, errGot)
		}
		if errWant != nil {
			return
		}
		if want.Valid() != got.Valid() || !reflect.DeepEqual(errorTexts(want), errorTexts(got)) {
			t.Fatalf("%q: bytes loader %v %v, validate %v %v", doc, want.Valid(), errorTexts(want), got.Valid(), errorTexts(got))
		}
	})
}

// errorTexts are r's errors, sorted: gojsonschema reports an object's
// errors in its map's order, which varies from one validation to the next.
func errorTexts(r *gojsonschema.Result) []string {
	var out []string
	for _, e := range r.Errors() {
		out = append(out, e.String())
	}
	slices.Sort(out)
	return out
}

// TestSchemaErrorsStable: an output breaking several properties gets the
// same Detail on every validation (gojsonschema's own order follows its
// maps).
func TestSchemaErrorsStable(t *testing.T) {
	t.Parallel()
	schema, err := gojsonschema.NewSchema(gojsonschema.NewStringLoader(fuzzSchema))
	if err != nil {
		t.Fatal(err)
	}
	j := JSONSchema{Spec: &suites.Check{Name: "shape", Type: suites.JSONSchema}, schema: schema}
	output := `{"a": 1, "b": 2, "c": 3, "d": 4, "e": 5, "f": 6, "id": "x", "items": "y"}`
	first := j.score(output).Detail
	for range 30 {
		if got := j.score(output).Detail; got != first {
			t.Fatalf("Detail changed:\n%s\n%s", first, got)
		}
	}
}
