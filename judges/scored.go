package judges

import "github.com/parity-eval/parity/runner"

// CheckScore is one check's verdict on one result.
type CheckScore struct {
	// Name and Type of the check (see suites.Check).
	Name string `json:"name"`
	Type string `json:"type"`
	// Score is in [0,1]. A judge's 1-10 is mapped to (s-1)/9; a cosine is
	// clamped to [0,1].
	Score float64 `json:"score"`
	// Raw is the check's own measure: the cosine, the judge's 1-10, 1 or 0.
	Raw float64 `json:"raw"`
	// Pass is whether Raw met the check's threshold.
	Pass bool `json:"pass"`
	// Detail explains the score: validation errors, the judge's reason.
	Detail string `json:"detail,omitempty"`
	// Error is set when the check itself could not run (the embedder or
	// the judge failed). Such a check scores 0 and fails.
	Error string `json:"error,omitempty"`
	// Native is a json_schema check's finding: true when the whole output
	// was JSON, false when it had to be dug out of prose or fences.
	Native *bool `json:"native,omitempty"`
	// Parts are a tool_call check's sub-scores: tool (the right tool, or
	// none, was called), args_valid (the arguments parse and fit the
	// tool's schema), args_right (the expected fields have their values).
	Parts map[string]float64 `json:"parts,omitempty"`
}

// Scored is a runner result with every check's verdict.
type Scored struct {
	*runner.Result
	Checks []CheckScore
	// Similarity, JSONValid and JudgeScore repeat the first check of their
	// kind for easy querying; nil when the suite has no such check.
	Similarity  *float64
	JSONValid   *bool
	JudgeScore  *float64
	JudgeReason string
	// JSONNative is the first json_schema check's Native; ToolRight,
	// ArgsValid and ArgsRight the first tool_call check's parts.
	JSONNative *bool
	ToolRight  *bool
	ArgsValid  *bool
	ArgsRight  *bool
	// Score is the weighted mean of the check scores, in [0,1]; 0 for a
	// failed request.
	Score float64
	// Pass is true when the request succeeded, every check passed and
	// Score reached the suite's pass_score.
	Pass bool
	// ScoringCostUSD is what the embedder and the judge cost for this row.
	ScoringCostUSD float64
}
