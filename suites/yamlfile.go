package suites

import (
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"
)

// yamlFile is a parsed YAML document that remembers where its nodes are,
// so that errors found after decoding still name file:line:column.
type yamlFile struct {
	path string
	root ast.Node // the document's top mapping
}

// decodeYAML strictly decodes data into v (unknown fields are errors) and
// returns the parsed document for position lookups. Errors name
// path:line:column.
func decodeYAML(path string, data []byte, v any) (f *yamlFile, err error) {
	// The parser panics on some malformed input (found by FuzzParseSuite,
	// testdata/fuzz): a broken file must be an error, not a crash.
	defer func() {
		if r := recover(); r != nil {
			f, err = nil, fmt.Errorf("%s: the YAML could not be read (%v): check the syntax near tags (!) and anchors", path, r)
		}
	}()
	if err := checkUTF8(path, data); err != nil {
		return nil, err
	}
	file, err := parser.ParseBytes(data, 0)
	if err != nil {
		return nil, yamlError(path, err)
	}
	if err := checkAliases(path, file.Docs); err != nil {
		return nil, err
	}
	if len(file.Docs) == 0 || file.Docs[0].Body == nil {
		return nil, fmt.Errorf("%s: the file is empty", path)
	}
	root := file.Docs[0].Body
	if _, ok := root.(*ast.MappingNode); !ok {
		if _, ok := root.(*ast.MappingValueNode); !ok {
			return nil, fmt.Errorf("%s: want a mapping of settings at the top, found %s", at(path, root), root.Type())
		}
	}
	if err := yaml.UnmarshalWithOptions(data, v, yaml.DisallowUnknownField()); err != nil {
		return nil, yamlError(path, err)
	}
	return &yamlFile{path: path, root: root}, nil
}

// yamlError rewrites a parser or decoder error as "path:line:col: msg".
func yamlError(path string, err error) error {
	var ye yaml.Error
	if errors.As(err, &ye) && ye.GetToken() != nil {
		pos := ye.GetToken().Position
		msg := ye.GetMessage()
		msg = strings.TrimPrefix(msg, "unknown field ")
		if msg != ye.GetMessage() {
			msg = "unknown field " + msg + ": check its spelling and indentation"
		}
		if m := typeMismatch.FindStringSubmatch(msg); m != nil {
			msg = fmt.Sprintf("want %s here, found %s", friendlyType(m[2]), m[1])
		}
		return fmt.Errorf("%s:%d:%d: %s", path, pos.Line, pos.Column, msg)
	}
	return fmt.Errorf("%s: %v", path, err)
}

var typeMismatch = regexp.MustCompile(`cannot unmarshal (\S+) into Go (?:struct field \S+ of type|value of type) (\S+)`)

func friendlyType(goType string) string {
	switch {
	case strings.HasPrefix(goType, "float"):
		return "a number"
	case strings.HasPrefix(goType, "int"), strings.HasPrefix(goType, "uint"):
		return "a whole number"
	case goType == "string":
		return "a text value"
	case goType == "bool":
		return "true or false"
	case strings.HasPrefix(goType, "[]"):
		return "a list"
	case strings.HasPrefix(goType, "map"), strings.Contains(goType, "."):
		return "a mapping"
	}
	return goType
}

func at(path string, n ast.Node) string {
	pos := n.GetToken().Position
	return fmt.Sprintf("%s:%d:%d", path, pos.Line, pos.Column)
}

// pos is where n is in the file.
func (f *yamlFile) pos(n ast.Node) position {
	p := n.GetToken().Position
	return position{file: f.path, line: int32(p.Line), col: int32(p.Column)}
}

// node returns the node at the path of mapping keys (string) and sequence
// indexes (int) below the root, or the deepest node found on the way.
func (f *yamlFile) node(path ...any) ast.Node {
	n := f.root
	for _, p := range path {
		next := child(n, p)
		if next == nil {
			break
		}
		n = next
	}
	return n
}

// line returns the line of the node at path.
func (f *yamlFile) line(path ...any) int {
	return f.node(path...).GetToken().Position.Line
}

// errorf formats an error located at the node at path.
func (f *yamlFile) errorf(path []any, format string, args ...any) error {
	return fmt.Errorf("%s: %s", at(f.path, f.node(path...)), fmt.Sprintf(format, args...))
}

func child(n ast.Node, p any) ast.Node {
	switch key := p.(type) {
	case string:
		for _, mv := range mappingValues(n) {
			if mv.Key.GetToken().Value == key {
				return mv.Value
			}
		}
	case int:
		if seq, ok := n.(*ast.SequenceNode); ok && key >= 0 && key < len(seq.Values) {
			return seq.Values[key]
		}
	}
	return nil
}

func mappingValues(n ast.Node) []*ast.MappingValueNode {
	switch m := n.(type) {
	case *ast.MappingNode:
		return m.Values
	case *ast.MappingValueNode:
		return []*ast.MappingValueNode{m}
	}
	return nil
}
