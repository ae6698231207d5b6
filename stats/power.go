package stats

import (
	"math"

	"gonum.org/v1/gonum/stat/distuv"
)

// MinDetectableEffect returns the smallest true difference a paired
// comparison of n cases detects with the given power at two-sided level
// alpha, when the per-case differences have standard deviation sd (the
// reference formula: MDE = (z_{α/2} + z_β)·sqrt(σ²/n), σ² = ω² + σ_A²/K_A
// + σ_B²/K_B being what the variance of per-case mean differences
// estimates). At alpha 0.05 and power 0.8, z_{α/2} + z_β = 1.96 + 0.84.
func MinDetectableEffect(sd float64, n int, alpha, power float64) float64 {
	if n < 1 {
		return math.NaN()
	}
	return powerZ(alpha, power) * sd / math.Sqrt(float64(n))
}

// CasesNeeded returns how many cases a paired comparison needs to detect
// effect with the given power at two-sided level alpha: n = (z_{α/2} +
// z_β)²·σ²/δ², rounded up (7.84·σ²/δ² at alpha 0.05 and power 0.8). For a
// non-inferiority test δ is the margin: the chance that a candidate as
// good as the baseline passes. 0 when effect is not positive.
func CasesNeeded(sd, effect, alpha, power float64) int {
	if !(effect > 0) || math.IsNaN(sd) {
		return 0
	}
	z := powerZ(alpha, power)
	return int(math.Ceil(z * z * sd * sd / (effect * effect)))
}

// powerZ returns z_{1-α/2} + z_{power}.
func powerZ(alpha, power float64) float64 {
	return distuv.UnitNormal.Quantile(1-alpha/2) + distuv.UnitNormal.Quantile(power)
}

// RuleOfThreeCases returns how many cases, all agreeing, it takes to
// exclude (at 95%) a disagreement rate of margin or more: the rule of
// three, 3/n being the 95% upper bound on a rate never observed in n
// trials (Hanley & Lippman-Hand, JAMA 1983). 0 when margin is not
// positive.
func RuleOfThreeCases(margin float64) int {
	if !(margin > 0) {
		return 0
	}
	return int(math.Ceil(3/margin - 1e-9))
}
