package results

import (
	"bytes"
	"encoding/json"
	"time"

	"github.com/parity-eval/parity/judges"
	"github.com/parity-eval/parity/runner"

	segjson "github.com/segmentio/encoding/json"
)

// Row is one line of results.parquet: one case, one provider, one repeat,
// with its scores. Column names are snake_case; see the package doc for the
// schema as DuckDB and pyarrow read it.
//
// Tags is a LIST of strings and Metadata a MAP of string to string; both are
// empty, never null, when the suite has none. Similarity, JSONValid and
// JudgeScore are null when the suite has no check of that kind; StartedAt
// is null when the request was never sent.
type Row struct {
	RunID    string   `parquet:"run_id"`
	Suite    string   `parquet:"suite"`
	CaseID   string   `parquet:"case_id"`
	Tags     []string `parquet:"tags,list"`
	Tier     string   `parquet:"tier"`
	Provider string   `parquet:"provider"`
	Model    string   `parquet:"model"`
	Repeat   int32    `parquet:"repeat"`

	Output       string `parquet:"output"`
	FinishReason string `parquet:"finish_reason"`
	// ErrorClass is empty when the request succeeded.
	ErrorClass runner.ErrorClass `parquet:"error_class"`
	Error      string            `parquet:"error"`

	LatencyMS      float64 `parquet:"latency_ms"`
	TTFTMS         float64 `parquet:"ttft_ms"`
	InputTokens    int64   `parquet:"input_tokens"`
	OutputTokens   int64   `parquet:"output_tokens"`
	CostUSD        float64 `parquet:"cost_usd"`
	ScoringCostUSD float64 `parquet:"scoring_cost_usd"`
	Attempts       int32   `parquet:"attempts"`
	// Cached is true when the answer came from the response cache: nothing
	// was sent and nothing was spent for it in this run.
	Cached bool `parquet:"cached"`
	// StartedAt is null when the request was never sent (an unsupported
	// capability, a run interrupted before it).
	StartedAt *time.Time `parquet:"started_at,timestamp(millisecond)"`

	Similarity  *float64 `parquet:"similarity,optional"`
	JSONValid   *bool    `parquet:"json_valid,optional"`
	JudgeScore  *float64 `parquet:"judge_score,optional"`
	JudgeReason string   `parquet:"judge_reason"`

	Score float64 `parquet:"score"`
	Pass  bool    `parquet:"pass"`
	// Checks is a JSON array of judges.CheckScore.
	Checks string `parquet:"checks"`
	// Metadata is the suite's metadata overridden by the case's.
	Metadata map[string]string `parquet:"metadata"`

	// ToolCalls is a JSON array of the tool calls the model made
	// ({"name", "arguments"}), empty when none.
	ToolCalls string `parquet:"tool_calls"`
	// Image is an image suite's answer: the PNG's path, relative to the
	// results file.
	Image string `parquet:"image"`
	// JSONNative is true when the first json_schema check found the whole
	// output was JSON, false when it was dug out of prose; null without
	// such a check.
	JSONNative *bool `parquet:"json_native,optional"`
	// ToolRight, ToolArgsValid and ToolArgsRight are the first tool_call
	// check's parts: the right tool (or none), valid arguments, right
	// values; null without such a check.
	ToolRight     *bool `parquet:"tool_right,optional"`
	ToolArgsValid *bool `parquet:"tool_args_valid,optional"`
	ToolArgsRight *bool `parquet:"tool_args_right,optional"`
	// Truncated is true when a text of the row (the output, the error, the
	// judge's reason, a check's detail, a tool call) was longer than
	// MaxCellBytes and keeps only its first MaxCellBytes.
	Truncated bool `parquet:"truncated"`
	// UsageEstimated is true when the provider's reported usage was not
	// believable (negative, absurd, far above the estimate): the tokens and
	// cost columns then hold the request's estimate.
	UsageEstimated bool `parquet:"usage_estimated"`
}

// NewRow flattens a scored result into a Row, its texts capped (see Cap
// and Truncated). Missing suite, case or provider pointers leave their
// columns empty. A Flattener makes the same Rows with fewer allocations.
func NewRow(s *judges.Scored) Row { return newRow(s, nil) }

// Flattener makes Rows as NewRow does, encoding their JSON cells (checks,
// tool calls) in a buffer it reuses from row to row (and which keeps the
// size of the longest): a Row then allocates only its own texts and
// pointers. Its Rows share nothing with it or with each other. The zero
// value is ready; it is not safe for concurrent use.
type Flattener struct {
	buf bytes.Buffer
	enc *segjson.Encoder
	// checks and calls hold the slice being encoded: the encoder is given
	// a pointer to them, which fits in its interface argument as it is,
	// where a slice would be copied to the heap.
	checks []judges.CheckScore
	calls  []runner.ToolCall
}

// Row flattens a scored result into a Row, as NewRow does.
func (f *Flattener) Row(s *judges.Scored) Row { return newRow(s, f) }

// newRow is NewRow, its JSON encoded by f (by json.Marshal when f is nil).
func newRow(s *judges.Scored, f *Flattener) Row {
	s, truncated := Cap(s)
	r := Row{
		Truncated:      truncated,
		Similarity:     s.Similarity,
		JSONValid:      s.JSONValid,
		JudgeScore:     s.JudgeScore,
		JudgeReason:    s.JudgeReason,
		Score:          s.Score,
		Pass:           s.Pass,
		ScoringCostUSD: s.ScoringCostUSD,
		Checks:         f.checksJSON(s.Checks),
	}
	if s.Result == nil {
		return r
	}
	res := s.Result
	r.RunID = res.RunID
	r.Repeat = int32(res.Repeat)
	r.Output = res.Output
	r.FinishReason = res.FinishReason
	r.ErrorClass = res.ErrorClass
	r.Error = res.Error
	r.LatencyMS = millis(res.Latency)
	r.TTFTMS = millis(res.TTFT)
	r.InputTokens = int64(res.InputTokens)
	r.OutputTokens = int64(res.OutputTokens)
	r.CostUSD = res.CostUSD
	r.UsageEstimated = res.UsageEstimated
	r.Attempts = int32(res.Attempts)
	r.Cached = res.Cached
	r.JSONNative, r.ToolRight, r.ToolArgsValid, r.ToolArgsRight = s.JSONNative, s.ToolRight, s.ArgsValid, s.ArgsRight
	if len(res.ToolCalls) > 0 {
		r.ToolCalls = f.toolCallsJSON(res.ToolCalls)
	}
	if !res.Started.IsZero() {
		t := res.Started.UTC().Truncate(time.Millisecond)
		r.StartedAt = &t
	}
	r.Suite, r.CaseID, r.Tier = SuiteName(s), CaseID(s), ""
	if res.Suite != nil {
		r.Tags, r.Tier = res.Suite.Tags, res.Suite.Tier
	}
	r.Provider, r.Model = ProviderID(s), ProviderModel(s)
	r.Metadata = mergedMetadata(s)
	return r
}

// millis converts a duration to fractional milliseconds.
func millis(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// checksJSON encodes the check verdicts as a JSON array ("[]" when none,
// or when a score is not a number JSON can hold).
func (f *Flattener) checksJSON(cs []judges.CheckScore) string {
	if len(cs) == 0 {
		return "[]"
	}
	if f == nil {
		return marshal(cs, "[]")
	}
	f.checks = cs
	out := f.encode(&f.checks, "[]")
	f.checks = nil
	return out
}

// toolCallsJSON encodes the tool calls as a JSON array ("" when they do
// not encode).
func (f *Flattener) toolCallsJSON(tcs []runner.ToolCall) string {
	if f == nil {
		return marshal(tcs, "")
	}
	f.calls = tcs
	out := f.encode(&f.calls, "")
	f.calls = nil
	return out
}

// marshal returns v's JSON, or failed when it does not encode.
func marshal(v any, failed string) string {
	b, err := json.Marshal(v)
	if err != nil {
		return failed
	}
	return string(b)
}

// encode returns v's JSON as json.Marshal writes it, or failed when it
// does not encode, through f's buffer.
func (f *Flattener) encode(v any, failed string) string {
	if f.enc == nil {
		f.enc = segjson.NewEncoder(&f.buf)
	}
	f.buf.Reset()
	if err := f.enc.Encode(v); err != nil {
		return failed
	}
	b := f.buf.Bytes()
	return string(b[:len(b)-1]) // Encode ends the value with a newline
}

// mergedMetadata returns the suite's metadata overridden by the case's. It
// returns the suite's or the case's own map, unchanged, when only one has
// entries, so most rows allocate nothing.
func mergedMetadata(s *judges.Scored) map[string]string {
	var suiteMD, caseMD map[string]string
	if s.Result.Suite != nil {
		suiteMD = s.Result.Suite.Metadata
	}
	if s.Result.Case != nil {
		caseMD = s.Result.Case.Metadata
	}
	switch {
	case len(caseMD) == 0:
		return suiteMD
	case len(suiteMD) == 0:
		return caseMD
	}
	m := make(map[string]string, len(suiteMD)+len(caseMD))
	for k, v := range suiteMD {
		m[k] = v
	}
	for k, v := range caseMD {
		m[k] = v
	}
	return m
}
