package suites

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

type rawSuite struct {
	Name        string            `yaml:"name"`
	Description string            `yaml:"description"`
	Tags        []string          `yaml:"tags"`
	Tier        string            `yaml:"tier"`
	Needs       []Capability      `yaml:"needs"`
	Metadata    map[string]string `yaml:"metadata"`
	Request     rawRequest        `yaml:"request"`
	Prompt      struct {
		System string   `yaml:"system"`
		Turns  []Turn   `yaml:"turns"`
		User   string   `yaml:"user"`
		Images []string `yaml:"images"`
	} `yaml:"prompt"`
	Cases          []rawCase       `yaml:"cases"`
	CasesFile      string          `yaml:"cases_file"`
	PassScore      *float64        `yaml:"pass_score"`
	Checks         []rawCheck      `yaml:"checks"`
	Kind           string          `yaml:"kind"`
	Image          ImageParams     `yaml:"image"`
	Tools          []rawTool       `yaml:"tools"`
	ToolChoice     string          `yaml:"tool_choice"`
	ResponseFormat any             `yaml:"response_format"`
	LongContext    *rawLongContext `yaml:"long_context"`
}

type rawRequest struct {
	Temperature *float64 `yaml:"temperature"`
	TopP        *float64 `yaml:"top_p"`
	MaxTokens   *int     `yaml:"max_tokens"`
	Seed        *int     `yaml:"seed"`
	Stop        []string `yaml:"stop"`
}

type rawCase struct {
	ID         string            `yaml:"id" json:"id"`
	Vars       map[string]any    `yaml:"vars" json:"vars"`
	Reference  string            `yaml:"reference" json:"reference"`
	Metadata   map[string]string `yaml:"metadata" json:"metadata"`
	ExpectTool *ToolCall         `yaml:"expect_tool" json:"expect_tool"`
}

type rawCheck struct {
	Type       string   `yaml:"type"`
	Name       string   `yaml:"name"`
	Weight     *float64 `yaml:"weight"`
	Threshold  *float64 `yaml:"threshold"`
	Value      string   `yaml:"value"`
	IgnoreCase bool     `yaml:"ignore_case"`
	Pattern    string   `yaml:"pattern"`
	Against    string   `yaml:"against"`
	Rubric     string   `yaml:"rubric"`
	Schema     any      `yaml:"schema"`
	SchemaFile string   `yaml:"schema_file"`
}

// Tiers are the capacity tiers a suite may declare.
var Tiers = []string{"default", "high"}

// Load reads the suites named by paths: files, or directories whose *.yaml
// and *.yml files are suites (not recursive). Suite names must be unique.
func Load(paths ...string) ([]*Suite, error) {
	var files []string
	for _, p := range paths {
		fs, err := suiteFiles(p)
		if err != nil {
			return nil, err
		}
		files = append(files, fs...)
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("no suites found in %s: suites are *.yaml files", strings.Join(paths, ", "))
	}
	var out []*Suite
	seen := map[string]string{}
	for _, f := range files {
		s, err := LoadFile(f)
		if err != nil {
			return nil, err
		}
		if prev, ok := seen[s.Name]; ok {
			return nil, fmt.Errorf("%s: suite name %q is already used by %s", f, s.Name, prev)
		}
		seen[s.Name] = f
		out = append(out, s)
	}
	return out, nil
}

func suiteFiles(p string) ([]string, error) {
	info, err := os.Stat(p)
	if err != nil {
		return nil, fmt.Errorf("suites: %w", err)
	}
	if !info.IsDir() {
		return []string{p}, nil
	}
	var files []string
	for _, pat := range []string{"*.yaml", "*.yml"} {
		m, err := filepath.Glob(filepath.Join(p, pat))
		if err != nil {
			return nil, fmt.Errorf("suites %s: %w", p, err)
		}
		files = append(files, m...)
	}
	slices.Sort(files)
	return files, nil
}

// LoadFile reads and validates one suite file, checks every case's prompt
// renders (keeping none of them: Suite.Messages renders a case when it is
// sent) and compiles every check.
func LoadFile(path string) (*Suite, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("suite: %w", err)
	}
	return parseSuite(path, data)
}

func parseSuite(path string, data []byte) (*Suite, error) {
	var raw rawSuite
	f, err := decodeYAML(path, data, &raw)
	if err != nil {
		return nil, err
	}
	l := suiteLoader{f: f, dir: filepath.Dir(path), ids: newCaseIDs()}
	return l.suite(&raw)
}

type suiteLoader struct {
	f   *yamlFile
	dir string
	// ids holds the case ids loaded so far, so the duplicate check stays
	// linear in the number of cases and names both lines; it goes with
	// the loader.
	ids *caseIDs
}

func (l *suiteLoader) suite(raw *rawSuite) (*Suite, error) {
	s := &Suite{
		Name: raw.Name, File: l.f.path, Description: raw.Description,
		Tags: raw.Tags, Tier: raw.Tier, Needs: raw.Needs, Metadata: raw.Metadata,
		Request: Request(raw.Request),
		Prompt: Prompt{System: raw.Prompt.System, Turns: raw.Prompt.Turns, User: raw.Prompt.User,
			Images: raw.Prompt.Images},
		Kind: raw.Kind, Image: raw.Image, ToolChoice: raw.ToolChoice,
	}
	if err := l.longContext(s, raw); err != nil {
		return nil, err
	}
	if err := l.header(s, raw); err != nil {
		return nil, err
	}
	if err := l.capabilities(s, raw); err != nil {
		return nil, err
	}
	if err := l.templates(s); err != nil {
		return nil, err
	}
	for i := range raw.Checks {
		c, err := l.check(s, i, &raw.Checks[i])
		if err != nil {
			return nil, err
		}
		s.Checks = append(s.Checks, c)
	}
	nameChecks(s.Checks)
	if err := l.weights(s); err != nil {
		return nil, err
	}
	return s, l.cases(s, raw)
}

func (l *suiteLoader) header(s *Suite, raw *rawSuite) error {
	if s.Name == "" {
		return l.f.errorf(nil, "the suite has no name: add `name:` (it identifies the suite in results)")
	}
	if !idPattern.MatchString(s.Name) {
		return l.f.errorf([]any{"name"}, "suite name %q: use letters, digits, '.', '_' and '-'", s.Name)
	}
	if len(s.Tags) == 0 {
		return l.f.errorf(nil, "suite %s has no tags: add `tags: [task-type]` (routing rules are chosen per tag)", s.Name)
	}
	if s.Tier == "" {
		s.Tier = "default"
	}
	if !slices.Contains(Tiers, s.Tier) {
		return l.f.errorf([]any{"tier"}, "unknown tier %q (want %s)", s.Tier, strings.Join(Tiers, " or "))
	}
	for i, n := range s.Needs {
		if !slices.Contains(Capabilities, n) {
			return l.f.errorf([]any{"needs", i}, "unknown capability %q (want one of %s)", n, JoinCapabilities(Capabilities, ", "))
		}
	}
	if raw.PassScore != nil {
		if *raw.PassScore < 0 || *raw.PassScore > 1 {
			return l.f.errorf([]any{"pass_score"}, "pass_score is an overall score in [0,1], got %v", *raw.PassScore)
		}
		s.PassScore = *raw.PassScore
	}
	if strings.TrimSpace(s.Prompt.User) == "" {
		return l.f.errorf([]any{"prompt"}, "the suite has no prompt.user template")
	}
	if r := s.Request; r.Temperature != nil && (*r.Temperature < 0 || *r.Temperature > 2) {
		return l.f.errorf([]any{"request", "temperature"}, "temperature must be in [0,2], got %v", *r.Temperature)
	}
	if r := s.Request; r.MaxTokens != nil && *r.MaxTokens <= 0 {
		return l.f.errorf([]any{"request", "max_tokens"}, "max_tokens must be positive")
	}
	return nil
}
