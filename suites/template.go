package suites

import (
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"text/template"
	"text/template/parse"
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

// literalText is what t renders over any vars when it holds text alone
// (no action, no other template defined, within MaxPromptBytes); ok is
// false otherwise.
func literalText(t *template.Template) (text string, ok bool) {
	if t == nil || t.Tree == nil || len(t.Templates()) > 1 {
		return "", false
	}
	var b strings.Builder
	for _, n := range t.Tree.Root.Nodes {
		tn, isText := n.(*parse.TextNode)
		if !isText {
			return "", false
		}
		b.Write(tn.Text)
	}
	if b.Len() > MaxPromptBytes {
		return "", false
	}
	return b.String(), true
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
	if at, err := s.Prompt.parse(); err != nil {
		return l.f.errorf(at, "%v", err)
	}
	return nil
}

// parse compiles the prompt's templates. On error, at is where the
// failing template is in the suite.
func (p *Prompt) parse() (at []any, err error) {
	p.system = nil
	if p.System != "" {
		if p.system, err = parseTemplate("prompt.system", p.System); err != nil {
			return []any{"prompt", "system"}, err
		}
	}
	if p.user, err = parseTemplate("prompt.user", p.User); err != nil {
		return []any{"prompt", "user"}, err
	}
	p.turns = make([]*template.Template, len(p.Turns))
	for i, t := range p.Turns {
		if p.turns[i], err = parseTemplate(fmt.Sprintf("prompt.turns[%d]", i), t.Content); err != nil {
			return []any{"prompt", "turns", i}, err
		}
	}
	p.images = make([]*template.Template, len(p.Images))
	for i, src := range p.Images {
		if p.images[i], err = parseTemplate(fmt.Sprintf("prompt.images[%d]", i), src); err != nil {
			return []any{"prompt", "images", i}, err
		}
	}
	return nil, nil
}

// compiled returns p with its templates parsed: p itself when it was
// loaded, else (a Prompt written in code) a parsed copy.
func (p *Prompt) compiled() (*Prompt, error) {
	if p.user != nil {
		return p, nil
	}
	cp := *p
	if _, err := cp.parse(); err != nil {
		return nil, err
	}
	return &cp, nil
}

// render renders the prompt over vars; image sources are resolved, relative
// to dir, by image: loadImage when sending, checkImage at load.
func (p *Prompt) render(vars map[string]any, dir string, image func(dir, src string) (Image, error)) (Messages, error) {
	var (
		m   Messages
		err error
	)
	if m.System, err = render(p.system, vars); err != nil {
		return Messages{}, err
	}
	for i, t := range p.turns {
		content, err := render(t, vars)
		if err != nil {
			return Messages{}, err
		}
		m.Turns = append(m.Turns, Turn{Role: p.Turns[i].Role, Content: content})
	}
	if m.User, err = render(p.user, vars); err != nil {
		return Messages{}, err
	}
	for _, t := range p.images {
		src, err := render(t, vars)
		if err != nil {
			return Messages{}, err
		}
		img, err := image(dir, strings.TrimSpace(src))
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
	if c.isLiteral {
		return c.literal
	}
	vars, err := cs.TemplateVars()
	if err != nil {
		return cs.Reference
	}
	s, err := render(c.value, vars)
	if err != nil {
		return cs.Reference
	}
	return s
}
