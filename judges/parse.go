package judges

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
)

// errNoScore is a judge answer with no score in it.
var errNoScore = errors.New("no score found")

// scoreKeys and reasonKeys are the JSON keys read as the judge's score and
// reason, case-insensitively, in order of preference.
var (
	scoreKeys  = []string{"score", "rating", "grade"}
	reasonKeys = []string{"reason", "reasoning", "explanation", "rationale", "justification"}
)

// Score patterns for answers without JSON: "Score: 8", "score = 7/10",
// "8/10", "8 out of 10".
var (
	proseScore = regexp.MustCompile(`(?i)\b(?:score|rating|grade)\b["'*\s]*(?:is|of|:|=)?["'*\s]*(-?\d+(?:\.\d+)?)(?:\s*(?:/|out of)\s*(\d+))?`)
	proseRatio = regexp.MustCompile(`(?i)(-?\d+(?:\.\d+)?)\s*(?:/|out of)\s*(\d+)`)
	numberText = regexp.MustCompile(`^\s*(-?\d+(?:\.\d+)?)\s*(?:(?:/|out of)\s*(\d+))?\s*$`)
)

// parseJudge reads a judge model's answer leniently: raw JSON, fenced JSON
// or JSON in prose, a score as a number, "8" or "8/10", or a bare "Score:
// 8" in prose. The score is clamped to 1..10; a score out of another scale
// ("4/5") is rescaled to 10. It returns an error when no finite score is
// found.
func parseJudge(text string) (score float64, reason string, err error) {
	found := false
	eachJSON(text, func(doc []byte) bool {
		score, reason, found = judgeJSON(doc)
		return !found
	})
	if !found {
		score, found = proseScoreOf(text)
		reason = clip(strings.TrimSpace(text), 500)
	}
	if !found {
		return 0, "", errNoScore
	}
	if math.IsNaN(score) || math.IsInf(score, 0) {
		return 0, "", fmt.Errorf("score is not a number")
	}
	return clamp(score, 1, 10), reason, nil
}

// judgeJSON reads the score and reason of a JSON object.
func judgeJSON(doc []byte) (score float64, reason string, ok bool) {
	var obj map[string]json.RawMessage
	if json.Unmarshal(doc, &obj) != nil {
		return 0, "", false
	}
	raw, ok := lookup(obj, scoreKeys)
	if !ok {
		return 0, "", false
	}
	if score, ok = scoreValue(raw); !ok {
		return 0, "", false
	}
	if r, has := lookup(obj, reasonKeys); has {
		_ = json.Unmarshal(r, &reason)
	}
	return score, reason, true
}

// lookup returns the value of the first of keys present in obj, matching
// keys case-insensitively.
func lookup(obj map[string]json.RawMessage, keys []string) (json.RawMessage, bool) {
	for _, want := range keys {
		for k, v := range obj {
			if strings.EqualFold(k, want) {
				return v, true
			}
		}
	}
	return nil, false
}

// scoreValue reads a JSON score: a number, or a string such as "8" or
// "8/10".
func scoreValue(raw json.RawMessage) (float64, bool) {
	var n float64
	if json.Unmarshal(raw, &n) == nil {
		return n, true
	}
	var s string
	if json.Unmarshal(raw, &s) != nil {
		return 0, false
	}
	m := numberText.FindStringSubmatch(s)
	if m == nil {
		return 0, false
	}
	return ratio(m[1], m[2])
}

// proseScoreOf finds a score in text without JSON.
func proseScoreOf(text string) (float64, bool) {
	if m := proseScore.FindStringSubmatch(text); m != nil {
		return ratio(m[1], m[2])
	}
	if m := proseRatio.FindStringSubmatch(text); m != nil {
		return ratio(m[1], m[2])
	}
	return 0, false
}

// ratio parses a score and its optional scale, rescaled to 10.
func ratio(num, scale string) (float64, bool) {
	n, err := strconv.ParseFloat(num, 64)
	if err != nil {
		return 0, false
	}
	if scale == "" {
		return n, true
	}
	d, err := strconv.ParseFloat(scale, 64)
	if err != nil || d <= 0 {
		return n, true
	}
	return n / d * 10, true
}
