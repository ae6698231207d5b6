package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"strings"
	"text/tabwriter"

	"github.com/parity-eval/parity/gate"
	"github.com/parity-eval/parity/stats"
	"github.com/parity-eval/parity/suites"
)

// planFlags are validate's flags that plan a gate before any request:
// how many cases each suite needs for the gate to show a candidate as
// good as its baseline non-inferior, from a pilot run's spread or an
// assumed one.
type planFlags struct {
	plan      bool
	pilot     string
	assumeSD  float64
	candidate string
	margin    float64
	power     float64
	alpha     float64
	set       map[string]bool // the flags given, after parsing
}

// register adds the plan's flags to fs, with the gate's defaults.
func (p *planFlags) register(fs *flag.FlagSet) {
	d := gate.DefaultOptions()
	fs.BoolVar(&p.plan, "plan", false, "print how many cases each suite needs for the gate (implied by --pilot and --assume-sd)")
	fs.StringVar(&p.pilot, "pilot", "", "plan from the spread of an earlier run holding the baseline and the candidate: its results.parquet or its run directory (`FILE_OR_RUN_DIR`)")
	fs.Float64Var(&p.assumeSD, "assume-sd", 0, "plan with this `SD` of per-case score differences (candidate - baseline) for every suite, or for those the pilot lacks")
	fs.StringVar(&p.candidate, "candidate", "", "the gate's candidate provider `ID` in the pilot (default: the provider not the baseline, when the config has two)")
	fs.Float64Var(&p.margin, "margin", d.Margin, "the gate's non-inferiority margin the plan is for (0-1 score scale)")
	fs.Float64Var(&p.power, "power", d.Power, "the planned chance that a candidate as good as the baseline passes every suite")
	fs.Float64Var(&p.alpha, "alpha", d.Stats.Alpha, "the gate's two-sided level; Holm runs over the suites at one-sided alpha/2")
}

// wanted reports whether the plan is to be printed.
func (p *planFlags) wanted() bool { return p.plan || p.set["pilot"] || p.set["assume-sd"] }

// checkFlags validates the flags on their own, before the config loads.
func (p *planFlags) checkFlags(fs *flag.FlagSet) error {
	p.set = map[string]bool{}
	fs.Visit(func(f *flag.Flag) { p.set[f.Name] = true })
	inUnit := func(x float64) bool { return x > 0 && x < 1 }
	switch {
	case p.set["assume-sd"] && !(p.assumeSD > 0 && p.assumeSD <= 1):
		return usageError(fmt.Errorf("--assume-sd %v: the sd of per-case score differences must be above 0 and at most 1 (scores are on [0, 1])", p.assumeSD))
	case !inUnit(p.margin):
		return usageError(fmt.Errorf("--margin %v: must be in (0, 1) on the score scale", p.margin))
	case !inUnit(p.power):
		return usageError(fmt.Errorf("--power %v: must be in (0, 1)", p.power))
	case !inUnit(p.alpha):
		return usageError(fmt.Errorf("--alpha %v: must be in (0, 1)", p.alpha))
	case p.set["pilot"] && p.pilot == "":
		return usageError(errors.New("--pilot: name a results.parquet or a run directory"))
	case p.plan && !p.set["pilot"] && !p.set["assume-sd"]:
		return usageError(errors.New("--plan needs a spread: --pilot FILE_OR_RUN_DIR (an earlier run) or --assume-sd SD"))
	}
	if !p.wanted() {
		for _, name := range []string{"candidate", "margin", "power", "alpha"} {
			if p.set[name] {
				return usageError(fmt.Errorf("--%s sets the plan: give --pilot FILE_OR_RUN_DIR or --assume-sd SD with it", name))
			}
		}
	}
	return nil
}

// sides returns the baseline and candidate of the gate planned: the
// config's baseline, and --candidate or else the config's other provider
// when it has two. Both must be providers of the (selected) config; a
// pilot needs them, a plan from --assume-sd alone names them if it can.
func (p *planFlags) sides(cfg *suites.Config) (baseline, candidate string, err error) {
	needed := p.set["pilot"]
	baseline, candidate = cfg.Baseline, p.candidate
	switch {
	case baseline == "" && (needed || candidate != ""):
		return "", "", usageError(fmt.Errorf("--pilot and --candidate: the config %s names no baseline (add `baseline: ID`)", cfg.Path))
	case baseline != "" && cfg.Provider(baseline) == nil && (needed || candidate != ""):
		return "", "", usageError(fmt.Errorf("--providers: the baseline %q is not among them (have %s)", baseline, providerIDs(cfg)))
	case candidate == "" && len(cfg.Providers) == 2 && baseline != "" && cfg.Provider(baseline) != nil:
		for _, pr := range cfg.Providers {
			if pr.ID != baseline {
				candidate = pr.ID
			}
		}
	case candidate == "" && needed:
		return "", "", usageError(fmt.Errorf("--pilot needs --candidate ID: the config has %s (%s), baseline %s", plural(len(cfg.Providers), "provider"), providerIDs(cfg), baseline))
	case candidate != "" && cfg.Provider(candidate) == nil:
		return "", "", usageError(fmt.Errorf("--candidate %q: not a provider of the config %s (have %s)", candidate, cfg.Path, providerIDs(cfg)))
	case candidate != "" && candidate == baseline:
		return "", "", usageError(fmt.Errorf("--candidate %q is the config's baseline: name the provider to gate against it", candidate))
	}
	return baseline, candidate, nil
}

// providerIDs lists the config's provider ids, comma-separated.
func providerIDs(cfg *suites.Config) string {
	ids := make([]string, len(cfg.Providers))
	for i, pr := range cfg.Providers {
		ids[i] = pr.ID
	}
	return strings.Join(ids, ", ")
}

// pilot is what a plan takes from an earlier run: each suite's spread,
// as the gate of the same baseline and candidate states it, and how many
// times the run sent each case.
type pilot struct {
	path    string
	power   map[string]gate.Power // by suite
	repeats int                   // the most paired rows a case has: the repeats the sd is over
}

// readPilot gates candidate against baseline over the run at path
// (gate.Read) and keeps each suite's power and the repeats its paired
// cases have.
func readPilot(o gate.Options, path string) (*pilot, error) {
	res, err := gate.Read(o, path)
	if err != nil {
		return nil, err
	}
	pl := &pilot{path: path, power: map[string]gate.Power{}}
	for _, s := range res.Suites {
		pl.power[s.Suite] = s.Power
		if s.PairedCases > 0 {
			pl.repeats = max(pl.repeats, (s.PairedRows+s.PairedCases-1)/s.PairedCases)
		}
	}
	return pl, nil
}

// planRow is one suite's line of the plan.
type planRow struct {
	suite  string
	n      int     // the suite's cases: the pairs the gate would see
	sd     float64 // NaN when there is none
	from   string  // "pilot", "assumed" or "" (no sd)
	mde    float64
	needed int
	// ruleOfThree: the pilot's cases all agree (sd 0), so the cases needed
	// are those that exclude a disagreement rate of margin.
	ruleOfThree bool
}

// enough reports whether the suite's cases meet its need and the gate's
// minimum.
func (r planRow) enough(minCases int) bool { return r.from != "" && r.n >= r.needed && r.n >= minCases }

// planSuite plans one suite of n cases at noncentrality c: from the
// pilot's spread when it has one, else from the assumed sd (0: none).
func planSuite(name string, n int, pl *pilot, assumed, margin, c float64) planRow {
	row := planRow{suite: name, n: n, sd: math.NaN(), mde: math.NaN()}
	if pl != nil {
		pw, ok := pl.power[name]
		switch {
		case ok && pw.Basis == gate.PowerBasisRuleOfThree:
			row.sd, row.from, row.ruleOfThree = 0, "pilot", true
			row.mde, row.needed = 3/float64(n), stats.RuleOfThreeCases(margin)
			return row
		case ok && !math.IsNaN(float64(pw.SD)):
			row.sd, row.from = float64(pw.SD), "pilot"
		}
	}
	if row.from == "" && assumed > 0 {
		row.sd, row.from = assumed, "assumed"
	}
	if row.from != "" {
		row.mde, row.needed = stats.PlanMDE(row.sd, n, c), stats.PlanCases(row.sd, margin, c)
	}
	return row
}

// planned is a plan made: the gate's sides, the pilot if any, the
// common noncentrality and a row per suite.
type planned struct {
	baseline, candidate string
	pilot               *pilot
	c                   float64
	suites              int
	rows                []planRow
}

// makePlan plans the gate over ss, reading the pilot if one is given:
// every error is a usage error, found before anything is printed.
func (p *planFlags) makePlan(cfg *suites.Config, ss []*suites.Suite) (*planned, error) {
	baseline, candidate, err := p.sides(cfg)
	if err != nil {
		return nil, err
	}
	pn := &planned{baseline: baseline, candidate: candidate, suites: len(ss)}
	if p.set["pilot"] {
		o := gate.DefaultOptions()
		o.Baseline, o.Candidate, o.Margin, o.Power, o.Stats.Alpha = baseline, candidate, p.margin, p.power, p.alpha
		if pn.pilot, err = readPilot(o, p.pilot); err != nil {
			return nil, usageError(fmt.Errorf("--pilot %s: %w", p.pilot, err))
		}
	}
	pn.c = stats.HolmNoncentrality(len(ss), p.alpha/2, p.power)
	pn.rows = make([]planRow, len(ss))
	for i, s := range ss {
		pn.rows[i] = planSuite(s.Name, s.Cases.Len(), pn.pilot, p.assumeSD, p.margin, pn.c)
	}
	return pn, nil
}

// printPlan prints a plan made: what it is for, a row per suite, then
// what the rows rest on.
func (p *planFlags) printPlan(w io.Writer, pn *planned, repeat int) {
	fmt.Fprintln(w)
	p.printHeader(w, pn.baseline, pn.candidate, pn.pilot)
	printPlanTable(w, pn.rows)
	p.printNotes(w, pn.rows, pn.pilot, repeat)
	fmt.Fprintf(w, "n = c²·sd²/margin², c = %.4f for %s under Holm at one-sided %g, power %g for all suites together\n",
		pn.c, plural(pn.suites, "suite"), p.alpha/2, p.power)
}

// printHeader says what gate the plan is for and where its spread comes
// from.
func (p *planFlags) printHeader(w io.Writer, baseline, candidate string, pl *pilot) {
	sides := ""
	if candidate != "" {
		sides = fmt.Sprintf(" of %s against %s", candidate, baseline)
	}
	fmt.Fprintf(w, "plan: the gate%s at margin %g, alpha %g, power %g; ", sides, p.margin, p.alpha, p.power)
	switch {
	case pl != nil:
		fmt.Fprintf(w, "sd from the pilot %s (%s a case)\n", pl.path, plural(pl.repeats, "repeat"))
	default:
		fmt.Fprintf(w, "sd assumed %g for every suite (--assume-sd)\n", p.assumeSD)
	}
}

// printPlanTable prints a row per suite.
func printPlanTable(w io.Writer, rows []planRow) {
	minCases := gate.DefaultOptions().MinCases
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "suite\tn\tsd\tsd from\tmde\tneeded\tenough")
	for _, r := range rows {
		if r.from == "" {
			fmt.Fprintf(tw, "%s\t%d\tn/a\t-\tn/a\tn/a\tn/a\n", r.suite, r.n)
			continue
		}
		sd, needed, enough := fmt.Sprintf("%.4f", r.sd), fmt.Sprint(r.needed), "no"
		if r.ruleOfThree {
			sd = "0"
		}
		if r.needed == 0 { // past 2^53: no count of cases would do
			needed = "∞"
		}
		switch {
		case r.enough(minCases):
			enough = "yes"
		case r.n >= r.needed && r.needed > 0:
			enough = "no*"
		}
		fmt.Fprintf(tw, "%s\t%d\t%s\t%s\t%.4f\t%s\t%s\n", r.suite, r.n, sd, r.from, r.mde, needed, enough)
	}
	tw.Flush()
}

// printNotes explains the rows that are not the formula's: the rule of
// three, the suites the pilot lacks, those under the gate's minimum, and
// a pilot sent at another repeat count.
func (p *planFlags) printNotes(w io.Writer, rows []planRow, pl *pilot, repeat int) {
	var three, assumed, none, few []string
	minCases := gate.DefaultOptions().MinCases
	for _, r := range rows {
		switch {
		case r.ruleOfThree:
			three = append(three, r.suite)
		case r.from == "assumed" && pl != nil:
			assumed = append(assumed, r.suite)
		case r.from == "":
			none = append(none, r.suite)
		}
		if r.from != "" && r.n < minCases && r.n >= r.needed && r.needed > 0 {
			few = append(few, r.suite)
		}
	}
	if len(three) > 0 {
		fmt.Fprintf(w, "rule of three for %s: the pilot's cases all agree (sd 0), so needed = ceil(3/margin) = %d and mde = 3/n\n",
			strings.Join(three, ", "), stats.RuleOfThreeCases(p.margin))
	}
	if len(assumed) > 0 {
		fmt.Fprintf(w, "assumed for %s: the pilot has fewer than 2 paired cases of them; --assume-sd %g stands in\n", strings.Join(assumed, ", "), p.assumeSD)
	}
	if len(none) > 0 {
		fmt.Fprintf(w, "n/a for %s: the pilot has fewer than 2 paired cases of them; --assume-sd SD would plan them\n", strings.Join(none, ", "))
	}
	if len(few) > 0 {
		fmt.Fprintf(w, "no* for %s: fewer than the gate's minimum of %d paired cases, inconclusive whatever the spread\n", strings.Join(few, ", "), minCases)
	}
	if pl != nil && pl.repeats != repeat {
		fmt.Fprintf(w, "note: the pilot's sd is of each case's mean over %s, and this plan is for --repeat %d: more repeats lower it only as far as a case's scores vary between repeats\n",
			plural(pl.repeats, "repeat"), repeat)
	}
}
