package architecture

import (
	"bytes"
	"encoding/json"
	"os/exec"
	"slices"
	"strings"
	"testing"
)

// module is parity's module path.
const module = "github.com/parity-eval/parity"

// allowed lists, for every package of the module (by path below the
// module), the packages of the module its non-test code may import. A new
// package must be added here, placed where the pipeline puts it.
var allowed = map[string][]string{
	"internal/format":       {},
	"internal/version":      {},
	"internal/architecture": {},
	"suites":                {},
	"runner/cache":          {},
	"runner":                {"runner/cache", "suites"},
	"fixtures":              {"runner", "suites"},
	"judges":                {"runner", "runner/cache", "suites"},
	"stats":                 {"internal/format"},
	"results":               {"internal/version", "judges", "runner", "suites"},
	"internal/testkit":      {"judges", "runner", "suites"},
	"shard":                 {"runner", "suites"},
	"gate":                  {"internal/format", "results", "stats"},
	"routing":               {"internal/format", "judges", "results", "runner", "stats", "suites"},
	"routing/export":        {"routing", "suites"},
	"report": {"gate", "internal/format", "judges", "results", "routing",
		"runner", "stats", "suites"},
	"cmd/parity/internal/progress": {"internal/format"},
	"cmd/parity/internal/resume":   {"judges", "results", "runner", "suites"},
	"cmd/parity": {"cmd/parity/internal/progress", "cmd/parity/internal/resume",
		"fixtures", "gate", "internal/format", "internal/version", "judges", "report", "results",
		"routing", "routing/export", "runner", "runner/cache", "shard", "stats", "suites"},
	"scripts/browser/hostile": {"judges", "report", "runner", "suites"},
	"scripts/kubeschema":      {},
	"deploy":                  {"shard"},
	"scripts/history/nightly": {"judges", "report", "runner", "suites"},
}

// testDoubles are what any package's tests may import: the simulated
// providers every test runs against over loopback HTTP, and the shared
// test kit.
var testDoubles = []string{"fixtures", "internal/testkit"}

// above reports whether q may reach p through the allowed imports: q is
// above p in the pipeline, so p's tests must not import it (such a test
// belongs with q).
func above(q, p string) bool {
	seen := map[string]bool{}
	var reach func(x string) bool
	reach = func(x string) bool {
		if seen[x] {
			return false
		}
		seen[x] = true
		return slices.ContainsFunc(allowed[x], func(y string) bool { return y == p || reach(y) })
	}
	return reach(q)
}

// pkg is the part of `go list -json` the test reads.
type pkg struct {
	ImportPath                         string
	Imports, TestImports, XTestImports []string
}

// list returns every package of the module.
func list(t *testing.T) []pkg {
	t.Helper()
	out, err := exec.Command("go", "list", "-json", module+"/...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	var pkgs []pkg
	for dec := json.NewDecoder(bytes.NewReader(out)); dec.More(); {
		var p pkg
		if err := dec.Decode(&p); err != nil {
			t.Fatal(err)
		}
		pkgs = append(pkgs, p)
	}
	return pkgs
}

// local returns the module-relative paths of the module's packages in
// imports.
func local(imports []string) []string {
	var out []string
	for _, imp := range imports {
		if rel, ok := strings.CutPrefix(imp, module+"/"); ok {
			out = append(out, rel)
		}
	}
	return out
}

func TestImportsRunOneWay(t *testing.T) {
	t.Parallel()
	pkgs := list(t)
	if len(pkgs) < len(allowed)/2 {
		t.Fatalf("go list found %d packages", len(pkgs))
	}
	for _, p := range pkgs {
		name := strings.TrimPrefix(strings.TrimPrefix(p.ImportPath, module), "/")
		may, ok := allowed[name]
		if !ok {
			t.Errorf("package %s is not in the allowed import table: add it where the pipeline places it", name)
			continue
		}
		for _, imp := range local(p.Imports) {
			if !slices.Contains(may, imp) {
				t.Errorf("%s imports %s, which its place in the pipeline does not allow", name, imp)
			}
		}
		for _, imp := range local(append(p.TestImports, p.XTestImports...)) {
			if imp != name && !slices.Contains(testDoubles, imp) && above(imp, name) {
				t.Errorf("%s's tests import %s, which is above it in the pipeline: the test belongs with %s", name, imp, imp)
			}
		}
	}
}

// TestTableIsAcyclic checks the table itself: were every allowed import
// taken, there would still be no cycle, so the table describes layers.
func TestTableIsAcyclic(t *testing.T) {
	t.Parallel()
	state := map[string]int{} // 1 visiting, 2 done
	var visit func(p string, path []string)
	visit = func(p string, path []string) {
		switch state[p] {
		case 1:
			t.Fatalf("the allowed imports have a cycle: %s", strings.Join(append(path, p), " -> "))
		case 2:
			return
		}
		state[p] = 1
		for _, q := range allowed[p] {
			if _, ok := allowed[q]; !ok {
				t.Errorf("%s may import %s, which is not in the table", p, q)
			}
			visit(q, append(path, p))
		}
		state[p] = 2
	}
	for p := range allowed {
		visit(p, nil)
	}
}
