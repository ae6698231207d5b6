package suites

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/xeipuuv/gojsonschema"
)

// refSuite is a suite whose one json_schema check is inline schema.
func refSuite(schema string) string {
	return "name: x\ntags: [a]\nprompt: {user: hi}\ncases: [{id: a}]\nchecks:\n  - type: json_schema\n    schema: " + schema + "\n"
}

// TestSchemaRefsStayInside checks a schema's $refs resolve only inside the
// suite's directory: every other ref is refused at load with file:line,
// and no request reaches a server (issue 11, failure 4).
func TestSchemaRefsStayInside(t *testing.T) {
	t.Parallel()
	var hits atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		hits.Add(1)
		w.Write([]byte(`{"type": "string"}`))
	}))
	defer srv.Close()
	parent := t.TempDir()
	if err := os.WriteFile(filepath.Join(parent, "outside.json"), []byte(`{"type": "string"}`), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		schema string
	}{
		// gojsonschema sent this GET while the suite loaded.
		{"http", `{$ref: "` + srv.URL + `/x.json"}`},
		{"https", `{$ref: "https://127.0.0.1:1/x.json"}`},
		// Read any local file.
		{"file outside", `{$ref: "file://` + filepath.ToSlash(filepath.Join(parent, "outside.json")) + `"}`},
		{"dot-dot", `{$ref: "../outside.json"}`},
		// An $id moves the base: a relative ref then points at the server.
		{"id to a server", `{$id: "` + srv.URL + `/", properties: {a: {$ref: "y.json"}}}`},
		{"nested", `{properties: {a: {items: {$ref: "` + srv.URL + `/deep.json#/x"}}}}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := filepath.Join(parent, strings.ReplaceAll(tt.name, " ", "-"))
			if err := os.Mkdir(dir, 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, "s.yaml"), []byte(refSuite(tt.schema)), 0o644); err != nil {
				t.Fatal(err)
			}
			_, err := LoadFile(filepath.Join(dir, "s.yaml"))
			if err == nil || !strings.Contains(err.Error(), "s.yaml:7:13: check 1:") || !strings.Contains(err.Error(), "outside the suite's directory") {
				t.Errorf("err = %v, want s.yaml:7:13 and a ref outside the suite's directory", err)
			}
		})
	}
	if n := hits.Load(); n != 0 {
		t.Errorf("the server got %d requests while suites loaded; want none", n)
	}
}

// TestSchemaRefToSilentServer checks a ref to a server that never answers
// fails at once: it once hung validate for ever.
func TestSchemaRefToSilentServer(t *testing.T) {
	t.Parallel()
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { <-release }))
	defer srv.Close()
	defer close(release)
	dir := writeFiles(t, map[string]string{"s.yaml": refSuite(`{$ref: "` + srv.URL + `/never.json"}`)})
	done := make(chan error, 1)
	go func() { _, err := LoadFile(filepath.Join(dir, "s.yaml")); done <- err }()
	select {
	case err := <-done:
		if err == nil || !strings.Contains(err.Error(), "outside the suite's directory") {
			t.Errorf("err = %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("loading the suite waits on a server that never answers")
	}
}

// TestSchemaRefsInside checks refs that stay inside the suite still
// resolve: a definition in the schema, a file beside the suite (from an
// inline schema and from a schema_file), and nested refs.
func TestSchemaRefsInside(t *testing.T) {
	t.Parallel()
	dir := writeFiles(t, map[string]string{
		"s.yaml": "name: x\ntags: [a]\nprompt: {user: hi}\ncases: [{id: a}]\nchecks:\n" +
			"  - type: json_schema\n    schema: {definitions: {v: {type: string}}, properties: {vendor: {$ref: '#/definitions/v'}}}\n" +
			"  - type: json_schema\n    schema: {properties: {vendor: {$ref: 'defs.json#/definitions/vendor'}}}\n" +
			"  - type: json_schema\n    schema_file: invoice.json\n",
		"defs.json":    `{"definitions": {"vendor": {"$ref": "more.json"}}}`,
		"more.json":    `{"type": "string", "minLength": 2}`,
		"invoice.json": `{"type": "object", "properties": {"vendor": {"$ref": "defs.json#/definitions/vendor"}}}`,
	})
	s, err := LoadFile(filepath.Join(dir, "s.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	for i, c := range s.Checks {
		for doc, want := range map[string]bool{`{"vendor": "Acme"}`: true, `{"vendor": 7}`: false} {
			res, err := c.Compiled.Validate(gojsonschema.NewStringLoader(doc))
			if err != nil {
				t.Fatal(err)
			}
			if res.Valid() != want {
				t.Errorf("check %d: %s valid = %v, want %v", i+1, doc, res.Valid(), want)
			}
		}
	}
}

// TestSchemaRefSymlinkOut checks a symlink inside the suite's directory
// that points outside it is not followed.
func TestSchemaRefSymlinkOut(t *testing.T) {
	t.Parallel()
	outside := filepath.Join(t.TempDir(), "secret.json")
	if err := os.WriteFile(outside, []byte(`{"type": "string"}`), 0o644); err != nil {
		t.Fatal(err)
	}
	dir := writeFiles(t, map[string]string{"s.yaml": refSuite(`{$ref: "link.json"}`)})
	if err := os.Symlink(outside, filepath.Join(dir, "link.json")); err != nil {
		t.Skip(err)
	}
	_, err := LoadFile(filepath.Join(dir, "s.yaml"))
	if err == nil || !strings.Contains(err.Error(), "s.yaml:7:13: check 1:") {
		t.Errorf("err = %v, want the symlink out refused", err)
	}
}
