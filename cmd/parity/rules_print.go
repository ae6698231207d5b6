package main

import (
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/parity-eval/parity/routing"
)

// printRules prints one line per rule, then the held-out proof and the
// projected cost at one volume.
func printRules(w io.Writer, r *routing.Rules) {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "rule\tprimary\tscore\tlow\tcost/case\tfallbacks\tsplit")
	keys := make([]string, 0, len(r.Tags))
	for k := range r.Tags {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		fmt.Fprintln(tw, ruleLine(k, r.Tags[k]))
	}
	tw.Flush()
	if h := r.Holdout; h != nil {
		fmt.Fprintln(w, holdoutLine(h, r.Baseline))
	}
	if p := r.Projections; p != nil && len(p.Rules.ByRequests) > 1 {
		fmt.Fprintln(w, projectionLine(p))
	}
	if n := warningCount(r); n > 0 {
		fmt.Fprintf(w, "%d warnings: see the rules file\n", n)
	}
}

// ruleLine is one rule's row of the table.
func ruleLine(key string, t routing.TagRule) string {
	if t.Primary == nil {
		return key + "\t-\t\t\t\t\t"
	}
	p := t.Primary
	var fb []string
	for _, f := range t.Fallbacks {
		fb = append(fb, f.Provider)
	}
	return fmt.Sprintf("%s\t%s\t%.3f\t%.3f\t%s\t%s\t%s", key, p.Provider, p.MeanScore, p.ScoreLow, usd(p.CostPerCaseUSD),
		orDash(strings.Join(fb, ",")), orDash(splitText(t.Split)))
}

// splitText prints a split as "a 76%, b 19%, c 5%".
func splitText(s *routing.Split) string {
	if s == nil {
		return ""
	}
	var parts []string
	for _, t := range s.Targets {
		parts = append(parts, fmt.Sprintf("%s %.0f%%", t.Provider, 100*t.Weight))
	}
	return strings.Join(parts, ", ")
}

// holdoutLine summarises the held-out proof.
func holdoutLine(h *routing.Holdout, baseline string) string {
	s := fmt.Sprintf("held out: %d cases; rules %.3f at %s/case, best %.3f at %s",
		h.Cases, h.Rules.MeanScore, usd(h.Rules.CostPerCaseUSD), h.Best.MeanScore, usd(h.Best.CostPerCaseUSD))
	s += fmt.Sprintf(" (%s of its quality, %s saved)", pctText(h.QualityKeptVsBestPct), pctText(h.CostSavedVsBestPct))
	if h.Baseline != nil {
		s += fmt.Sprintf("; vs baseline %s: %s kept, %s saved", baseline, pctText(h.QualityKeptVsBaselinePct), pctText(h.CostSavedVsBaselinePct))
	}
	return s + fmt.Sprintf("; PGR %s, APGR %s", numText(h.PGR), numText(h.APGR))
}

// projectionLine is the monthly cost at the second volume.
func projectionLine(p *routing.Projections) string {
	v := p.Rules.ByRequests[1]
	s := fmt.Sprintf("a month at %s requests: rules $%.2f", volume(v.PerMonth), v.USD)
	for _, pp := range p.Providers {
		if len(pp.ByRequests) > 1 && pp.Coverage == 1 {
			s += fmt.Sprintf(", %s $%.2f", pp.Provider, pp.ByRequests[1].USD)
		}
	}
	return s
}

// warningCount counts the rules' warnings.
func warningCount(r *routing.Rules) int {
	n := len(r.Warnings)
	for _, t := range r.Tags {
		n += len(t.Warnings)
	}
	if r.Holdout != nil {
		n += len(r.Holdout.Warnings)
	}
	return n
}

// usd prints a small dollar amount with three significant figures.
func usd(c float64) string {
	if c <= 0 {
		return "$0"
	}
	decimals := max(2, 2-int(math.Floor(math.Log10(c))))
	return "$" + strconv.FormatFloat(c, 'f', decimals, 64)
}

// volume prints a monthly volume: 5M, 50M, 5B.
func volume(n int64) string {
	switch {
	case n >= 1e9 && n%1e9 == 0:
		return fmt.Sprintf("%dB", n/1e9)
	case n >= 1e6 && n%1e6 == 0:
		return fmt.Sprintf("%dM", n/1e6)
	}
	return strconv.FormatInt(n, 10)
}

// pctText prints a percentage, "n/a" when undefined.
func pctText(p *float64) string {
	if p == nil {
		return "n/a"
	}
	return fmt.Sprintf("%.1f%%", *p)
}

// numText prints a ratio with two decimals, "n/a" when undefined.
func numText(p *float64) string {
	if p == nil {
		return "n/a"
	}
	return fmt.Sprintf("%.2f", *p)
}

// orDash returns s, or "-" when it is empty.
func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
