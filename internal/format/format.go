package format

import (
	"fmt"
	"math"
	"strconv"
)

// USD prints a dollar amount with two significant figures below a
// dollar ("$0.00012", "$0.0025") and cents above ("$12.50").
func USD(c float64) string {
	switch {
	case c == 0 || math.IsNaN(c):
		return "$0"
	case math.Abs(c) >= 1:
		return "$" + strconv.FormatFloat(c, 'f', 2, 64)
	}
	decimals := max(2, 1-int(math.Floor(math.Log10(math.Abs(c)))))
	return "$" + strconv.FormatFloat(c, 'f', decimals, 64)
}

// Score prints a [0,1] score with two decimals.
func Score(s float64) string { return strconv.FormatFloat(s, 'f', 2, 64) }

// Pct prints a [0,1] rate as a percentage with one decimal.
func Pct(r float64) string { return strconv.FormatFloat(100*r, 'f', 1, 64) + "%" }

// MS prints milliseconds: whole above 100 ms, one decimal below.
func MS(ms float64) string {
	if ms >= 100 {
		return strconv.FormatFloat(ms, 'f', 0, 64) + " ms"
	}
	return strconv.FormatFloat(ms, 'f', 1, 64) + " ms"
}

// Ratio prints how many times cheaper: "21x", "2.5x".
func Ratio(r float64) string {
	if r >= 10 {
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
	if x == 0 || math.IsNaN(x) || math.IsInf(x, 0) {
		return x
	}
	decimals := figs - 1 - int(math.Floor(math.Log10(math.Abs(x))))
	return RoundTo(x, decimals)
}
