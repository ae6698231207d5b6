package suites

import (
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"github.com/xeipuuv/gojsonreference"
	"github.com/xeipuuv/gojsonschema"
)

// MaxSchemaBytes bounds a schema file a $ref reads.
const MaxSchemaBytes = 8 << 20

// CompileSchema compiles a JSON schema that belongs to a suite. Its $refs
// resolve only to files inside dir (the suite's directory), read through
// an os.Root so that no symlink leads out; a ref within the schema
// ("#/definitions/x") always resolves. A ref to http(s), to file:// outside
// dir, or escaping with ../ is an error, and nothing is ever fetched: with
// gojsonschema's own loaders a $ref: http://... sent a GET while the suite
// loaded, and hung on a server that never answered. self is where the
// schema itself lives (its file, or the suite file for an inline schema),
// against which relative refs resolve; dir "" allows no file at all.
func CompileSchema(doc []byte, dir, self string) (*gojsonschema.Schema, error) {
	f := &schemaFiles{doc: doc, self: "/parity-inline-schema.json"}
	if dir != "" {
		abs, err := filepath.Abs(dir)
		if err != nil {
			return nil, err
		}
		if f.root, err = os.OpenRoot(abs); err != nil {
			return nil, err
		}
		defer f.root.Close()
		f.dir = abs
		if f.self, err = filepath.Abs(self); err != nil {
			return nil, err
		}
	}
	return gojsonschema.NewSchema(f.New((&url.URL{Scheme: "file", Path: filepath.ToSlash(f.self)}).String()))
}

// RefError is a schema $ref that leaves the suite's directory.
type RefError struct {
	Ref string // the reference, resolved against the schema's location
	Dir string // the suite's directory; "" when no file may be read
}

func (e *RefError) Error() string {
	where := "files beside its suite (" + e.Dir + ")"
	if e.Dir == "" {
		where = "definitions inside itself"
	}
	return fmt.Sprintf("$ref %s is outside the suite's directory: a schema may refer only to %s, never to http, https, file:// elsewhere or ../", e.Ref, where)
}

// schemaFiles is the gojsonschema.JSONLoaderFactory of one suite's
// schemas: the schema being compiled, and the files inside dir.
type schemaFiles struct {
	doc  []byte   // the schema being compiled
	self string   // its absolute path
	dir  string   // the suite's directory, absolute; "" for none
	root *os.Root // dir, opened for the compile
}

// New returns the loader of one reference.
func (f *schemaFiles) New(source string) gojsonschema.JSONLoader {
	return schemaRef{files: f, source: source}
}

// load reads the document a reference names.
func (f *schemaFiles) load(source string) (any, error) {
	u, err := url.Parse(source)
	if err != nil {
		return nil, fmt.Errorf("$ref %q: %v", source, err)
	}
	if u.Scheme == "file" && u.Host == "" && filepath.FromSlash(u.Path) == f.self {
		return decodeSchema(f.doc)
	}
	rel, ok := f.inside(u)
	if !ok {
		return nil, &RefError{Ref: source, Dir: f.dir}
	}
	file, err := f.root.Open(rel)
	if err != nil {
		return nil, fmt.Errorf("$ref %s: %v", rel, err)
	}
	defer file.Close()
	b, err := io.ReadAll(io.LimitReader(file, MaxSchemaBytes+1))
	if err != nil {
		return nil, fmt.Errorf("$ref %s: %v", rel, err)
	}
	if len(b) > MaxSchemaBytes {
		return nil, fmt.Errorf("$ref %s is larger than %d MiB, the limit (MaxSchemaBytes)", rel, MaxSchemaBytes>>20)
	}
	if !utf8.Valid(b) {
		return nil, fmt.Errorf("$ref %s is not UTF-8: save it as UTF-8", rel)
	}
	return decodeSchema(b)
}

// inside returns the path relative to dir of a file: URL inside it.
func (f *schemaFiles) inside(u *url.URL) (string, bool) {
	if f.dir == "" || u.Scheme != "file" || u.Host != "" || u.RawQuery != "" {
		return "", false
	}
	rel, err := filepath.Rel(f.dir, filepath.FromSlash(u.Path))
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) || filepath.IsAbs(rel) {
		return "", false
	}
	return rel, true
}

// decodeSchema decodes JSON as gojsonschema does, numbers kept exact.
func decodeSchema(b []byte) (any, error) {
	dec := json.NewDecoder(strings.NewReader(string(b)))
	dec.UseNumber()
	var doc any
	if err := dec.Decode(&doc); err != nil {
		return nil, err
	}
	return doc, nil
}

// schemaRef is the gojsonschema.JSONLoader of one reference, read only
// through its schemaFiles.
type schemaRef struct {
	files  *schemaFiles
	source string
}

var _ gojsonschema.JSONLoader = schemaRef{}

// JsonSource returns the reference.
func (r schemaRef) JsonSource() any { return r.source }

// LoadJSON reads the document, refusing any outside the suite.
func (r schemaRef) LoadJSON() (any, error) { return r.files.load(r.source) }

// JsonReference parses the reference.
func (r schemaRef) JsonReference() (gojsonreference.JsonReference, error) {
	return gojsonreference.NewJsonReference(r.source)
}

// LoaderFactory returns the suite's loaders, so that nested refs obey the
// same rule.
func (r schemaRef) LoaderFactory() gojsonschema.JSONLoaderFactory { return r.files }
