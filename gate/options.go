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

// Mode is what a gate is for; it decides what an inconclusive verdict
// means for the exit code (the verdicts themselves do not depend on it).
type Mode string

// Modes.
const (
	// ModeNightly watches a pinned candidate every night: it alarms on
	// harm shown; an inconclusive suite is a warning.
	ModeNightly Mode = "nightly"
	// ModeMigration decides a replacement: the candidate must show
	// non-inferiority; an inconclusive suite blocks.
	ModeMigration Mode = "migration"
)

// Modes lists the modes, in the order help prints them.
var Modes = []Mode{ModeNightly, ModeMigration}

// Blocks reports whether a gate whose verdict is v stops what it guards
// in mode m: a failure always does, an inconclusive verdict in
// migration mode.
func (m Mode) Blocks(v Verdict) bool {
	return v == Fail || (v == Inconclusive && m != ModeNightly)
}

// Options are the settings of a gate. Start from DefaultOptions.
type Options struct {
	// Mode says what the gate is for (default ModeMigration).
	Mode Mode
	// Baseline and Candidate are provider ids.
	Baseline, Candidate string
	// Margin is how much lower the candidate's mean score may be: a suite
	// passes when the lower bound of the interval on candidate - baseline
	// is above -Margin (default 0.03, on the [0,1] score scale).
	Margin float64
	// MaxCostIncrease is the relative rise in cost per case that fails
	// the gate when shown: when the lower confidence bound of the rise is
	// above it (default 0.10, +10%).
	MaxCostIncrease Limit
	// MaxP95Increase is the relative rise in p95 latency of successful
	// requests measured in this run (cached answers left out) that fails
	// the gate when shown (default 0.20).
	MaxP95Increase Limit
	// MaxErrorIncrease is the absolute rise in the share of failed
	// requests that fails the gate when shown (default 0.01: one
	// percentage point).
	MaxErrorIncrease Limit
	// Power is the power the minimum detectable effect and the cases
	// needed are stated at (default 0.8).
	Power float64
	// MinCases is the fewest paired cases a suite needs for any verdict
	// but inconclusive (default 10), and the fewest fresh latency
	// measurements per side the p95 check judges on.
	MinCases int
	// AllowMissing turns cases missing on either side from a failure into
	// a warning.
	AllowMissing bool
	// Sequential, when set, is the state of a run gated while it sent
	// (NewSequential): its confidence sequences decide the suites' scores
	// instead of the fixed-size tests.
	Sequential *Sequential
	// Stats sets the intervals: Stats.Alpha is the two-sided level of the
	// interval whose lower bound decides (default 0.05, a 95% interval,
	// one-sided 2.5%), before Holm's adjustment across suites.
	Stats stats.Settings
}

// DefaultOptions returns the defaults: migration mode, margin 0.03, a
// shown rise in cost per case of over 10%, in p95 latency of over 20%, in
// the error rate of over one point fails; alpha 0.05, power 0.8, at least
// 10 paired cases a suite. The README justifies each by simulation.
func DefaultOptions() Options {
	return Options{
		Mode:             ModeMigration,
		Margin:           0.03,
		MaxCostIncrease:  LimitAt(0.10),
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
	case o.Mode != ModeNightly && o.Mode != ModeMigration:
		return fmt.Errorf("gate: mode %q: want nightly or migration", o.Mode)
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
