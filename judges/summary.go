package judges

import "github.com/parity-eval/parity/suites"

// summarise fills the overall score, the verdict and the per-kind columns
// of a scored successful result from its checks. A suite without checks
// scores 1: the request succeeded and nothing was asked of it.
func summarise(sc *Scored) {
	specs := sc.Suite.Checks
	var sum, weights float64
	pass := true
	seen := map[string]bool{}
	for i, c := range sc.Checks {
		w := weight(specs[i])
		sum += w * c.Score
		weights += w
		pass = pass && c.Pass && c.Error == ""
		if !seen[c.Type] {
			seen[c.Type] = true
			column(sc, c)
		}
	}
	sc.Score = 1
	if len(sc.Checks) > 0 {
		sc.Score = 0
		if weights > 0 {
			sc.Score = sum / weights
		}
	}
	sc.Pass = pass && sc.Score >= sc.Suite.PassScore
}

// weight is a check's weight; a negative weight counts as 0.
func weight(c *suites.Check) float64 {
	return max(c.Weight, 0)
}

// column copies the first check of a kind to its column. A check that
// could not run leaves its column nil: it measured nothing.
func column(sc *Scored, c CheckScore) {
	if c.Error != "" {
		return
	}
	// Each value is copied in its branch: declared before the switch, both
	// would be allocated for every check, of any kind.
	switch c.Type {
	case suites.Similarity:
		raw := c.Raw
		sc.Similarity = &raw
	case suites.JSONSchema:
		pass := c.Pass
		sc.JSONValid, sc.JSONNative = &pass, c.Native
	case suites.Judge:
		raw := c.Raw
		sc.JudgeScore = &raw
		sc.JudgeReason = c.Detail
	case suites.ToolUse:
		part := func(k string) *bool { v := c.Parts[k] == 1; return &v }
		sc.ToolRight, sc.ArgsValid, sc.ArgsRight = part("tool"), part("args_valid"), part("args_right")
	}
}
