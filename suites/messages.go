package suites

import (
	"fmt"
	"path/filepath"

	segjson "github.com/segmentio/encoding/json"
)

// Messages renders the prompt c sends: the suite's templates over the
// case's vars, image files read and encoded. Nothing keeps the result, so
// memory follows the prompts in flight, not the cases loaded; the same
// case renders the same messages every time.
//
// Load rendered every case of a loaded suite once, so the templates cannot
// fail here: an error means an image file changed on disk since (it is
// gone, has grown past the limit or is no longer an image), and names the
// case. A Suite built in code has its templates parsed on every call; a
// nil suite or case renders no messages.
func (s *Suite) Messages(c *Case) (Messages, error) {
	if s == nil || c == nil {
		return Messages{}, nil
	}
	p, err := s.Prompt.compiled()
	if err != nil {
		return Messages{}, fmt.Errorf("suite %s: %v", s.Name, err)
	}
	vars, err := c.TemplateVars()
	if err != nil {
		return Messages{}, c.errorf("%v", err)
	}
	m, err := p.render(vars, filepath.Dir(s.File), loadImage)
	if err != nil {
		return Messages{}, c.errorf("%v", err)
	}
	return m, nil
}

// TemplateVars returns the vars the case's templates see: Vars itself (do
// not change it), or those of a cases_file line, decoded afresh on each
// call. Load decoded them once, so for a loaded case the error is nil.
func (c *Case) TemplateVars() (map[string]any, error) {
	if c.varsJSON == "" {
		return c.Vars, nil
	}
	return decodeVars(c.varsJSON)
}

// decodeVars decodes a cases_file case's vars as encoding/json would
// (FuzzDecodeCase holds the two to the same maps), with segmentio/
// encoding's decoder: every send decodes its case's vars.
func decodeVars(text string) (map[string]any, error) {
	// segmentio/encoding makes a map of 64 entries (4.7 KB) unless given
	// one: a case's vars are a few.
	vars := make(map[string]any, 8)
	if err := segjson.Unmarshal([]byte(text), &vars); err != nil {
		return nil, fmt.Errorf("vars: %v", err)
	}
	return vars, nil
}

// Source returns the file:line the case was read from (file:line:column
// for a case written inline in its suite); "" for a case built in code.
func (c *Case) Source() string {
	return c.pos.String()
}

// errorf formats an error about c, naming its source and id.
func (c *Case) errorf(format string, args ...any) error {
	msg := fmt.Sprintf(format, args...)
	if src := c.Source(); src != "" {
		return fmt.Errorf("%s: case %q: %s", src, c.ID, msg)
	}
	return fmt.Errorf("case %q: %s", c.ID, msg)
}

// String is file:line, or file:line:column when the column is known.
func (p position) String() string {
	switch {
	case p.file == "":
		return ""
	case p.col > 0:
		return fmt.Sprintf("%s:%d:%d", p.file, p.line, p.col)
	}
	return fmt.Sprintf("%s:%d", p.file, p.line)
}
