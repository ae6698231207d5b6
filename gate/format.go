package gate

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/parity-eval/parity/internal/format"
	"github.com/parity-eval/parity/stats"
)

// The gate's, diff's and history's own formats; every quantity prints
// through internal/format. Undefined values print as "n/a".

// nanOrInf reports whether x is NaN or infinite.
func nanOrInf(x float64) bool { return math.IsNaN(x) || math.IsInf(x, 0) }

// fmtP prints a p-value with three decimals.
func fmtP(p float64) string {
	if nanOrInf(p) {
		return "n/a"
	}
	return strconv.FormatFloat(p, 'f', 3, 64)
}

// fmtDelta prints a change the way benchstat does: the relative change
// with its two-sided p-value and the number of paired cases, or "~" when
// the change is not significant ("-3.2% (p=0.012 n=40)", "~ (p=0.400
// n=40)"). The absolute difference stands in for the relative one when
// the baseline's mean is 0.
func fmtDelta(s Score, n int) string {
	if s.Method == stats.MethodNone || !s.P.Valid() {
		return fmt.Sprintf("n/a (n=%d)", n)
	}
	tail := fmt.Sprintf(" (p=%s n=%d)", fmtP(float64(s.P)), n)
	switch {
	case !s.Significant:
		return "~" + tail
	case s.Baseline == 0:
		return format.Signed(float64(s.Diff)) + tail
	}
	return format.Rel(float64(s.Candidate/s.Baseline)-1) + tail
}

// fmtRatio prints a ratio with its interval: "0.98 [0.95, 1.01]".
func fmtRatio(r, lo, hi float64) string {
	if nanOrInf(r) {
		return "n/a"
	}
	s := strconv.FormatFloat(r, 'f', 2, 64)
	if nanOrInf(lo) || nanOrInf(hi) {
		return s
	}
	return fmt.Sprintf("%s [%.2f, %.2f]", s, lo, hi)
}

// fmtCorr prints a correlation with two decimals.
func fmtCorr(r float64) string {
	if nanOrInf(r) {
		return "n/a"
	}
	return strconv.FormatFloat(r, 'f', 2, 64)
}

// joinIDs lists ids, saying how many more there are than listed.
func joinIDs(ids []string, total int) string {
	s := strings.Join(ids, ", ")
	if more := total - len(ids); more > 0 {
		s += fmt.Sprintf(" and %d more", more)
	}
	return s
}
