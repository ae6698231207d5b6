package report

import (
	"cmp"
	"maps"
	"slices"
	"time"

	"github.com/parity-eval/parity/results"

	"github.com/parity-eval/parity/judges"
)

// Summary accumulates the statistics of a run as rows arrive, in memory
// that grows with the number of suites, providers and tags, never with
// the number of rows. It is not safe for concurrent
// use.
type Summary struct {
	runID       string
	planned     int64
	interrupted bool
	// writeErr is the first output the run could not write.
	writeErr error
	// warnings are what the config warns of (Configure).
	warnings []string

	total     aggregate
	providers map[string]*aggregate
	models    map[string]string
	suites    map[string]*aggregate
	cells     map[pair]*aggregate
	tags      map[pair]*tagAggregate
	// kinds is keyed by suite kind × provider (see suiteKind), suiteKinds
	// by suite: the leaderboard ranks chat and image models apart.
	kinds      map[pair]*aggregate
	suiteKinds map[string]string
	// capabilities is keyed by capability × provider.
	capabilities *capabilityMatrix
	// attributes breaks cost and quality down by metadata.
	attributes *attributes

	first, last time.Time
}

// pair keys a two-way group: suite×provider or tag×provider.
type pair struct{ a, provider string }

// NewSummary returns an empty summary of the run runID.
func NewSummary(runID string) *Summary {
	return &Summary{
		runID:     runID,
		providers: map[string]*aggregate{},
		models:    map[string]string{},
		suites:    map[string]*aggregate{},
		cells:     map[pair]*aggregate{},
		tags:      map[pair]*tagAggregate{},

		kinds:      map[pair]*aggregate{},
		suiteKinds: map[string]string{},

		capabilities: newCapabilityMatrix(),
		attributes:   newAttributes(),
	}
}

// Add records one scored result.
func (s *Summary) Add(r *judges.Scored) {
	p, suite := results.ProviderID(r), results.SuiteName(r)
	s.total.add(r)
	getAggregate(s.providers, p).add(r)
	getAggregate(s.suites, suite).add(r)
	getAggregate(s.cells, pair{suite, p}).add(r)
	kind := suiteKind(r)
	getAggregate(s.kinds, pair{kind, p}).add(r)
	s.suiteKinds[suite] = kind
	s.capabilities.add(r)
	s.attributes.add(r)
	tags := results.RowTags(r)
	for i, tag := range tags {
		if !slices.Contains(tags[:i], tag) { // a tag listed twice counts once
			getTagAggregate(s.tags, pair{tag, p}).add(r)
		}
	}
	if _, ok := s.models[p]; !ok {
		s.models[p] = results.ProviderModel(r)
	}
	s.span(r)
}

// span widens the run's time span to cover the row's request.
func (s *Summary) span(r *judges.Scored) {
	if r.Result == nil || r.Result.Started.IsZero() {
		return
	}
	// At the millisecond, as results.parquet holds started_at, so that a
	// summary rebuilt from the results (parity report) is the run's.
	start := r.Result.Started.Truncate(time.Millisecond)
	end := start.Add(r.Result.Latency)
	if s.first.IsZero() || start.Before(s.first) {
		s.first = start
	}
	if end.After(s.last) {
		s.last = end
	}
}

// Attributes returns cost, calls, pass rate and score per metadata key,
// value and provider, sorted; values past MaxAttributeValues of a key are
// pooled as OtherValue.
func (s *Summary) Attributes() []AttributeStats { return s.attributes.stats() }

// AttributeWarnings say what the breakdown's caps left out.
func (s *Summary) AttributeWarnings() []string { return s.attributes.warnings() }

// getAggregate returns m[k], creating it when missing.
func getAggregate[K comparable](m map[K]*aggregate, k K) *aggregate {
	a := m[k]
	if a == nil {
		a = &aggregate{}
		m[k] = a
	}
	return a
}

// getTagAggregate returns m[k], creating it when missing.
func getTagAggregate(m map[pair]*tagAggregate, k pair) *tagAggregate {
	a := m[k]
	if a == nil {
		a = &tagAggregate{}
		m[k] = a
	}
	return a
}

// SetPlanned records how many rows the run planned (cases × providers ×
// repeats). The run is complete when that many rows were added and it was
// not interrupted.
func (s *Summary) SetPlanned(n int) { s.planned = int64(n) }

// SetInterrupted marks the run as stopped before it finished.
func (s *Summary) SetInterrupted() { s.interrupted = true }

// SetWriteError records that an output could not be written (the first
// error is kept): the run is then not complete, and summary.json says why
// in write_error.
func (s *Summary) SetWriteError(err error) {
	if s.writeErr == nil {
		s.writeErr = err
	}
}

// WriteError returns the first output the run could not write, nil when
// every one was.
func (s *Summary) WriteError() error { return s.writeErr }

// RunID returns the id of the run.
func (s *Summary) RunID() string { return s.runID }

// Planned returns the number of rows the run planned, 0 when unknown.
func (s *Summary) Planned() int64 { return s.planned }

// Done returns the number of rows added.
func (s *Summary) Done() int64 { return s.total.n }

// Interrupted reports whether SetInterrupted was called.
func (s *Summary) Interrupted() bool { return s.interrupted }

// Complete reports whether the run was not interrupted, every planned
// row arrived (any number of rows when none was planned) and every output
// was written.
func (s *Summary) Complete() bool {
	return !s.interrupted && s.writeErr == nil && s.total.n >= s.planned
}

// Span returns when the first request started and the last one finished;
// zero times when no row had a start time.
func (s *Summary) Span() (first, last time.Time) { return s.first, s.last }

// Totals returns the statistics of every row of the run.
func (s *Summary) Totals() GroupStats { return s.total.stats() }

// ProviderStats are the statistics of one provider across every suite.
type ProviderStats struct {
	Provider string `json:"provider"`
	// Model is the model the provider was asked for.
	Model string `json:"model"`
	GroupStats
}

// SuiteStats are the statistics of one suite across every provider.
type SuiteStats struct {
	Suite string `json:"suite"`
	GroupStats
}

// SuiteProviderStats are the statistics of one provider on one suite.
type SuiteProviderStats struct {
	Suite    string `json:"suite"`
	Provider string `json:"provider"`
	GroupStats
}

// Providers returns per-provider statistics, sorted by provider id.
func (s *Summary) Providers() []ProviderStats {
	out := make([]ProviderStats, 0, len(s.providers))
	for _, id := range slices.Sorted(maps.Keys(s.providers)) {
		out = append(out, ProviderStats{id, s.models[id], s.providers[id].stats()})
	}
	return out
}

// Suites returns per-suite statistics, sorted by suite name.
func (s *Summary) Suites() []SuiteStats {
	out := make([]SuiteStats, 0, len(s.suites))
	for _, name := range slices.Sorted(maps.Keys(s.suites)) {
		out = append(out, SuiteStats{name, s.suites[name].stats()})
	}
	return out
}

// SuiteProviders returns per suite×provider statistics, sorted by suite
// then provider.
func (s *Summary) SuiteProviders() []SuiteProviderStats {
	out := make([]SuiteProviderStats, 0, len(s.cells))
	for _, k := range sortedPairs(s.cells) {
		out = append(out, SuiteProviderStats{k.a, k.provider, s.cells[k].stats()})
	}
	return out
}

// Tags returns per tag×provider statistics, sorted by tag then provider.
func (s *Summary) Tags() []TagStats {
	out := make([]TagStats, 0, len(s.tags))
	for _, k := range sortedPairs(s.tags) {
		out = append(out, s.tags[k].stats(k.a, k.provider, s.models[k.provider]))
	}
	return out
}

// sortedPairs returns m's keys ordered by first member, then provider.
func sortedPairs[V any](m map[pair]V) []pair {
	keys := make([]pair, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(x, y pair) int {
		return cmp.Or(cmp.Compare(x.a, y.a), cmp.Compare(x.provider, y.provider))
	})
	return keys
}
