package gate

import (
	"fmt"
	"github.com/parity-eval/parity/stats"
	"math"
	"strconv"
	"strings"
)

// The gate's, diff's and history's number formats. Undefined values print
// as "n/a".

// nanOrInf reports whether x is NaN or infinite.
func nanOrInf(x float64) bool { return math.IsNaN(x) || math.IsInf(x, 0) }

// fmtScore prints a score or a difference of scores with three decimals.
func fmtScore(x float64) string {
	if nanOrInf(x) {
		return "n/a"
	}
	return strconv.FormatFloat(x, 'f', 3, 64)
}

// fmtSigned prints a difference with its sign and three decimals; one
// that rounds to zero prints "0.000", never "-0.000".
func fmtSigned(x float64) string {
	if nanOrInf(x) {
		return "n/a"
	}
	if math.Abs(x) < 0.0005 {
		return "0.000"
	}
	return fmt.Sprintf("%+.3f", x)
}

// fmtInterval prints an interval of differences: "[-0.041, +0.012]".
func fmtInterval(lo, hi float64) string {
	if nanOrInf(lo) || nanOrInf(hi) {
		return "n/a"
	}
	return "[" + fmtSigned(lo) + ", " + fmtSigned(hi) + "]"
}

// fmtRel prints a relative change as a signed percentage: "+8.3%", and
// "+0.42%" below one percent.
func fmtRel(x float64) string {
	switch {
	case nanOrInf(x):
		return "n/a"
	case math.Abs(x) < 0.01:
		return fmt.Sprintf("%+.2f%%", 100*x)
	}
	return fmt.Sprintf("%+.1f%%", 100*x)
}

// fmtRate prints a [0,1] share as a percentage: "61.0%".
func fmtRate(x float64) string {
	if nanOrInf(x) {
		return "n/a"
	}
	return strconv.FormatFloat(100*x, 'f', 1, 64) + "%"
}

// fmtPoints prints a change of a share in percentage points: "+2.4 pts".
func fmtPoints(x float64) string {
	if nanOrInf(x) {
		return "n/a"
	}
	return fmt.Sprintf("%+.1f pts", 100*x)
}

// fmtDollars prints a cost with two significant figures below a dollar.
func fmtDollars(c float64) string {
	switch {
	case nanOrInf(c):
		return "n/a"
	case c == 0:
		return "$0"
	case math.Abs(c) >= 1:
		return "$" + strconv.FormatFloat(c, 'f', 2, 64)
	}
	decimals := max(2, 1-int(math.Floor(math.Log10(math.Abs(c)))))
	return "$" + strconv.FormatFloat(c, 'f', decimals, 64)
}

// fmtMillis prints milliseconds: whole at 10 ms and above, one decimal
// below.
func fmtMillis(ms float64) string {
	switch {
	case nanOrInf(ms):
		return "n/a"
	case ms >= 10:
		return strconv.FormatFloat(ms, 'f', 0, 64) + " ms"
	}
	return strconv.FormatFloat(ms, 'f', 1, 64) + " ms"
}

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
		return fmtSigned(float64(s.Diff)) + tail
	}
	return fmtRel(float64(s.Candidate/s.Baseline)-1) + tail
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
