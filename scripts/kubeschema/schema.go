package main

import (
	"fmt"
	"maps"
	"slices"
	"strings"
)

// definitionFor returns the name of the definition that describes k, from
// the x-kubernetes-group-version-kind each top-level kind carries.
func definitionFor(defs map[string]map[string]any, k gvk) (string, error) {
	group, version, ok := strings.Cut(k.APIVersion, "/")
	if !ok {
		group, version = "", k.APIVersion
	}
	for _, name := range slices.Sorted(maps.Keys(defs)) {
		list, _ := defs[name]["x-kubernetes-group-version-kind"].([]any)
		for _, e := range list {
			m, _ := e.(map[string]any)
			if m["group"] == group && m["version"] == version && m["kind"] == k.Kind {
				return name, nil
			}
		}
	}
	return "", fmt.Errorf("%s %s: the spec has no such kind", k.APIVersion, k.Kind)
}

// standalone returns the strict schema of k with every definition it
// refers to under "definitions".
func standalone(defs map[string]map[string]any, k gvk) (map[string]any, error) {
	name, err := definitionFor(defs, k)
	if err != nil {
		return nil, err
	}
	reachable := map[string]bool{}
	if err := refs(defs, defs[name], reachable); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	copied := map[string]any{}
	for ref := range reachable {
		copied[ref] = strict(ref, defs[ref])
	}
	root := strict(name, defs[name]).(map[string]any)
	props, _ := root["properties"].(map[string]any)
	if props == nil {
		return nil, fmt.Errorf("%s: the definition has no properties", name)
	}
	props["kind"] = map[string]any{"type": "string", "enum": []any{k.Kind}}
	props["apiVersion"] = map[string]any{"type": "string", "enum": []any{k.APIVersion}}
	root["required"] = []any{"apiVersion", "kind"}
	root["$schema"] = "http://json-schema.org/draft-04/schema#"
	root["definitions"] = copied
	return root, nil
}

// refs adds to seen every definition node refers to, directly or through
// other definitions.
func refs(defs map[string]map[string]any, node any, seen map[string]bool) error {
	switch n := node.(type) {
	case map[string]any:
		for key, v := range n {
			ref, ok := v.(string)
			if key != "$ref" || !ok {
				if err := refs(defs, v, seen); err != nil {
					return err
				}
				continue
			}
			name, ok := strings.CutPrefix(ref, "#/definitions/")
			if _, known := defs[name]; !ok || !known {
				return fmt.Errorf("unresolved $ref %q", ref)
			}
			if !seen[name] {
				seen[name] = true
				if err := refs(defs, defs[name], seen); err != nil {
					return err
				}
			}
		}
	case []any:
		for _, v := range n {
			if err := refs(defs, v, seen); err != nil {
				return err
			}
		}
	}
	return nil
}

// strict returns a copy of the schema node (the definition called name, or
// "" below it) with openapi2jsonschema --strict's rules applied: objects
// that list properties allow no others, int-or-string takes either, a
// quantity takes a string or a number.
func strict(name string, node any) any {
	switch n := node.(type) {
	case map[string]any:
		if name == quantity {
			return oneOf(n, "string", "number")
		}
		if n["format"] == "int-or-string" {
			return oneOf(n, "string", "integer")
		}
		out := make(map[string]any, len(n)+1)
		for k, v := range n {
			out[k] = strict("", v)
		}
		if _, ok := n["properties"]; ok {
			if _, set := n["additionalProperties"]; !set {
				out["additionalProperties"] = false
			}
		}
		return out
	case []any:
		out := make([]any, len(n))
		for i, v := range n {
			out[i] = strict("", v)
		}
		return out
	}
	return node
}

// oneOf is a node that takes a value of any of the types, keeping n's
// description.
func oneOf(n map[string]any, types ...string) map[string]any {
	var alts []any
	for _, t := range types {
		alts = append(alts, map[string]any{"type": t})
	}
	out := map[string]any{"oneOf": alts}
	if d, ok := n["description"]; ok {
		out["description"] = d
	}
	return out
}
