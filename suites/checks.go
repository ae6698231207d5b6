package suites

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
)

// Schema drafts gojsonschema validates correctly. Later drafts (2019-09,
// 2020-12) would silently fall back and ignore keywords such as
// prefixItems, so they are refused at load time.
var knownDrafts = []string{
	"http://json-schema.org/draft-04/schema",
	"http://json-schema.org/draft-06/schema",
	"http://json-schema.org/draft-07/schema",
}

func (l *suiteLoader) check(s *Suite, i int, raw *rawCheck) (*Check, error) {
	at := []any{"checks", i}
	c := &Check{
		Type: raw.Type, Name: raw.Name, Weight: 1, Value: raw.Value, IgnoreCase: raw.IgnoreCase,
		Pattern: raw.Pattern, Against: raw.Against, Rubric: raw.Rubric, Line: l.f.line(at...),
	}
	if raw.Weight != nil {
		if *raw.Weight < 0 {
			return nil, l.f.errorf(append(at, "weight"), "check %d: weight cannot be negative", i+1)
		}
		c.Weight = *raw.Weight
	}
	if raw.Type == "" {
		return nil, l.f.errorf(at, "check %d has no type (want one of %s)", i+1, strings.Join(CheckTypes, ", "))
	}
	if !slices.Contains(CheckTypes, raw.Type) {
		return nil, l.f.errorf(append(at, "type"), "check %d: unknown type %q (want one of %s)", i+1, raw.Type, strings.Join(CheckTypes, ", "))
	}
	if err := l.unused(at, i, raw); err != nil {
		return nil, err
	}
	var err error
	switch c.Type {
	case Contains, Equals:
		if c.Value != "" {
			if c.value, err = parseTemplate(fmt.Sprintf("checks[%d].value", i), c.Value); err != nil {
				return nil, l.f.errorf(append(at, "value"), "check %d: %v", i+1, err)
			}
			c.literal, c.isLiteral = literalText(c.value)
		}
	case Regex:
		err = l.regex(c, at, i)
	case JSONSchema:
		err = l.schema(c, at, i, raw)
	case Similarity:
		err = l.similarity(c, at, i, raw.Threshold)
	case Judge:
		err = l.judge(c, at, i, raw.Threshold)
	case ToolUse:
		if len(s.Tools) == 0 {
			err = l.f.errorf(at, "check %d: a tool_call check needs the suite to declare tools", i+1)
		}
	}
	return c, err
}

// unused refuses settings that do nothing for the check's type, which are
// almost always a typo or a misplaced line.
func (l *suiteLoader) unused(at []any, i int, raw *rawCheck) error {
	allowed := map[string][]string{
		Contains:   {"value", "ignore_case"},
		Equals:     {"value", "ignore_case"},
		Regex:      {"pattern", "ignore_case"},
		JSONSchema: {"schema", "schema_file"},
		Similarity: {"against", "threshold"},
		Judge:      {"rubric", "threshold"},
		ToolUse:    {},
	}[raw.Type]
	set := map[string]bool{
		"value": raw.Value != "", "ignore_case": raw.IgnoreCase, "pattern": raw.Pattern != "",
		"schema": raw.Schema != nil, "schema_file": raw.SchemaFile != "", "against": raw.Against != "",
		"threshold": raw.Threshold != nil, "rubric": raw.Rubric != "",
	}
	for _, k := range []string{"value", "ignore_case", "pattern", "schema", "schema_file", "against", "threshold", "rubric"} {
		if set[k] && !slices.Contains(allowed, k) {
			return l.f.errorf(append(at, k), "check %d: %s does not apply to a %s check (it takes %s)", i+1, k, raw.Type, strings.Join(allowed, ", "))
		}
	}
	return nil
}

func (l *suiteLoader) regex(c *Check, at []any, i int) error {
	if c.Pattern == "" {
		return l.f.errorf(at, "check %d: a regex check needs a pattern", i+1)
	}
	p := c.Pattern
	if c.IgnoreCase {
		p = "(?i)" + p
	}
	re, err := regexp.Compile(p)
	if err != nil {
		return l.f.errorf(append(at, "pattern"), "check %d: bad pattern: %v", i+1, err)
	}
	c.Regexp = re
	return nil
}

func (l *suiteLoader) schema(c *Check, at []any, i int, raw *rawCheck) error {
	schemaSelf := l.f.path // where relative $refs resolve from
	switch {
	case raw.Schema != nil && raw.SchemaFile != "":
		return l.f.errorf(at, "check %d: give schema or schema_file, not both", i+1)
	case raw.Schema != nil:
		b, err := json.Marshal(raw.Schema)
		if err != nil {
			return l.f.errorf(append(at, "schema"), "check %d: schema is not JSON-compatible: %v", i+1, err)
		}
		c.Schema = b
		at = append(at, "schema")
	case raw.SchemaFile != "":
		path := raw.SchemaFile
		if !filepath.IsAbs(path) {
			path = filepath.Join(l.dir, path)
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return l.f.errorf(append(at, "schema_file"), "check %d: %v", i+1, err)
		}
		c.Schema = b
		schemaSelf = path
		at = append(at, "schema_file")
	default:
		return l.f.errorf(at, "check %d: a json_schema check needs schema (inline) or schema_file", i+1)
	}
	var doc map[string]any
	if err := json.Unmarshal(c.Schema, &doc); err != nil {
		return l.f.errorf(at, "check %d: the schema is not a JSON object: %v", i+1, err)
	}
	if draft, ok := doc["$schema"].(string); ok && !knownDraft(draft) {
		return l.f.errorf(at, "check %d: $schema %q is not supported: use draft-04, -06 or -07 (later drafts would be validated wrongly)", i+1, draft)
	}
	compiled, err := CompileSchema(c.Schema, l.dir, schemaSelf)
	if err != nil {
		return l.f.errorf(at, "check %d: %s", i+1, schemaProblem(err))
	}
	c.Compiled = compiled
	return nil
}

// schemaProblem says what is wrong with a schema that does not compile.
func schemaProblem(err error) string {
	if re := (*RefError)(nil); errors.As(err, &re) {
		return re.Error()
	}
	return "invalid JSON schema: " + err.Error()
}

func knownDraft(s string) bool {
	s = strings.TrimSuffix(strings.TrimSuffix(s, "#"), "/")
	s = strings.Replace(s, "https://", "http://", 1)
	return slices.Contains(knownDrafts, s)
}

func (l *suiteLoader) similarity(c *Check, at []any, i int, threshold *float64) error {
	if c.Against == "" {
		c.Against = "reference"
	}
	if c.Against != "reference" && c.Against != "baseline" {
		return l.f.errorf(append(at, "against"), "check %d: against %q: want reference or baseline", i+1, c.Against)
	}
	c.Threshold = 0.8
	if threshold != nil {
		if *threshold < -1 || *threshold > 1 {
			return l.f.errorf(append(at, "threshold"), "check %d: a similarity threshold is a cosine in [-1,1], got %v", i+1, *threshold)
		}
		c.Threshold = *threshold
	}
	return nil
}

func (l *suiteLoader) judge(c *Check, at []any, i int, threshold *float64) error {
	if strings.TrimSpace(c.Rubric) == "" {
		return l.f.errorf(at, "check %d: a judge check needs a rubric: say what a good answer does", i+1)
	}
	c.Threshold = 7
	if threshold != nil {
		if *threshold < 1 || *threshold > 10 {
			return l.f.errorf(append(at, "threshold"), "check %d: a judge threshold is on the judge's 1-10 scale, got %v", i+1, *threshold)
		}
		c.Threshold = *threshold
	}
	return nil
}

// nameChecks gives unnamed checks their type as name, numbered when a
// suite has several of one type.
func nameChecks(checks []*Check) {
	count := map[string]int{}
	for _, c := range checks {
		count[c.Type]++
	}
	seen := map[string]int{}
	for _, c := range checks {
		if c.Name != "" {
			continue
		}
		seen[c.Type]++
		c.Name = c.Type
		if count[c.Type] > 1 {
			c.Name = fmt.Sprintf("%s_%d", c.Type, seen[c.Type])
		}
	}
}

// weights checks the overall score is defined: some check weighs.
func (l *suiteLoader) weights(s *Suite) error {
	total := 0.0
	for _, c := range s.Checks {
		total += c.Weight
	}
	if len(s.Checks) > 0 && total == 0 {
		return l.f.errorf([]any{"checks"}, "every check has weight 0: the overall score would be undefined")
	}
	return nil
}

// expect checks what the suite's checks need from case cs, whose
// template vars are vars: a reference where a check compares with one,
// an expected tool call for a tool_call check, and a value template that
// renders over the vars.
func (l *suiteLoader) expect(s *Suite, cs *Case, vars map[string]any) error {
	for _, c := range s.Checks {
		needsRef := (c.Type == Contains || c.Type == Equals) && c.value == nil ||
			c.Type == Similarity && c.Against == "reference"
		if c.Type == ToolUse && cs.ExpectTool == nil {
			return fmt.Errorf("%s: case %q has no expect_tool, which the %s check at line %d compares with: add expect_tool: {name, arguments} or {none: true}", cs.pos, cs.ID, c.Name, c.Line)
		}
		if needsRef && strings.TrimSpace(cs.Reference) == "" {
			return fmt.Errorf("%s: case %q has no reference, which the %s check at line %d compares with: add `reference:` or set the check's value", cs.pos, cs.ID, c.Name, c.Line)
		}
		if c.value != nil {
			if _, err := render(c.value, vars); err != nil {
				return cs.errorf("%v", err)
			}
		}
	}
	return nil
}
