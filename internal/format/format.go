// Package format prints the quantities parity reports, one way each, so
// that a cost, a latency, a share or a score reads the same in the
// terminal, the gate's text, Markdown and JUnit, rules.yaml's notes and
// report.html. Every function prints "n/a" for NaN or an infinity.
//
//	USD(0.000123)     "$0.00012"  two significant figures below a dollar
//	USD(1234.5)       "$1234.50"  cents from a dollar
//	MS(812.4)         "812 ms"    whole from 100 ms, one decimal below
//	Pct(0.6104)       "61.0%"     a [0,1] share, one decimal
//	Rel(0.083)        "+8.3%"     a relative change, two decimals below 1%
//	Points(0.024)     "+2.4 pts"  a change of a share
//	Score(0.9125)     "0.913"     a [0,1] score, three decimals
//	Signed(-0.0412)   "-0.041"    a difference of scores, never "-0.000"
//	Interval(lo, hi)  "[-0.041, +0.012]"
//	Ratio(21.4)       "21x"       how many times cheaper
package format

import (
	"fmt"
	"math"
	"strconv"
)

// NA is what every function prints for an undefined value.
const NA = "n/a"

// undefined reports whether x is NaN or infinite.
func undefined(x float64) bool { return math.IsNaN(x) || math.IsInf(x, 0) }

// USD prints a dollar amount: two significant figures below a dollar
// ("$0.00012", "$0.0025", at least two decimals), cents from a dollar
// ("$12.50"), "$0" for zero.
func USD(c float64) string {
	switch {
	case undefined(c):
		return NA
	case c == 0:
		return "$0"
	case math.Abs(c) >= 1:
		return "$" + strconv.FormatFloat(c, 'f', 2, 64)
	}
	decimals := max(2, 1-int(math.Floor(math.Log10(math.Abs(c)))))
	return "$" + strconv.FormatFloat(c, 'f', decimals, 64)
}

// MS prints milliseconds: whole from 100 ms, one decimal below (three
// significant figures from 10 ms, as the latency histograms keep).
func MS(ms float64) string {
	switch {
	case undefined(ms):
		return NA
	case ms >= 100:
		return strconv.FormatFloat(ms, 'f', 0, 64) + " ms"
	}
	return strconv.FormatFloat(ms, 'f', 1, 64) + " ms"
}

// Pct prints a [0,1] share as a percentage with one decimal: "61.0%".
func Pct(r float64) string {
	if undefined(r) {
		return NA
	}
	return strconv.FormatFloat(100*r, 'f', 1, 64) + "%"
}

// Rel prints a relative change as a signed percentage: "+8.3%", and
// "+0.42%" below one percent.
func Rel(x float64) string {
	switch {
	case undefined(x):
		return NA
	case math.Abs(x) < 0.01:
		return fmt.Sprintf("%+.2f%%", 100*x)
	}
	return fmt.Sprintf("%+.1f%%", 100*x)
}

// Points prints a change of a share in percentage points: "+2.4 pts".
func Points(x float64) string {
	if undefined(x) {
		return NA
	}
	return fmt.Sprintf("%+.1f pts", 100*x)
}

// Score prints a score (or a mean of scores) with three decimals.
func Score(s float64) string {
	if undefined(s) {
		return NA
	}
	return strconv.FormatFloat(s, 'f', 3, 64)
}

// Signed prints a difference of scores with its sign and three decimals;
// one that rounds to zero prints "0.000", never "-0.000".
func Signed(x float64) string {
	switch {
	case undefined(x):
		return NA
	case math.Abs(x) < 0.0005:
		return "0.000"
	}
	return fmt.Sprintf("%+.3f", x)
}

// Interval prints an interval of differences: "[-0.041, +0.012]".
func Interval(lo, hi float64) string {
	if undefined(lo) || undefined(hi) {
		return NA
	}
	return "[" + Signed(lo) + ", " + Signed(hi) + "]"
}

// Ratio prints how many times cheaper or faster: "21x", "2.5x".
func Ratio(r float64) string {
	switch {
	case undefined(r):
		return NA
	case r >= 10:
		return fmt.Sprintf("%.0fx", r)
	}
	return fmt.Sprintf("%.1fx", r)
}

// RoundTo rounds x to the given number of decimals.
func RoundTo(x float64, decimals int) float64 {
	p := math.Pow(10, float64(decimals))
	return math.Round(x*p) / p
}

// RoundSig rounds x to the given number of significant figures.
func RoundSig(x float64, figs int) float64 {
	if x == 0 || undefined(x) {
		return x
	}
	decimals := figs - 1 - int(math.Floor(math.Log10(math.Abs(x))))
	return RoundTo(x, decimals)
}
