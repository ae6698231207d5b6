package suites

import (
	"bytes"
	"fmt"
	"unicode/utf8"

	"github.com/goccy/go-yaml/ast"
)

// Bounds on what a suite can make parity build. Each is far above what a
// real suite needs and far below what exhausts a machine; passing one is a
// load error naming file:line and the limit.
const (
	// MaxAliasNodes bounds the YAML nodes that aliases (*name) add to a
	// file when expanded. Nine levels of nine aliases, 454 bytes, expand
	// to 387 million nodes; go-yaml shares them, but rendering or encoding
	// them does not.
	MaxAliasNodes = 1_000_000
	// MaxPromptBytes bounds one rendered template: a prompt's system,
	// turn, user or image part, or a check's value. A 2,000,000-token
	// long-context probe renders about 10 MB.
	MaxPromptBytes = 16 << 20
	// MaxCaseLineBytes bounds one line of a cases_file.
	MaxCaseLineBytes = 16 << 20
)

// limitedBuffer is a bytes.Buffer that refuses to grow past max bytes.
// text/template stops at the first failed write, so a template that loops
// for ever fails at the limit instead of exhausting memory.
type limitedBuffer struct {
	bytes.Buffer
	max int
}

// errPromptTooLong is what a write past MaxPromptBytes returns.
var errPromptTooLong = fmt.Errorf("renders more than %d MiB, the limit for one template (MaxPromptBytes): check the template's range loops and the size of its vars", MaxPromptBytes>>20)

func (b *limitedBuffer) Write(p []byte) (int, error) {
	if b.Len()+len(p) > b.max {
		return 0, errPromptTooLong
	}
	return b.Buffer.Write(p)
}

// checkAliases refuses a document whose aliases expand past MaxAliasNodes
// nodes, naming the alias where the expansion passes the limit. It walks
// the parsed document once, remembering each anchor's expanded size, so it
// costs no more than the file's own nodes.
func checkAliases(path string, docs []*ast.DocumentNode) error {
	b := aliasBudget{sizes: map[string]int{}}
	for _, d := range docs {
		b.size(d.Body)
		if b.over != nil {
			return fmt.Errorf("%s: the aliases expand to more than %d YAML nodes, the limit (MaxAliasNodes): an anchor repeated inside anchors grows exponentially; write the values out, or move the cases to a cases_file", at(path, b.over), MaxAliasNodes)
		}
	}
	return nil
}

// aliasBudget counts the nodes aliases expand to.
type aliasBudget struct {
	sizes map[string]int // each anchor's expanded size, by name
	added int            // the nodes aliases have added so far
	over  ast.Node       // the alias that passed MaxAliasNodes
}

// size returns the expanded size of n, counting what its aliases add.
func (b *aliasBudget) size(n ast.Node) int {
	if n == nil || b.over != nil {
		return 0
	}
	switch n := n.(type) {
	case *ast.MappingNode:
		total := 1
		for _, v := range n.Values {
			total += b.size(v)
		}
		return total
	case *ast.SequenceNode:
		total := 1
		for _, v := range n.Values {
			total += b.size(v)
		}
		return total
	case *ast.MappingValueNode:
		return b.size(n.Key) + b.size(n.Value)
	case *ast.MappingKeyNode:
		return 1 + b.size(n.Value)
	case *ast.TagNode:
		return b.size(n.Value)
	case *ast.AnchorNode:
		s := b.size(n.Value)
		b.sizes[n.Name.GetToken().Value] = s
		return s
	case *ast.AliasNode:
		s := max(b.sizes[n.Value.GetToken().Value], 1)
		if b.added += s; b.added > MaxAliasNodes {
			b.over = n
		}
		return s
	}
	return 1
}

// checkUTF8 refuses data that is not UTF-8, naming the line and column
// of the first bad byte: a file in another encoding would load as garbled
// prompts that still look plausible.
func checkUTF8(path string, data []byte) error {
	if utf8.Valid(data) {
		return nil
	}
	line, col := 1, 1
	for i := 0; i < len(data); {
		r, size := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && size <= 1 {
			return fmt.Errorf("%s:%d:%d: byte 0x%02x is not UTF-8: save the file as UTF-8", path, line, col, data[i])
		}
		if r == '\n' {
			line, col = line+1, 0
		}
		i, col = i+size, col+1
	}
	return nil
}
