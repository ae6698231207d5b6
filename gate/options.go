package gate

import (
	"errors"
	"fmt"
	"math"

	"github.com/parity-eval/parity/stats"
)

// Limit is a threshold on an operational metric; Off disables it.
type Limit struct {
	Max float64
	Off bool
}

// LimitAt returns a Limit of v.
func LimitAt(v float64) Limit { return Limit{Max: v} }

// Options are the settings of a gate. Start from DefaultOptions.
type Options struct {
	// Baseline and Candidate are provider ids.
	Baseline, Candidate string
	// Margin is how much lower the candidate's mean score may be: a suite
	// passes when the lower bound of the interval on candidate - baseline
	// is above -Margin (default 0.03, on the [0,1] score scale).
	Margin float64
	// MaxCostIncrease bounds the relative rise in cost per case (default
	// 0: it may not rise).
	MaxCostIncrease Limit
	// MaxP95Increase bounds the relative rise in p95 latency of successful
	// requests (default 0.20).
	MaxP95Increase Limit
	// MaxErrorIncrease bounds the absolute rise in the share of failed
	// requests (default 0.01: one percentage point).
	MaxErrorIncrease Limit
	// Power is the power the minimum detectable effect and the cases
	// needed are stated at (default 0.8).
	Power float64
	// MinCases is the fewest paired cases a suite needs to pass at all
	// (default 10).
	MinCases int
	// AllowMissing turns cases missing on either side from a failure into
	// a warning.
	AllowMissing bool
	// Stats sets the intervals: Stats.Alpha is the two-sided level of the
	// interval whose lower bound decides (default 0.05, a 95% interval,
	// one-sided 2.5%), before Holm's adjustment across suites.
	Stats stats.Settings
}

// DefaultOptions returns the defaults: margin 0.03, cost may not
// rise, p95 latency may rise 20%, the error rate one point, alpha 0.05,
// power 0.8, at least 10 paired cases a suite.
func DefaultOptions() Options {
	return Options{
		Margin:           0.03,
		MaxCostIncrease:  LimitAt(0),
		MaxP95Increase:   LimitAt(0.20),
		MaxErrorIncrease: LimitAt(0.01),
		Power:            0.8,
		MinCases:         10,
		Stats:            stats.DefaultSettings(),
	}
}

// ErrSidesUnnamed is Validate's error when Options.Baseline or
// Options.Candidate is empty: a gate compares two named providers.
var ErrSidesUnnamed = errors.New("gate: Baseline and Candidate must name the providers to compare")

// Validate reports the first setting that makes no sense.
func (o Options) Validate() error {
	inUnit := func(x float64) bool { return x > 0 && x < 1 }
	switch {
	case o.Baseline == "" || o.Candidate == "":
		return ErrSidesUnnamed
	case !(o.Margin >= 0 && o.Margin < 1):
		return fmt.Errorf("gate: the margin must be in [0, 1) on the score scale, got %v", o.Margin)
	case !inUnit(o.Stats.Alpha):
		return fmt.Errorf("gate: alpha must be in (0, 1), got %v", o.Stats.Alpha)
	case !inUnit(o.Power):
		return fmt.Errorf("gate: power must be in (0, 1), got %v", o.Power)
	case o.MinCases < 2:
		return fmt.Errorf("gate: at least 2 paired cases are needed for an interval, got a minimum of %d", o.MinCases)
	case o.Stats.Resamples < 0:
		return fmt.Errorf("gate: the number of bootstrap resamples cannot be negative, got %d", o.Stats.Resamples)
	}
	for _, l := range []Limit{o.MaxCostIncrease, o.MaxP95Increase, o.MaxErrorIncrease} {
		if !l.Off && (math.IsNaN(l.Max) || math.IsInf(l.Max, 0)) {
			return fmt.Errorf("gate: a threshold must be a finite number, got %v", l.Max)
		}
	}
	return nil
}

// Side says which provider of a gate a row is offered as.
type Side int

// The two sides of a gate.
const (
	SideBaseline Side = iota
	SideCandidate
)

// String returns "baseline" or "candidate".
func (s Side) String() string {
	if s == SideBaseline {
		return "baseline"
	}
	return "candidate"
}

// ErrProviderAbsent is returned (wrapped) when a side's provider has no
// row in the results: an input error, never a failed gate.
var ErrProviderAbsent = errors.New("provider absent from the results")
