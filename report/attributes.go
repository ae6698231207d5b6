package report

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/parity-eval/parity/judges"
	"github.com/parity-eval/parity/results"
)

// Bounds of the cost-by-attribute breakdown: memory grows with the
// distinct keys and values up to these caps, never with the rows.
const (
	// MaxAttributeKeys is how many metadata keys are broken down; rows'
	// further keys are counted in AttributeOverflow.
	MaxAttributeKeys = 32
	// MaxAttributeValues is how many values of a key get a line of their
	// own; the rest are pooled under OtherValue.
	MaxAttributeValues = 50
	// OtherValue pools the values of a key past MaxAttributeValues.
	OtherValue = "(other)"
)

// AttributeStats is what one value of one metadata key (a step, a
// feature, a customer) costs and scores with one provider: the answer to
// "what does the research step cost per business?".
type AttributeStats struct {
	Key         string  `json:"key"`
	Value       string  `json:"value"`
	Provider    string  `json:"provider"`
	Calls       int64   `json:"calls"`
	Errors      int64   `json:"errors"`
	CostUSD     float64 `json:"cost_usd"`
	CostPerCall float64 `json:"cost_per_call_usd"`
	PassRate    float64 `json:"pass_rate"`
	MeanScore   float64 `json:"mean_score"`
}

// attributeTally sums one key × value × provider's rows.
type attributeTally struct {
	calls, errors, pass int64
	cost, score         float64
}

// attributeKey is one metadata key's values.
type attributeKey struct {
	values map[string]map[string]*attributeTally // value -> provider -> tally
}

// attributes breaks a run's rows down by metadata.
type attributes struct {
	keys     map[string]*attributeKey
	overflow map[string]int64 // rows of keys past MaxAttributeKeys, by key (capped too)
}

func newAttributes() *attributes {
	return &attributes{keys: map[string]*attributeKey{}, overflow: map[string]int64{}}
}

// add records the row under each of its metadata entries.
func (a *attributes) add(s *judges.Scored) {
	provider := results.ProviderID(s)
	results.EachMetadata(s, func(key, value string) {
		k := a.keys[key]
		if k == nil {
			if len(a.keys) >= MaxAttributeKeys {
				if _, ok := a.overflow[key]; ok || len(a.overflow) < MaxAttributeKeys {
					a.overflow[key]++
				}
				return
			}
			k = &attributeKey{values: map[string]map[string]*attributeTally{}}
			a.keys[strings.Clone(key)] = k
		}
		byProvider := k.values[value]
		if byProvider == nil {
			if len(k.values) >= MaxAttributeValues {
				value = OtherValue
				byProvider = k.values[value]
			}
			if byProvider == nil {
				byProvider = map[string]*attributeTally{}
				k.values[strings.Clone(value)] = byProvider
			}
		}
		t := byProvider[provider]
		if t == nil {
			t = &attributeTally{}
			byProvider[strings.Clone(provider)] = t
		}
		t.add(s)
	})
}

// add records one row.
func (t *attributeTally) add(s *judges.Scored) {
	t.calls++
	t.score += s.Score
	if s.Pass {
		t.pass++
	}
	if results.Failed(s) {
		t.errors++
	}
	if s.Result != nil {
		t.cost += s.Result.CostUSD
	}
}

// stats returns the breakdown, by key, value (OtherValue last) and
// provider.
func (a *attributes) stats() []AttributeStats {
	out := []AttributeStats{}
	for _, key := range slices.Sorted(maps.Keys(a.keys)) {
		k := a.keys[key]
		values := slices.SortedFunc(maps.Keys(k.values), func(x, y string) int {
			return cmp.Or(cmp.Compare(boolRank(x == OtherValue), boolRank(y == OtherValue)), strings.Compare(x, y))
		})
		for _, v := range values {
			for _, p := range slices.Sorted(maps.Keys(k.values[v])) {
				t := k.values[v][p]
				n := float64(t.calls)
				out = append(out, AttributeStats{Key: key, Value: v, Provider: p, Calls: t.calls, Errors: t.errors,
					CostUSD: t.cost, CostPerCall: t.cost / n, PassRate: float64(t.pass) / n, MeanScore: t.score / n})
			}
		}
	}
	return out
}

// warnings say what the caps left out.
func (a *attributes) warnings() []string {
	var out []string
	for _, key := range slices.Sorted(maps.Keys(a.keys)) {
		if _, ok := a.keys[key].values[OtherValue]; ok {
			out = append(out, fmt.Sprintf("metadata %q has more than %d values: the rest are pooled as %s", key, MaxAttributeValues, OtherValue))
		}
	}
	if len(a.overflow) > 0 {
		out = append(out, fmt.Sprintf("more than %d metadata keys: %s not broken down", MaxAttributeKeys, strings.Join(slices.Sorted(maps.Keys(a.overflow)), ", ")))
	}
	return out
}

// boolRank is 1 for true, 0 for false.
func boolRank(b bool) int {
	if b {
		return 1
	}
	return 0
}
