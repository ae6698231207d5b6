package judges

import (
	"context"
	"fmt"
	"regexp"

	"github.com/parity-eval/parity/runner"
	"github.com/parity-eval/parity/suites"
)

// Judge scores one result with one check. A Judge never fails: a check that
// cannot run (no embedder, the judge model answered prose) says so in
// CheckScore.Error, which scores 0 and fails the check.
type Judge interface {
	Score(ctx context.Context, in *Input) CheckScore
}

// Input is what a Judge scores: one successful result, and the baseline's
// result for the same suite, case and repeat when the suite compares with it.
type Input struct {
	// Result is the answer under test. Failed requests are never scored.
	Result *runner.Result
	// Baseline is the baseline provider's result for the same suite, case
	// and repeat; Result itself on the baseline's own rows; nil when the
	// suite does not compare with the baseline or the baseline never
	// answered. It may be a failed result.
	Baseline *runner.Result
	// CostUSD is what the scoring calls for this row have cost so far;
	// judges that call a paid endpoint (embedder, judge model) add to it.
	CostUSD float64
}

// Env holds the endpoints the model-backed judges call. A nil field makes
// the checks that need it record an error instead of scoring.
type Env struct {
	// Embedder computes embeddings for Similarity (usually a cache in front
	// of a runner.Client).
	Embedder Embedder
	// EmbedPrice prices the embedder's input tokens.
	EmbedPrice suites.Price
	// Judge answers Rubric prompts.
	Judge Completer
	// JudgePrice prices the judge model's tokens.
	JudgePrice suites.Price
}

// Compile-time checks: every check type is a Judge.
var (
	_ Judge = Contains{}
	_ Judge = Equals{}
	_ Judge = Regex{}
	_ Judge = JSONSchema{}
	_ Judge = Similarity{}
	_ Judge = Rubric{}
	_ Judge = broken{}
)

// New returns the Judge for spec. A spec that cannot be scored (an unknown
// type, a pattern or schema that does not compile) gives a Judge that
// records why on every row.
func New(spec *suites.Check, env Env) Judge {
	switch spec.Type {
	case suites.Contains:
		return Contains{Spec: spec}
	case suites.Equals:
		return Equals{Spec: spec}
	case suites.Regex:
		return newRegex(spec)
	case suites.JSONSchema:
		return newJSONSchema(spec)
	case suites.Similarity:
		return Similarity{Spec: spec, Embedder: env.Embedder, Price: env.EmbedPrice}
	case suites.Judge:
		return Rubric{Spec: spec, Client: env.Judge, Price: env.JudgePrice}
	case suites.ToolUse:
		return ToolUse{Spec: spec}
	}
	return broken{spec: spec, err: fmt.Sprintf("unknown check type %q", spec.Type)}
}

func newRegex(spec *suites.Check) Judge {
	if spec.Regexp != nil {
		return Regex{Spec: spec, re: spec.Regexp}
	}
	pattern := spec.Pattern
	if spec.IgnoreCase {
		pattern = "(?i)" + pattern
	}
	re, err := regexp.Compile(pattern)
	if err != nil {
		return broken{spec: spec, err: fmt.Sprintf("pattern: %v", err)}
	}
	return Regex{Spec: spec, re: re}
}

func newJSONSchema(spec *suites.Check) Judge {
	if spec.Compiled != nil || len(spec.Schema) == 0 {
		return JSONSchema{Spec: spec, schema: spec.Compiled}
	}
	// No directory: a check built outside a suite may refer to no file.
	schema, err := suites.CompileSchema(spec.Schema, "", "")
	if err != nil {
		return broken{spec: spec, err: fmt.Sprintf("schema: %v", err)}
	}
	return JSONSchema{Spec: spec, schema: schema}
}

// broken is a check that cannot be scored; it records why on every row.
type broken struct {
	spec *suites.Check
	err  string
}

// Score records the reason the check cannot run.
func (b broken) Score(context.Context, *Input) CheckScore {
	return failed(b.spec, b.err)
}

// verdict is a check's score with the spec's name and type.
func verdict(spec *suites.Check, score, raw float64, pass bool, detail string) CheckScore {
	return CheckScore{Name: spec.Name, Type: spec.Type, Score: score, Raw: raw, Pass: pass, Detail: detail}
}

// failed is a check that could not run: it scores 0 and fails.
func failed(spec *suites.Check, err string) CheckScore {
	return CheckScore{Name: spec.Name, Type: spec.Type, Error: err}
}

// binary is a 1-or-0 verdict.
func binary(spec *suites.Check, ok bool, detail string) CheckScore {
	if ok {
		return verdict(spec, 1, 1, true, detail)
	}
	return verdict(spec, 0, 0, false, detail)
}
