package report

import (
	"cmp"
	"maps"
	"slices"
	"strings"

	"github.com/parity-eval/parity/judges"
	"github.com/parity-eval/parity/suites"
)

// boardGroup is the leaderboard of the providers that ran the same suites
// of one kind: each is ranked only against the others of its group, on its
// figures over those suites alone. An image model is never ranked against
// a chat model, nor a provider against one that did not run its suites.
type boardGroup struct {
	// Kind is the suites' kind (chat, image); Title names the group, ""
	// when the leaderboard has a single group.
	Kind, Title string
	// Suites are the suites every provider of the group ran.
	Suites []string
	Cards  []metricCard
	// NA names the metrics no provider of the group has, with why.
	NA []string
}

// suiteKind is the kind of a row's suite: chat unless it says otherwise.
func suiteKind(r *judges.Scored) string {
	if r.Result != nil && r.Result.Suite != nil && r.Result.Suite.Kind != "" {
		return r.Result.Suite.Kind
	}
	return suites.KindChat
}

// leaderboardGroups ranks the providers per kind of suite (chat first, then
// image) and, within a kind, per set of suites run, the largest group
// first; ids orders the providers and gives their colours.
func leaderboardGroups(sum *Summary, ids []string) []boardGroup {
	color := map[string]string{}
	for i, id := range ids {
		color[id] = providerColor(i)
	}
	var groups []boardGroup
	for _, kind := range sum.kindsRun() {
		for _, set := range sum.suiteSets(kind, ids) {
			groups = append(groups, sum.boardGroupOf(kind, set, color))
		}
	}
	if len(groups) > 1 {
		for i := range groups {
			groups[i].Title = kindTitle(groups[i].Kind)
		}
	}
	return groups
}

// boardGroupOf ranks providers on their rows of one kind.
func (s *Summary) boardGroupOf(kind string, set suiteSet, color map[string]string) boardGroup {
	g := boardGroup{Kind: kind, Suites: set.suites}
	provs := make([]ProviderStats, 0, len(set.providers))
	for _, id := range set.providers {
		provs = append(provs, ProviderStats{id, s.models[id], s.kinds[pair{kind, id}].stats()})
	}
	for i, c := range leaderboard(provs, color) {
		if len(c.Ranked) > 0 {
			g.Cards = append(g.Cards, c)
		} else if why := boardMetrics[i].why; why != "" {
			g.NA = append(g.NA, c.Title+" ("+why+")")
		} else {
			g.NA = append(g.NA, c.Title)
		}
	}
	return g
}

// kindTitle names a group of suites of a kind.
func kindTitle(kind string) string {
	switch kind {
	case suites.KindChat:
		return "Chat suites"
	case suites.KindImage:
		return "Image generation suites"
	}
	return kind + " suites"
}

// kindsRun returns the kinds of suite with rows: chat, image, then any
// other in order.
func (s *Summary) kindsRun() []string {
	seen := map[string]bool{}
	for k := range s.kinds {
		seen[k.a] = true
	}
	rank := func(k string) int { return cmp.Or(slices.Index([]string{suites.KindChat, suites.KindImage}, k)+1, 3) }
	return slices.SortedFunc(maps.Keys(seen), func(a, b string) int {
		return cmp.Or(cmp.Compare(rank(a), rank(b)), strings.Compare(a, b))
	})
}

// suiteSet is providers that ran exactly the same suites.
type suiteSet struct {
	suites, providers []string
}

// suiteSets groups the providers with rows of kind by the suites of that
// kind they ran: the most providers first, then in the order of ids.
func (s *Summary) suiteSets(kind string, ids []string) []suiteSet {
	ran := map[string][]string{}
	for _, k := range sortedPairs(s.cells) {
		if s.suiteKinds[k.a] == kind && s.cells[k].n > 0 {
			ran[k.provider] = append(ran[k.provider], k.a)
		}
	}
	var sets []suiteSet
	for _, id := range ids {
		if len(ran[id]) == 0 {
			continue
		}
		i := slices.IndexFunc(sets, func(set suiteSet) bool { return slices.Equal(set.suites, ran[id]) })
		if i < 0 {
			sets = append(sets, suiteSet{suites: ran[id]})
			i = len(sets) - 1
		}
		sets[i].providers = append(sets[i].providers, id)
	}
	slices.SortStableFunc(sets, func(a, b suiteSet) int { return cmp.Compare(len(b.providers), len(a.providers)) })
	return sets
}
