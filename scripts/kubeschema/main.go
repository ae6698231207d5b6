// Command kubeschema writes the JSON schemas kubeconform validates
// Kubernetes manifests against, offline: for every apiVersion and kind the
// given manifests use, one standalone strict schema generated from the
// Kubernetes OpenAPI v2 spec (api/openapi-spec/swagger.json in the
// k8s.io/kubernetes module, which scripts/ci-lint.sh downloads at a pinned
// version through the Go module proxy).
//
// Usage:
//
//	kubeschema -spec swagger.json -out DIR MANIFEST...
//
// Each schema is named as kubeconform's -schema-location template
// '{{ .ResourceKind }}{{ .KindSuffix }}.json' expects (job-batch-v1.json,
// persistentvolumeclaim-v1.json) and built the way the strict,
// standalone schemas kubeconform downloads by default are built
// (openapi2jsonschema --strict):
//
//   - every object that lists its properties allows no others
//     (additionalProperties: false), so a misspelt field is an error;
//   - int-or-string fields (format int-or-string) take a string or an
//     integer, and resource quantities a string or a number, as the API
//     server accepts them;
//   - kind and apiVersion must be the ones the schema is for;
//   - the definitions the kind refers to are copied under "definitions",
//     so the file needs nothing else.
package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/goccy/go-yaml"
)

// quantity is the definition of a resource quantity ("500m", 2, "1Gi").
const quantity = "io.k8s.apimachinery.pkg.api.resource.Quantity"

// gvk is a manifest's apiVersion and kind.
type gvk struct {
	APIVersion string `yaml:"apiVersion"`
	Kind       string `yaml:"kind"`
}

func main() {
	if err := run(os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "kubeschema:", err)
		os.Exit(1)
	}
}

func run(args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("kubeschema", flag.ContinueOnError)
	spec := fs.String("spec", "", "the Kubernetes OpenAPI v2 spec (swagger.json)")
	out := fs.String("out", "", "the directory to write the schemas to")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *spec == "" || *out == "" || fs.NArg() == 0 {
		return errors.New("usage: kubeschema -spec swagger.json -out DIR MANIFEST ...: at least one manifest")
	}
	defs, err := loadSpec(*spec)
	if err != nil {
		return err
	}
	kinds, err := manifestKinds(fs.Args())
	if err != nil {
		return err
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		return err
	}
	for _, k := range kinds {
		schema, err := standalone(defs, k)
		if err != nil {
			return err
		}
		name := filepath.Join(*out, fileName(k))
		if err := writeJSON(name, schema); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "kubeschema: %s %s -> %s\n", k.APIVersion, k.Kind, name)
	}
	return nil
}

// loadSpec returns the spec's definitions by name.
func loadSpec(path string) (map[string]map[string]any, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var spec struct {
		Definitions map[string]map[string]any `json:"definitions"`
	}
	if err := json.Unmarshal(b, &spec); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(spec.Definitions) == 0 {
		return nil, fmt.Errorf("%s: no definitions: not an OpenAPI v2 spec", path)
	}
	return spec.Definitions, nil
}

// manifestKinds returns the distinct apiVersion and kind of every document
// in the manifests, in the order they first appear.
func manifestKinds(paths []string) ([]gvk, error) {
	var kinds []gvk
	seen := map[gvk]bool{}
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			return nil, err
		}
		dec := yaml.NewDecoder(f)
		for {
			var k gvk
			err := dec.Decode(&k)
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				f.Close()
				return nil, fmt.Errorf("%s: %w", p, err)
			}
			if k.Kind != "" && !seen[k] {
				seen[k] = true
				kinds = append(kinds, k)
			}
		}
		f.Close()
	}
	return kinds, nil
}

// fileName is the schema's name under kubeconform's template
// '{{ .ResourceKind }}{{ .KindSuffix }}.json': the kind in lower case, then
// the group's first label (none for the core group) and the version.
func fileName(k gvk) string {
	suffix := ""
	if group, version, ok := strings.Cut(k.APIVersion, "/"); ok {
		first, _, _ := strings.Cut(group, ".")
		suffix = "-" + strings.ToLower(first) + "-" + strings.ToLower(version)
	} else {
		suffix = "-" + strings.ToLower(k.APIVersion)
	}
	return strings.ToLower(k.Kind) + suffix + ".json"
}

func writeJSON(path string, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(b, '\n'), 0o644)
}
