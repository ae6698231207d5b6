package main

import (
	"reflect"
	"testing"
)

// spec is a small OpenAPI v2 spec in the shape of Kubernetes': a kind, a
// spec it refers to, an int-or-string, a quantity and a map of strings.
func spec() map[string]map[string]any {
	return map[string]map[string]any{
		"io.k8s.api.batch.v1.Job": {
			"properties": map[string]any{
				"apiVersion": map[string]any{"type": "string"},
				"kind":       map[string]any{"type": "string"},
				"spec":       map[string]any{"$ref": "#/definitions/io.k8s.api.batch.v1.JobSpec"},
			},
			"x-kubernetes-group-version-kind": []any{
				map[string]any{"group": "batch", "kind": "Job", "version": "v1"},
			},
		},
		"io.k8s.api.batch.v1.JobSpec": {
			"properties": map[string]any{
				"port":   map[string]any{"$ref": "#/definitions/io.k8s.apimachinery.pkg.util.intstr.IntOrString"},
				"cpu":    map[string]any{"$ref": "#/definitions/" + quantity},
				"labels": map[string]any{"type": "object", "additionalProperties": map[string]any{"type": "string"}},
			},
		},
		"io.k8s.apimachinery.pkg.util.intstr.IntOrString": {"type": "string", "format": "int-or-string"},
		quantity:        {"type": "string", "description": "a quantity"},
		"io.k8s.unused": {"type": "string"},
	}
}

func TestStandalone(t *testing.T) {
	t.Parallel()
	got, err := standalone(spec(), gvk{APIVersion: "batch/v1", Kind: "Job"})
	if err != nil {
		t.Fatal(err)
	}
	defs := got["definitions"].(map[string]any)
	// Only what the kind reaches is copied.
	if len(defs) != 3 || defs["io.k8s.unused"] != nil {
		t.Errorf("definitions = %v, want the three the Job reaches", reflect.ValueOf(defs).MapKeys())
	}
	// Objects that list properties allow no others; a map keeps its values' schema.
	if got["additionalProperties"] != false {
		t.Error("the root allows additional properties")
	}
	jobSpec := defs["io.k8s.api.batch.v1.JobSpec"].(map[string]any)
	if jobSpec["additionalProperties"] != false {
		t.Error("JobSpec allows additional properties")
	}
	labels := jobSpec["properties"].(map[string]any)["labels"].(map[string]any)
	if !reflect.DeepEqual(labels["additionalProperties"], map[string]any{"type": "string"}) {
		t.Errorf("labels' additionalProperties = %v, want strings", labels["additionalProperties"])
	}
	// int-or-string takes either; a quantity a string or a number, with its description.
	wantIOS := map[string]any{"oneOf": []any{map[string]any{"type": "string"}, map[string]any{"type": "integer"}}}
	if ios := defs["io.k8s.apimachinery.pkg.util.intstr.IntOrString"]; !reflect.DeepEqual(ios, wantIOS) {
		t.Errorf("IntOrString = %v, want %v", ios, wantIOS)
	}
	wantQ := map[string]any{"description": "a quantity", "oneOf": []any{map[string]any{"type": "string"}, map[string]any{"type": "number"}}}
	if q := defs[quantity]; !reflect.DeepEqual(q, wantQ) {
		t.Errorf("Quantity = %v, want %v", q, wantQ)
	}
	// kind and apiVersion are pinned.
	kind := got["properties"].(map[string]any)["kind"].(map[string]any)
	if !reflect.DeepEqual(kind["enum"], []any{"Job"}) {
		t.Errorf("kind = %v, want enum [Job]", kind)
	}
}

func TestStandaloneRefusesWhatItCannotResolve(t *testing.T) {
	t.Parallel()
	// A kind the spec lacks.
	if _, err := standalone(spec(), gvk{APIVersion: "batch/v1", Kind: "CronJob"}); err == nil {
		t.Error("a kind the spec lacks got a schema")
	}
	// A $ref to a definition the spec lacks.
	s := spec()
	delete(s, quantity)
	if _, err := standalone(s, gvk{APIVersion: "batch/v1", Kind: "Job"}); err == nil {
		t.Error("an unresolved $ref went unnoticed")
	}
}

func TestFileName(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		k    gvk
		want string
	}{
		{gvk{"batch/v1", "Job"}, "job-batch-v1.json"},                                      // a named group
		{gvk{"v1", "PersistentVolumeClaim"}, "persistentvolumeclaim-v1.json"},              // the core group
		{gvk{"rbac.authorization.k8s.io/v1", "Role"}, "role-rbac-v1.json"},                 // a dotted group: its first label
		{gvk{"networking.k8s.io/v1", "NetworkPolicy"}, "networkpolicy-networking-v1.json"}, // as kubeconform names it
	} {
		if got := fileName(c.k); got != c.want {
			t.Errorf("fileName(%v) = %s, want %s", c.k, got, c.want)
		}
	}
}
