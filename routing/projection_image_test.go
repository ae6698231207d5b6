package routing

import (
	"fmt"
	"testing"
	"time"

	"github.com/parity-eval/parity/internal/testkit"
	"github.com/parity-eval/parity/judges"
	"github.com/parity-eval/parity/results"
	"github.com/parity-eval/parity/runner"
	"github.com/parity-eval/parity/suites"
)

// Providers of the image projection test: a chat model priced per token
// and two image models priced per image only.
var (
	projChat = &suites.Provider{ID: "chat", Capabilities: []suites.Capability{suites.CapJSONSchema},
		Endpoint: suites.Endpoint{Model: "chat-1", Price: suites.Price{Input: 0.15, Output: 0.6, Source: "test"}}}
	projPainter = &suites.Provider{ID: "painter", Capabilities: []suites.Capability{suites.CapImages},
		Endpoint: suites.Endpoint{Model: "painter-1", Price: suites.Price{Image: 0.04, Source: "test"}}}
	projSketcher = &suites.Provider{ID: "sketcher", Capabilities: []suites.Capability{suites.CapImages},
		Endpoint: suites.Endpoint{Model: "sketcher-1", Price: suites.Price{Image: 0.02, Source: "test"}}}
)

// projectionRow is a successful row of case i of suite s on p, charged
// what the runner charges: its tokens, plus its price per image on an
// image suite; or nothing when charged is false (rows of a run that had no
// price).
func projectionRow(s *suites.Suite, p *suites.Provider, i int, score float64, charged bool) *judges.Scored {
	in, out := 100, 20
	if s.Kind == suites.KindImage {
		in, out = 0, 0
	}
	cost := p.Price.Cost(in, out)
	if s.Kind == suites.KindImage {
		cost += p.Price.Image
	}
	if !charged {
		cost = 0
	}
	return &judges.Scored{Score: score, Pass: score >= 0.5, Result: &runner.Result{RunID: "run-test", Suite: s,
		Case: &suites.Case{ID: fmt.Sprintf("c%02d", i)}, Provider: p, Latency: time.Second,
		InputTokens: in, OutputTokens: out, CostUSD: cost}}
}

// TestProjectionsPriceImageRoutes checks an image rule is projected at its
// price per image, not at $0 because its requests carry no tokens. Six
// chat cases (extract) and four image cases (logo): 60% and 40% of the
// traffic. Every chat request takes 100 input and 20 output tokens on chat
// ($0.15/$0.60 per M): 100·0.15e-6 + 20·0.6e-6 = $0.000027. The logo rule
// goes to painter ($0.04 an image, scoring 1; sketcher at $0.02 scores
// 0.5, outside the tolerance). A request of the rules then costs
// 0.6·0.000027 + 0.4·0.04 = $0.0160162, $16,016.20 a million; the token
// estimate alone would have said 0.6·0.000027 = $0.0000162.
func TestProjectionsPriceImageRoutes(t *testing.T) {
	t.Parallel()
	chatCost := (100*0.15 + 20*0.6) / 1e6
	wantRules := 0.6*chatCost + 0.4*0.04
	for _, tt := range []struct {
		name             string
		charged, parquet bool
	}{
		// Rows charged by the runner: the measured cost per request is used.
		{"measured", true, false},
		// Rows that carry no cost: estimated from tokens and the price per image.
		{"estimated", false, false},
		// The same read back from results.parquet, whose rows carry no
		// suite kind or needs: the image rule is still priced per image.
		{"estimated from parquet rows", false, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			chat := &suites.Suite{Name: "extract", Tags: []string{"extract"}}
			logo := &suites.Suite{Name: "logo", Tags: []string{"logo"}, Kind: suites.KindImage}
			ev := NewEvidence()
			add := func(r *judges.Scored) {
				if tt.parquet {
					row := results.NewRow(r)
					ev.AddRow(&row)
					return
				}
				ev.AddScored(r)
			}
			for i := range 6 {
				add(projectionRow(chat, projChat, i, 1, tt.charged))
			}
			for i := range 4 {
				add(projectionRow(logo, projPainter, i, 1, tt.charged))
				add(projectionRow(logo, projSketcher, i, 0.5, tt.charged))
			}
			s := DefaultSettings()
			s.SplitShare = 0
			s.Volumes = Volumes{Requests: []int64{1_000_000}}
			r := New(ev, []*suites.Provider{projChat, projPainter, projSketcher}, s, testkit.T0)
			if got := r.Tags["logo"].Primary; got == nil || got.Provider != "painter" {
				t.Fatalf("logo primary %+v, want painter", got)
			}
			if p := r.Providers["painter"].Price; p == nil || p.Image != 0.04 {
				t.Errorf("painter's price in the rules %+v, want $0.04 an image", p)
			}
			p := r.Projections
			if p == nil || p.Mix["extract"] != 0.6 || p.Mix["logo"] != 0.4 {
				t.Fatalf("projections %+v", p)
			}
			if !sameSig4(p.Rules.CostPerRequestUSD, wantRules) || p.Rules.Coverage != 1 ||
				len(p.Rules.ByRequests) != 1 || !testkit.CloseTo(p.Rules.ByRequests[0].USD, 1e6*wantRules, 0.5) {
				t.Errorf("rules %+v, want $%.7f a request, $%.2f a million", p.Rules, wantRules, 1e6*wantRules)
			}
			for _, want := range []struct {
				id   string
				cost float64
			}{{"chat", chatCost}, {"painter", 0.04}, {"sketcher", 0.02}} {
				got := projectionOf(p, want.id)
				if got == nil || !sameSig4(got.CostPerRequestUSD, want.cost) ||
					!testkit.CloseTo(got.ByRequests[0].USD, 1e6*want.cost, 0.5) {
					t.Errorf("%s alone: %+v, want $%g a request", want.id, got, want.cost)
				}
			}
		})
	}
}

// projectionOf returns the projection of provider id alone, nil when none.
func projectionOf(p *Projections, id string) *Projection {
	for i := range p.Providers {
		if p.Providers[i].Provider == id {
			return &p.Providers[i]
		}
	}
	return nil
}

// sameSig4 reports whether got is want to the four significant figures
// the projections keep.
func sameSig4(got, want float64) bool { return testkit.CloseTo(got, want, 5e-4*want) }
