package suites

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"text/template"
)

// templateFuncs are available in prompt and check templates.
var templateFuncs = template.FuncMap{
	// json encodes a value as JSON: {{json .record}}.
	"json": func(v any) (string, error) {
		b, err := json.Marshal(v)
		return string(b), err
	},
	// join joins a list: {{join .labels ", "}}.
	"join": func(v []any, sep string) string {
		parts := make([]string, len(v))
		for i, x := range v {
			parts[i] = fmt.Sprint(x)
		}
		return strings.Join(parts, sep)
	},
}

func parseTemplate(name, text string) (*template.Template, error) {
	return template.New(name).Option("missingkey=error").Funcs(templateFuncs).Parse(text)
}

var missingKey = regexp.MustCompile(`map has no entry for key "([^"]*)"`)

// render executes t over vars; a missing var is named in the error.
func render(t *template.Template, vars map[string]any) (string, error) {
	if t == nil {
		return "", nil
	}
	if vars == nil {
		vars = map[string]any{}
	}
	b := limitedBuffer{max: MaxPromptBytes}
	if err := t.Execute(&b, vars); err != nil {
		if m := missingKey.FindStringSubmatch(err.Error()); m != nil {
			have := make([]string, 0, len(vars))
			for k := range vars {
				have = append(have, k)
			}
			slices.Sort(have)
			return "", fmt.Errorf("%s uses var %q, which the case does not set (it sets: %s)", t.Name(), m[1], strings.Join(have, ", "))
		}
		return "", fmt.Errorf("%s: %w", t.Name(), err)
	}
	return b.String(), nil
}

func (l *suiteLoader) templates(s *Suite) error {
	var err error
	if s.Prompt.System != "" {
		if s.Prompt.system, err = parseTemplate("prompt.system", s.Prompt.System); err != nil {
			return l.f.errorf([]any{"prompt", "system"}, "%v", err)
		}
	}
	if s.Prompt.user, err = parseTemplate("prompt.user", s.Prompt.User); err != nil {
		return l.f.errorf([]any{"prompt", "user"}, "%v", err)
	}
	s.Prompt.turns = make([]*template.Template, len(s.Prompt.Turns))
	for i, t := range s.Prompt.Turns {
		if s.Prompt.turns[i], err = parseTemplate(fmt.Sprintf("prompt.turns[%d]", i), t.Content); err != nil {
			return l.f.errorf([]any{"prompt", "turns", i}, "%v", err)
		}
	}
	s.Prompt.images = make([]*template.Template, len(s.Prompt.Images))
	for i, src := range s.Prompt.Images {
		if s.Prompt.images[i], err = parseTemplate(fmt.Sprintf("prompt.images[%d]", i), src); err != nil {
			return l.f.errorf([]any{"prompt", "images", i}, "%v", err)
		}
	}
	return nil
}

// Render renders the suite's prompt over vars, reading image files.
func (s *Suite) Render(vars map[string]any) (Messages, error) {
	var (
		m   Messages
		err error
	)
	if m.System, err = render(s.Prompt.system, vars); err != nil {
		return Messages{}, err
	}
	for i, t := range s.Prompt.turns {
		content, err := render(t, vars)
		if err != nil {
			return Messages{}, err
		}
		m.Turns = append(m.Turns, Turn{Role: s.Prompt.Turns[i].Role, Content: content})
	}
	if m.User, err = render(s.Prompt.user, vars); err != nil {
		return Messages{}, err
	}
	for _, t := range s.Prompt.images {
		src, err := render(t, vars)
		if err != nil {
			return Messages{}, err
		}
		img, err := loadImage(filepath.Dir(s.File), strings.TrimSpace(src))
		if err != nil {
			return Messages{}, err
		}
		m.Images = append(m.Images, img)
	}
	return m, nil
}

// Expected returns the text a contains or equals check looks for in the
// case's output: its value template rendered over the case's vars, or the
// case's reference when the check has no value. Load validated that it
// renders for every case of the suite.
func (c *Check) Expected(cs *Case) string {
	if c.value == nil {
		return cs.Reference
	}
	s, err := render(c.value, cs.Vars)
	if err != nil {
		return cs.Reference
	}
	return s
}
