package routing

import (
	"cmp"
	"github.com/parity-eval/parity/results"
	"github.com/parity-eval/parity/stats"
	"slices"
	"strings"
	"time"

	"github.com/parity-eval/parity/judges"
	"github.com/parity-eval/parity/runner"
	"github.com/parity-eval/parity/suites"
)

// DefaultTier is the capacity tier of a suite that declares none.
const DefaultTier = "default"

// Key names one routing rule: a task tag within a capacity tier.
type Key struct {
	Tag  string
	Tier string
}

// String returns the rule's name: the tag for the default tier, tag@tier
// for any other ("extract", "extract@high"). Exports use it as the model
// group (LiteLLM) or target name (Portkey).
func (k Key) String() string {
	if k.Tier == "" || k.Tier == DefaultTier {
		return k.Tag
	}
	return k.Tag + "@" + k.Tier
}

// Evidence accumulates, as rows arrive, what routing rules are chosen
// from: per rule (tag × tier), per case and provider, the score of every
// repeat and the case's cost, and per rule and provider the tokens.
// Memory grows with cases × providers (a 16-byte cell each; about 44
// more for a cell of more than one row, and 8 per repeat) and with
// cases (the case's suite and id, copied once: its id's bytes and 11 to
// 15 more), never with the rows' texts: 56 bytes a case of two
// providers and one repeat, its id included, and about 100 at the peak
// of Build (BenchmarkEvidenceMemory). It is not safe for concurrent use.
type Evidence struct {
	runID     string
	providers []string
	index     map[string]int
	models    []string
	routes    map[Key]*routeEvidence
	// cases interns every case the rules have rows of.
	cases caseIndex
	// requires memoises Suite.Requires, which allocates: AddScored runs
	// for every row.
	requires map[*suites.Suite][]suites.Capability
}

// NewEvidence returns an empty accumulator.
func NewEvidence() *Evidence {
	return &Evidence{index: map[string]int{}, routes: map[Key]*routeEvidence{},
		requires: map[*suites.Suite][]suites.Capability{}}
}

// routeRow is one row as the evidence needs it, from a scored result
// or from a row of results.parquet.
type routeRow struct {
	runID, suite, caseID string
	tags                 []string
	tier                 string
	provider, model      string
	repeat               int
	score, cost          float64
	latency              time.Duration
	inTokens, outTokens  int64
	errorClass           runner.ErrorClass
	err                  string
	needs                []suites.Capability
}

// AddScored records one scored result of a run in progress; a result
// without a request (nil Result) is no evidence.
func (e *Evidence) AddScored(s *judges.Scored) {
	r := s.Result
	if r == nil {
		return
	}
	o := routeRow{runID: r.RunID, suite: results.SuiteName(s), caseID: results.CaseID(s), tags: rowTags(s),
		provider: results.ProviderID(s), model: results.ProviderModel(s), repeat: r.Repeat, score: s.Score,
		cost: r.CostUSD, latency: r.Latency, inTokens: int64(r.InputTokens), outTokens: int64(r.OutputTokens),
		errorClass: r.ErrorClass, err: r.Error}
	if r.Suite != nil {
		o.tier, o.needs = r.Suite.Tier, e.suiteNeeds(r.Suite)
	}
	e.add(&o)
}

// untagged is the tags a row of a suite without any counts under. The
// evidence only reads a row's tags, so every such row shares it.
var untagged = []string{results.UntaggedTag}

// rowTags is results.RowTags without a new slice for an untagged row.
func rowTags(s *judges.Scored) []string {
	if s.Result != nil && s.Result.Suite != nil && len(s.Result.Suite.Tags) > 0 {
		return s.Result.Suite.Tags
	}
	return untagged
}

// suiteNeeds returns what the suite requires (Suite.Requires), computed
// once per suite.
func (e *Evidence) suiteNeeds(s *suites.Suite) []suites.Capability {
	needs, ok := e.requires[s]
	if !ok {
		needs = s.Requires()
		e.requires[s] = needs
	}
	return needs
}

// AddRow records one row read back from results.parquet. Rows carry no
// suite needs: a need shows as the provider's "unsupported" rows.
func (e *Evidence) AddRow(r *results.Row) {
	tags := r.Tags
	if len(tags) == 0 {
		tags = untagged
	}
	e.add(&routeRow{runID: r.RunID, suite: r.Suite, caseID: r.CaseID, tags: tags, tier: r.Tier,
		provider: r.Provider, model: r.Model, repeat: int(r.Repeat), score: r.Score, cost: r.CostUSD,
		latency:  time.Duration(r.LatencyMS * float64(time.Millisecond)),
		inTokens: r.InputTokens, outTokens: r.OutputTokens, errorClass: r.ErrorClass, err: r.Error})
}

// add records one row under each of its tags (a tag listed twice
// counts once).
func (e *Evidence) add(o *routeRow) {
	if e.runID == "" {
		e.runID = o.runID
	}
	p := e.providerIndex(o.provider, o.model)
	g := int32(-1) // an unsupported row is no case's: the rules skip it
	if o.errorClass != runner.ClassUnsupported {
		g = e.cases.of(o.suite, o.caseID)
	}
	tier := o.tier
	if tier == "" {
		tier = DefaultTier
	}
	for i, tag := range o.tags {
		if slices.Contains(o.tags[:i], tag) {
			continue
		}
		e.route(Key{tag, tier}).add(o, p, g)
	}
}

// providerIndex returns the provider's index, registering it (with the
// model of its first row) when new.
func (e *Evidence) providerIndex(id, model string) int {
	if i, ok := e.index[id]; ok {
		return i
	}
	e.index[id] = len(e.providers)
	e.providers = append(e.providers, id)
	e.models = append(e.models, model)
	return len(e.providers) - 1
}

// route returns the evidence of one rule, creating it when missing.
func (e *Evidence) route(k Key) *routeEvidence {
	r := e.routes[k]
	if r == nil {
		r = &routeEvidence{key: k, index: &e.cases, needs: map[suites.Capability]bool{}, byProvider: map[int]*routeProvider{}}
		e.routes[k] = r
	}
	return r
}

// RunID returns the run id of the first row, "" when none had one.
func (e *Evidence) RunID() string { return e.runID }

// Routes returns the rules the evidence covers, sorted by tag then tier.
func (e *Evidence) Routes() []Key {
	keys := make([]Key, 0, len(e.routes))
	for k := range e.routes {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, compareRouteKeys)
	return keys
}

// compareRouteKeys orders rules by tag, the default tier first.
func compareRouteKeys(a, b Key) int {
	return cmp.Or(cmp.Compare(a.Tag, b.Tag), cmp.Compare(TierRank(a.Tier), TierRank(b.Tier)))
}

// TierRank sorts the default tier before the others, which sort by name.
func TierRank(tier string) string {
	if tier == DefaultTier {
		return ""
	}
	return tier
}

// routeEvidence is the evidence of one rule.
type routeEvidence struct {
	key Key
	// index holds the keys of the evidence's cases.
	index *caseIndex
	// needs are the capabilities its suites need: declared (a run in
	// progress) or named by unsupported rows (results read back).
	needs map[suites.Capability]bool
	// routeCases holds its rows by case and provider.
	routeCases
	byProvider map[int]*routeProvider
}

// routeProvider is one provider's rows on one rule, across cases.
type routeProvider struct {
	unsupported bool
	latency     stats.Latency
}

// unsupportedNeed returns the capability named by an unsupported row's
// error ("provider does not declare capability vision that the suite
// needs"): the first word after "capability " that " that" follows, ""
// when none does. It is the regexp `capability (\S+) that`, scanned by
// hand because a regexp match allocates, on every such row.
func unsupportedNeed(msg string) string {
	for {
		_, rest, ok := strings.Cut(msg, "capability ")
		if !ok {
			return ""
		}
		if n := strings.IndexAny(rest, " \t\n\f\r"); n > 0 && strings.HasPrefix(rest[n:], " that") {
			return rest[:n]
		}
		msg = rest
	}
}

// add records one row of provider p on the evidence's case g.
func (r *routeEvidence) add(o *routeRow, p int, g int32) {
	for _, n := range o.needs {
		r.needs[n] = true
	}
	rp := r.byProvider[p]
	if rp == nil {
		rp = &routeProvider{}
		r.byProvider[p] = rp
	}
	if o.errorClass == runner.ClassUnsupported {
		rp.unsupported = true
		if need := unsupportedNeed(o.err); need != "" {
			r.needs[suites.Capability(need)] = true
		}
		return
	}
	if o.errorClass == "" {
		rp.latency.Record(o.latency)
	}
	r.routeCases.add(r.caseOf(g), p, o)
}

// sortedNeeds returns the rule's needs, sorted.
func (r *routeEvidence) sortedNeeds() []suites.Capability {
	out := make([]suites.Capability, 0, len(r.needs))
	for n := range r.needs {
		out = append(out, n)
	}
	slices.Sort(out)
	return out
}
