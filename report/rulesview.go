package report

import (
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"github.com/parity-eval/parity/internal/format"
	"github.com/parity-eval/parity/routing"
	"github.com/parity-eval/parity/stats"
	"github.com/parity-eval/parity/suites"
)

// rulesView is the suggested routing rules, one row per rule.
type rulesView struct {
	Present      bool
	Tolerance    float64
	MaxFallbacks int
	// Headline is what the rules keep and save on held-out cases;
	// HoldoutNote how that was measured.
	Headline    []headTile
	HoldoutNote string
	Rows        []ruleRow
	// Projections are monthly costs of the rules and of each provider
	// alone, at the volumes of ProjectionVolumes.
	Projections       []projectionRow
	ProjectionBasis   string
	ProjectionVolumes []string
	Warnings          []string
	// Extras are the rules' other fields, shown as they come.
	Extras []extraField
}

// projectionRow is the monthly cost of the rules or of one provider.
type projectionRow struct {
	provChip
	Rules                bool
	Coverage, PerRequest string
	Costs                []string
}

// ruleRow is one rule.
type ruleRow struct {
	Tag, Tier, Needs string
	Primary          *choiceView
	Fallbacks        []choiceView
	Best             *routing.Best
	Why              string
	Warnings         []string
	// Split is the rule's weighted spread, a row per target; Excluded the
	// providers left out of it, with why.
	Split    *splitView
	Excluded []exclusionRow
	// Extras are the rule's other fields (quality kept, cost saved...).
	Extras []extraField
}

// choiceView is a provider in a rule, with its chip.
type choiceView struct {
	routing.Choice
	provChip
}

// extraField is a labelled value, or a group of them.
type extraField struct {
	Label, Value string
	Items        []extraField
}

// Fields of Rules and TagRule that the rules table shows itself; any
// other exported field is listed as an extra.
var (
	knownRulesFields = []string{"SchemaVersion", "GeneratedAt", "RunID", "Tolerance", "MaxFallbacks",
		"Confidence", "Baseline", "Providers", "Tags", "Holdout", "Projections", "Warnings"}
	knownTagRuleFields = []string{"Tag", "Tier", "Cases", "Needs", "Primary", "Fallbacks", "Best", "Why", "Warnings",
		"Split", "Excluded"}
)

// rulesViewOf lays the rules out by tag.
func rulesViewOf(rules *routing.Rules, ids []string) rulesView {
	if rules == nil {
		return rulesView{}
	}
	color := map[string]string{}
	for i, id := range ids {
		color[id] = providerColor(i)
	}
	v := rulesView{Present: true, Tolerance: rules.Tolerance, MaxFallbacks: rules.MaxFallbacks,
		Headline: holdoutTiles(rules.Holdout), HoldoutNote: holdoutNote(rules.Holdout), Warnings: rules.Warnings,
		Extras: ruleExtras(reflect.ValueOf(*rules), knownRulesFields, 0)}
	v.projections(rules.Projections, color)
	for _, key := range slices.Sorted(maps.Keys(rules.Tags)) {
		r := rules.Tags[key]
		row := ruleRow{Tag: key, Best: r.Best, Why: r.Why, Warnings: r.Warnings,
			Needs: suites.JoinCapabilities(r.Needs, ", "), Split: splitViewOf(r, color), Excluded: exclusionsOf(r, color),
			Extras: ruleExtras(reflect.ValueOf(r), knownTagRuleFields, 0)}
		if r.Tier != "" && r.Tier != routing.DefaultTier {
			row.Tier = r.Tier
		}
		if r.Primary != nil {
			row.Primary = &choiceView{*r.Primary, provChip{r.Primary.Provider, color[r.Primary.Provider]}}
		}
		for _, f := range r.Fallbacks {
			row.Fallbacks = append(row.Fallbacks, choiceView{f, provChip{f.Provider, color[f.Provider]}})
		}
		v.Rows = append(v.Rows, row)
	}
	return v
}

// maxExtraDepth bounds how deep nested extras are shown.
const maxExtraDepth = 3

// ruleExtras lists a struct's exported fields other than known that hold a
// value, labelled by their YAML names.
func ruleExtras(v reflect.Value, known []string, depth int) []extraField {
	var out []extraField
	t := v.Type()
	for i := range t.NumField() {
		f := t.Field(i)
		if !f.IsExported() || slices.Contains(known, f.Name) {
			continue
		}
		name := ruleFieldLabel(f)
		if e, ok := ruleExtraOf(name, v.Field(i), depth); ok {
			out = append(out, e)
		}
	}
	return out
}

// ruleFieldLabel is a field's YAML name with spaces: "quality kept".
func ruleFieldLabel(f reflect.StructField) string {
	name, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
	if name == "" || name == "-" {
		name = f.Name
	}
	return strings.ReplaceAll(name, "_", " ")
}

// ruleExtraOf formats one value; false when it is empty.
func ruleExtraOf(label string, v reflect.Value, depth int) (extraField, bool) {
	for v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface {
		if v.IsNil() {
			return extraField{}, false
		}
		v = v.Elem()
	}
	if v.IsZero() || depth > maxExtraDepth {
		return extraField{}, false
	}
	e := extraField{Label: label}
	switch v.Kind() {
	case reflect.Struct:
		e.Items = ruleExtras(v, nil, depth+1)
	case reflect.Map:
		keys := v.MapKeys()
		slices.SortFunc(keys, func(a, b reflect.Value) int { return strings.Compare(fmt.Sprint(a), fmt.Sprint(b)) })
		for _, k := range keys {
			if item, ok := ruleExtraOf(fmt.Sprint(k), v.MapIndex(k), depth+1); ok {
				e.Items = append(e.Items, item)
			}
		}
	case reflect.Slice, reflect.Array:
		for j := range v.Len() {
			if item, ok := ruleExtraOf(strconv.Itoa(j+1), v.Index(j), depth+1); ok {
				e.Items = append(e.Items, item)
			}
		}
	default:
		e.Value = formatExtra(label, v)
	}
	return e, e.Value != "" || len(e.Items) > 0
}

// formatExtra prints a scalar by its name: dollars when it names USD or
// a cost, a percentage when it names a rate or share in [0,1].
func formatExtra(label string, v reflect.Value) string {
	l := strings.ToLower(label)
	switch v.Kind() {
	case reflect.Float32, reflect.Float64:
		x := v.Float()
		switch {
		case strings.Contains(l, "usd") || strings.Contains(l, "cost") && !strings.Contains(l, "saved"):
			return format.USD(x)
		case x >= 0 && x <= 1 && labelHas(l, "rate", "share", "kept", "saved", "fraction", "pct", "percent"):
			return format.Pct(x)
		}
		return formatRaw(x)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return formatCount(v.Int())
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return formatCount(int64(v.Uint()))
	case reflect.Bool:
		return map[bool]string{true: "yes", false: "no"}[v.Bool()]
	case reflect.String:
		return v.String()
	}
	return fmt.Sprint(v.Interface())
}

// labelHas reports whether s contains any of subs.
func labelHas(s string, subs ...string) bool {
	return slices.ContainsFunc(subs, func(sub string) bool { return strings.Contains(s, sub) })
}

// holdoutTiles say what the rules keep and save on the held-out cases.
func holdoutTiles(h *routing.Holdout) []headTile {
	if h == nil {
		return nil
	}
	on := "on " + formatCount(int64(h.Cases)) + " held-out cases"
	var iv routing.HoldoutInterval
	if h.Interval != nil {
		iv = *h.Interval
	}
	var out []headTile
	add := func(label string, v *float64, b *routing.Bounds, detail string) {
		if v == nil {
			return
		}
		value := strconv.FormatFloat(*v, 'f', 1, 64) + "%"
		switch {
		case b != nil:
			value += fmt.Sprintf(" (%.1f–%.1f%%)", b.Low, b.High)
		case h.Interval != nil:
			detail += "; no interval"
		}
		out = append(out, headTile{Label: label, Value: value, Detail: detail})
	}
	add("quality kept vs best", h.QualityKeptVsBestPct, iv.QualityKeptVsBestPct, on+": "+format.Score(h.Rules.MeanScore)+" vs "+format.Score(h.Best.MeanScore))
	add("cost saved vs best", h.CostSavedVsBestPct, iv.CostSavedVsBestPct, format.USD(h.Rules.CostPerCaseUSD)+" vs "+format.USD(h.Best.CostPerCaseUSD)+" per case")
	if b := h.Baseline; b != nil {
		add("quality kept vs baseline", h.QualityKeptVsBaselinePct, iv.QualityKeptVsBaselinePct, on+": "+format.Score(h.Rules.MeanScore)+" vs "+format.Score(b.MeanScore))
		add("cost saved vs baseline", h.CostSavedVsBaselinePct, iv.CostSavedVsBaselinePct, format.USD(h.Rules.CostPerCaseUSD)+" vs "+format.USD(b.CostPerCaseUSD)+" per case")
	}
	return out
}

// holdoutNote says how the held-out figures were measured.
func holdoutNote(h *routing.Holdout) string {
	if h == nil {
		return ""
	}
	s := fmt.Sprintf("Measured on %s cases the rules were not chosen on (%s).", formatCount(int64(h.Cases)), h.Method)
	if h.PGR != nil {
		s += " PGR " + formatRaw(*h.PGR)
		if h.APGR != nil {
			s += ", APGR " + formatRaw(*h.APGR)
		}
		s += "."
	}
	if m := h.CostToMatchBest; m != nil {
		s += fmt.Sprintf(" Matching the best's quality costs %s per case (tolerance %g).", format.USD(m.CostPerCaseUSD), m.Tolerance)
	}
	if iv := h.Interval; iv != nil && iv.Method != stats.MethodNone {
		s += fmt.Sprintf(" Ranges are %.0f%% intervals by a cluster bootstrap over the held-out cases (the rules as chosen).", 100*iv.Confidence)
	}
	if sc := h.SplitCost; sc != nil {
		s += " Training size: " + strings.TrimSuffix(sc.Summary, ".") + "."
	}
	return s + " The curve over tolerances is in rules.yaml."
}

// projections lays out the monthly costs by requests a month.
func (v *rulesView) projections(p *routing.Projections, color map[string]string) {
	if p == nil {
		return
	}
	v.ProjectionBasis = p.Basis
	for _, c := range p.Rules.ByRequests {
		v.ProjectionVolumes = append(v.ProjectionVolumes, formatVolume(float64(c.PerMonth)))
	}
	row := func(pr routing.Projection, rules bool) projectionRow {
		r := projectionRow{provChip: provChip{pr.Provider, color[pr.Provider]}, Rules: rules,
			Coverage: format.Pct(pr.Coverage), PerRequest: format.USD(pr.CostPerRequestUSD)}
		for _, c := range pr.ByRequests {
			r.Costs = append(r.Costs, formatMoney(c.USD))
		}
		return r
	}
	v.Projections = append(v.Projections, row(p.Rules, true))
	for _, pr := range p.Providers {
		v.Projections = append(v.Projections, row(pr, false))
	}
}

// formatVolume prints a monthly volume: 5M, 500M, 5B.
func formatVolume(n float64) string {
	for _, u := range []struct {
		div    float64
		suffix string
	}{{1e9, "B"}, {1e6, "M"}, {1e3, "k"}} {
		if n >= u.div {
			return strconv.FormatFloat(n/u.div, 'g', 3, 64) + u.suffix
		}
	}
	return strconv.FormatFloat(n, 'g', 3, 64)
}

// formatMoney prints a large amount in whole dollars with separators
// ("$2,433,220"), a small one as USD does.
func formatMoney(usd float64) string {
	if usd < 1000 {
		return format.USD(usd)
	}
	return "$" + formatCount(int64(usd+0.5))
}
