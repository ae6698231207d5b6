package suites

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"unicode/utf8"
)

// cases loads the inline cases then those of cases_file, and renders each
// case's prompt, so a missing var fails here and names the case's line.
func (l *suiteLoader) cases(s *Suite, raw *rawSuite) error {
	for i := range raw.Cases {
		src := at(l.f.path, l.f.node("cases", i))
		if err := l.addCase(s, &raw.Cases[i], i, src); err != nil {
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
	if len(s.Cases) == 0 {
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
	return l.readCases(s, path, f)
}

// readCases reads JSONL cases from r, one a line, streaming: a line longer
// than MaxCaseLineBytes or not UTF-8 is an error naming path:line.
func (l *suiteLoader) readCases(s *Suite, path string, r io.Reader) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64*1024), MaxCaseLineBytes+2) // room for "\r\n"
	n := 1
	for ; sc.Scan(); n++ {
		line := bytes.TrimSpace(sc.Bytes())
		if len(line) == 0 || line[0] == '#' {
			continue
		}
		src := fmt.Sprintf("%s:%d", path, n)
		if len(line) > MaxCaseLineBytes {
			return lineTooLong(src)
		}
		if !utf8.Valid(line) {
			return fmt.Errorf("%s: the line is not UTF-8: save the file as UTF-8", src)
		}
		var rc rawCase
		dec := json.NewDecoder(bytes.NewReader(line))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&rc); err != nil {
			return fmt.Errorf("%s: not a case (want {\"id\", \"vars\", \"reference\", \"metadata\"}): %v", src, err)
		}
		if err := l.addCase(s, &rc, len(s.Cases), src); err != nil {
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

func lineTooLong(src string) error {
	return fmt.Errorf("%s: the line is longer than %d MiB, the limit for one case (MaxCaseLineBytes): shorten the case's vars or split the case", src, MaxCaseLineBytes>>20)
}

func (l *suiteLoader) addCase(s *Suite, rc *rawCase, index int, src string) error {
	c := &Case{ID: strings.TrimSpace(rc.ID), Vars: rc.Vars, Reference: rc.Reference, Metadata: rc.Metadata, Source: src, ExpectTool: rc.ExpectTool}
	if c.ID == "" {
		c.ID = fmt.Sprintf("case-%d", index+1)
	}
	if prev, ok := l.ids[c.ID]; ok {
		return fmt.Errorf("%s: case id %q is already used at %s: give each case its own id", src, c.ID, prev)
	}
	msgs, err := s.Render(c.Vars)
	if err != nil {
		return fmt.Errorf("%s: case %q: %v", src, c.ID, err)
	}
	if err := checkExpectTool(s, c); err != nil {
		return fmt.Errorf("%s: case %q: %v", src, c.ID, err)
	}
	if strings.TrimSpace(msgs.User) == "" {
		return fmt.Errorf("%s: case %q: the user prompt renders empty", src, c.ID)
	}
	c.Messages = msgs
	s.Cases = append(s.Cases, c)
	l.ids[c.ID] = src
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
