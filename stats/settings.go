package stats

import "math"

// Interval methods, as Comparison.Method and Comparison.RatioMethod name
// them.
const (
	// MethodT is Student's t over the cluster-robust standard error, with
	// C-1 degrees of freedom for C cases.
	MethodT = "t"
	// MethodBootstrap is the expanded percentile interval of a cluster
	// bootstrap: cases resampled with replacement, each with all its rows.
	MethodBootstrap = "bootstrap"
	// MethodWelch is Welch's unequal-variance t for two unpaired samples,
	// with Welch–Satterthwaite degrees of freedom.
	MethodWelch = "welch"
	// MethodDelta is the delta method (a first-order linearisation) for
	// the ratio of two means, with the same clustered variance and t.
	MethodDelta = "delta"
	// MethodNone: fewer than two cases, no interval.
	MethodNone = "none"
)

// Settings holds the settings every comparison uses. The zero value is not
// useful; start from DefaultSettings.
type Settings struct {
	// Alpha is the two-sided level of every interval: 0.05 gives 95%
	// intervals, and a two-sided p below Alpha is significant.
	Alpha float64
	// Resamples is the number of bootstrap resamples (default 2000); 0
	// never bootstraps.
	Resamples int
	// MinBootstrapCases is the fewest cases a bootstrap is used with
	// (default 20): below it a resampled mean takes too few distinct values
	// for its quantiles to mean much, and Student's t is used instead.
	MinBootstrapCases int
	// DiscreteValues is how few distinct row scores make scores "far from
	// normal" (default 5): pass/fail scores, or a weighted mix of a few
	// pass/fail checks. Such scores get the bootstrap, others t.
	DiscreteValues int
	// MinLevel is the smallest one-sided level a decision will read a
	// bootstrap quantile at (0: Alpha/2, the interval's own). The fewer
	// resamples lie beyond a quantile, the noisier it is, so a bootstrap
	// draws Resamples·(Alpha/2)/MinLevel resamples when that is more than
	// Resamples: as many beyond the quantile a decision reads as beyond
	// the interval's (50 at the defaults). Holm's adjusted levels need it.
	MinLevel float64
	// Seed seeds the bootstrap (default 1): the same seed and the same
	// data give the same intervals. Each sample draws from its own stream,
	// derived from Seed and the sample itself, so adding a suite changes
	// no other suite's interval.
	Seed uint64
}

// DefaultSettings returns the default settings: 95% intervals, 2000
// bootstrap resamples from 20 cases up, for scores with at most 5
// distinct values, seed 1.
func DefaultSettings() Settings {
	return Settings{Alpha: 0.05, Resamples: 2000, MinBootstrapCases: 20, DiscreteValues: 5, Seed: 1}
}

// scoreResolution is the precision scores are compared at: differences
// below it are floating-point noise (a cosine of 0.9999999997 against 1
// for the same text), not a change, and would otherwise read as a
// "significant" difference of nothing.
const scoreResolution = 1e-6

// RoundScore rounds a score to scoreResolution.
func RoundScore(x float64) float64 { return math.Round(x/scoreResolution) * scoreResolution }

// bootstraps reports whether a comparison of n cases whose scores are
// discrete (or not) uses the bootstrap.
func (s Settings) bootstraps(n int, discrete bool) bool {
	return discrete && s.Resamples > 0 && n >= s.MinBootstrapCases
}

// resamples returns how many resamples a bootstrap draws (see MinLevel).
func (s Settings) resamples() int {
	if !(s.MinLevel > 0) || s.MinLevel >= s.Alpha/2 {
		return s.Resamples
	}
	return int(math.Ceil(float64(s.Resamples) * s.Alpha / 2 / s.MinLevel))
}

// ScoreLevels counts distinct values up to a cap, in memory bounded by
// the cap: enough to tell pass/fail scores from continuous ones.
type ScoreLevels struct {
	vals []float64
	over bool
}

// Add records x; past limit distinct values it only remembers that there
// were more.
func (d *ScoreLevels) Add(x float64, limit int) {
	if d.over {
		return
	}
	for _, v := range d.vals {
		if v == x {
			return
		}
	}
	if len(d.vals) >= limit {
		d.over = true
		return
	}
	d.vals = append(d.vals, x)
}

// Merge adds o's values.
func (d *ScoreLevels) Merge(o *ScoreLevels, limit int) {
	d.over = d.over || o.over
	for _, v := range o.vals {
		d.Add(v, limit)
	}
}

// Discrete reports whether no more distinct values were seen than the
// limit add was given.
func (d *ScoreLevels) Discrete() bool { return !d.over }
