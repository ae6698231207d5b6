package suites

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"unicode/utf8"

	segjson "github.com/segmentio/encoding/json"
)

// cases loads the inline cases then those of cases_file, rendering each
// case's prompt once and keeping none of it, so a missing var fails here
// and names the case's line.
func (l *suiteLoader) cases(s *Suite, raw *rawSuite) error {
	for i := range raw.Cases {
		rc := &raw.Cases[i]
		c := rc.toCase(l.f.pos(l.f.node("cases", i)))
		if err := l.addCase(s, c, nil); err != nil {
			return err
		}
	}
	if raw.CasesFile != "" {
		if err := l.casesFile(s, raw.CasesFile); err != nil {
			return err
		}
	}
	if s.LongContext != nil {
		if err := l.longContextCases(s); err != nil {
			return err
		}
	}
	if s.Cases.Len() == 0 {
		return l.f.errorf(nil, "suite %s has no cases: add `cases:` or `cases_file:`", s.Name)
	}
	return nil
}

func (l *suiteLoader) casesFile(s *Suite, name string) error {
	path := name
	if !filepath.IsAbs(path) {
		path = filepath.Join(l.dir, name)
	}
	f, err := os.Open(path)
	if err != nil {
		return l.f.errorf([]any{"cases_file"}, "cases_file: %v", err)
	}
	defer f.Close()
	if fi, err := f.Stat(); err == nil && !fi.Mode().IsRegular() {
		// A pipe or a device cannot be read again: its cases are held.
		return l.readCases(s, "", path, f)
	}
	return l.readCases(s, path, path, f)
}

// jsonCase is one line of a cases_file. Its vars stay JSON: the case
// keeps them as read.
type jsonCase struct {
	ID         string            `json:"id"`
	Vars       jsonVars          `json:"vars"`
	Reference  string            `json:"reference"`
	Metadata   map[string]string `json:"metadata"`
	ExpectTool *ToolCall         `json:"expect_tool"`
}

// jsonVars is a JSON object (or null, no vars) as it was read.
type jsonVars string

// UnmarshalJSON keeps the object's text; anything but an object or null
// is an error.
func (v *jsonVars) UnmarshalJSON(b []byte) error {
	switch {
	case string(b) == "null":
		*v = ""
	case len(b) > 0 && b[0] == '{':
		*v = jsonVars(b)
	default:
		return fmt.Errorf("vars is not an object: %.40s", b)
	}
	return nil
}

// readCases reads JSONL cases from r, the file at path, one a line,
// streaming: a line longer than MaxCaseLineBytes or not UTF-8 is an error
// naming path:line. A case is kept as where its line is in store, the
// file read again (see Cases), or held when store is "".
func (l *suiteLoader) readCases(s *Suite, store, path string, r io.Reader) error {
	if store != "" {
		s.Cases.file = &casesFile{path: store}
	}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64*1024), MaxCaseLineBytes+2) // room for "\r\n"
	sc.Split(scanLines)
	var off int64
	n := 1
	for ; sc.Scan(); n++ {
		raw := sc.Bytes()
		start := off
		off += int64(len(raw))
		line := bytes.TrimSpace(raw)
		if len(line) == 0 || line[0] == '#' {
			continue
		}
		if off > maxCasesFile {
			return fmt.Errorf("%s:%d: a cases_file may hold up to 1 TiB: split it", path, n)
		}
		index := s.Cases.Len()
		c, err := readCase(line, position{file: path, line: int32(n)}, index)
		if err != nil {
			return err
		}
		var ref *lineRef
		if store != "" {
			r := newLineRef(start, n, index, line)
			ref = &r
		}
		if err := l.addCase(s, c, ref); err != nil {
			return err
		}
	}
	if err := sc.Err(); errors.Is(err, bufio.ErrTooLong) {
		return lineTooLong(fmt.Sprintf("%s:%d", path, n))
	} else if err != nil {
		return fmt.Errorf("%s:%d: %w", path, n, err)
	}
	return nil
}

// scanLines is bufio.ScanLines keeping each line's newline, so that the
// lines' lengths add up to their offsets in the file.
func scanLines(data []byte, atEOF bool) (advance int, token []byte, err error) {
	if i := bytes.IndexByte(data, '\n'); i >= 0 {
		return i + 1, data[:i+1], nil
	}
	if atEOF && len(data) > 0 {
		return len(data), data, nil
	}
	return 0, nil, nil
}

// readCase decodes one line of a cases_file, read at pos, the index-th
// case of its suite.
func readCase(line []byte, pos position, index int) (*Case, error) {
	if len(line) > MaxCaseLineBytes {
		return nil, lineTooLong(pos.String())
	}
	if !utf8.Valid(line) {
		return nil, fmt.Errorf("%s: the line is not UTF-8: save the file as UTF-8", pos)
	}
	jc, err := decodeCase(line)
	if err != nil {
		return nil, fmt.Errorf("%s: not a case (want {\"id\", \"vars\", \"reference\", \"metadata\"}): %v", pos, err)
	}
	c := &Case{ID: jc.ID, Reference: jc.Reference, Metadata: jc.Metadata, ExpectTool: jc.ExpectTool,
		varsJSON: string(jc.Vars), pos: pos}
	c.defaultID(index)
	return c, nil
}

// decodeCase decodes a cases_file line as encoding/json would, unknown
// fields refused, and nothing but white space after the object
// (FuzzDecodeCase holds the two to the same answers). It uses
// segmentio/encoding's decoder, seven times faster on a trivial case
// (350 ns against 2.6 µs): a run decodes every case again when it sends
// it, once per provider.
func decodeCase(line []byte) (jsonCase, error) {
	var jc jsonCase
	rest, err := segjson.Parse(line, &jc, segjson.DisallowUnknownFields)
	if err == nil && len(rest) > 0 {
		err = fmt.Errorf("text after the object: %.40s", rest)
	}
	return jc, err
}

func lineTooLong(src string) error {
	return fmt.Errorf("%s: the line is longer than %d MiB, the limit for one case (MaxCaseLineBytes): shorten the case's vars or split the case", src, MaxCaseLineBytes>>20)
}

// toCase is the case rc describes, written at pos.
func (rc *rawCase) toCase(pos position) *Case {
	return &Case{ID: rc.ID, Vars: rc.Vars, Reference: rc.Reference, Metadata: rc.Metadata, ExpectTool: rc.ExpectTool, pos: pos}
}

// defaultID trims the case's id and names a case without one by its
// position, the index-th of its suite.
func (c *Case) defaultID(index int) {
	if c.ID = strings.TrimSpace(c.ID); c.ID == "" {
		c.ID = "case-" + strconv.Itoa(index+1)
	}
}

// addCase checks c and adds it to s: held, or as read from its cases_file
// at ref. Its id is unique, its expected tool one of the suite's, and its
// prompt renders (the text is dropped: the case is rendered again when it
// is sent).
func (l *suiteLoader) addCase(s *Suite, c *Case, ref *lineRef) error {
	if ref == nil {
		c.defaultID(s.Cases.Len())
	}
	prev, err := l.ids.add(s.Cases, c, s.Cases.Len())
	if err != nil {
		return err
	}
	if prev != nil {
		return fmt.Errorf("%s: case id %q is already used at %s: give each case its own id", c.pos, c.ID, prev.pos)
	}
	vars, err := c.TemplateVars()
	if err != nil {
		return c.errorf("%v", err)
	}
	msgs, err := s.Prompt.render(vars, filepath.Dir(s.File), checkImage)
	if err != nil {
		return c.errorf("%v", err)
	}
	if err := checkExpectTool(s, c); err != nil {
		return c.errorf("%v", err)
	}
	if strings.TrimSpace(msgs.User) == "" {
		return c.errorf("the user prompt renders empty")
	}
	if err := l.expect(s, c, vars); err != nil {
		return err
	}
	s.Cases.add(c, ref)
	return nil
}

// Meta returns the suite's metadata overlaid with the case's.
func (s *Suite) Meta(c *Case) map[string]string {
	if len(c.Metadata) == 0 {
		return s.Metadata
	}
	m := make(map[string]string, len(s.Metadata)+len(c.Metadata))
	for k, v := range s.Metadata {
		m[k] = v
	}
	for k, v := range c.Metadata {
		m[k] = v
	}
	return m
}

// checkExpectTool checks a case's expected tool call names a tool of the
// suite with arguments that tool accepts.
func checkExpectTool(s *Suite, c *Case) error {
	e := c.ExpectTool
	if e == nil {
		return nil
	}
	if len(s.Tools) == 0 {
		return fmt.Errorf("expect_tool, but the suite declares no tools")
	}
	if e.None {
		if e.Name != "" || len(e.Arguments) > 0 {
			return fmt.Errorf("expect_tool: none: true takes no name or arguments")
		}
		return nil
	}
	for _, t := range s.Tools {
		if t.Name == e.Name {
			return nil
		}
	}
	names := make([]string, len(s.Tools))
	for i, t := range s.Tools {
		names[i] = t.Name
	}
	return fmt.Errorf("expect_tool names %q, which is not one of the suite's tools (%s); for no call write {none: true}", e.Name, strings.Join(names, ", "))
}
