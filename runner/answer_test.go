package runner_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/parity-eval/parity/fixtures"
	"github.com/parity-eval/parity/runner"
)

// TestAnswersChecked runs the four cases against a provider that
// misbehaves on every request with a 200, one way per subtest, and checks
// what the rows say.
func TestAnswersChecked(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		fault fixtures.Fault
		// class is the rows' error class; "" for a good answer.
		class runner.ErrorClass
		// message is in every row's error.
		message string
	}{
		// An error body: provider_error with the provider's message, not a
		// "truncated answer".
		{"error body", fixtures.FaultErrorBody, runner.ClassProviderError,
			"the provider answered HTTP 200 with an error: " + fixtures.ErrorBodyMessage + " (type server_error, code overloaded)"},
		// An HTML page: provider_error quoting the page's title.
		{"html", fixtures.FaultHTML, runner.ClassProviderError,
			`the provider answered HTTP 200 with text/html, neither JSON nor an event stream: "502 Bad Gateway"`},
		// Plain JSON to a streamed request: a good answer, TTFT unknown.
		{"unstreamed", fixtures.FaultUnstreamed, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ss := loadSuites(t)
			srv, hs := fixtureServer(t, ss, fixtures.Profiles(fixtures.Profile{
				ID: "sim-frontier", Quality: map[string]float64{fixtures.AnyTag: 1},
				Chaos: fixtures.Chaos{Rate: 1, Kinds: []fixtures.Fault{tt.fault}},
			}))
			cfg := loadConfig(t, hs.URL, "  - {id: sim-frontier, base_url: URL/sim-frontier/v1, model: m, capabilities: [streaming]}\n")
			results := collect(runner.New(cfg).Run(context.Background(), ss))
			if len(results) != 4 {
				t.Fatalf("%d results, want 4", len(results))
			}
			for _, r := range results {
				if r.ErrorClass != tt.class || !strings.Contains(r.Error, tt.message) {
					t.Errorf("%s: %q %q, want %q %q", r.Case.ID, r.ErrorClass, r.Error, tt.class, tt.message)
				}
				if tt.class == "" && (!strings.EqualFold(r.Output, r.Case.Reference) || r.TTFT != 0 || r.Latency <= 0 || r.InputTokens <= 0 || r.OutputTokens <= 0) {
					t.Errorf("%s: output %q ttft %v latency %v tokens %d+%d: want the reference, no TTFT, a latency and the usage",
						r.Case.ID, r.Output, r.TTFT, r.Latency, r.InputTokens, r.OutputTokens)
				}
			}
			// Neither a provider error nor a good answer is sent again.
			if n := srv.Count("", fixtures.EndpointChat); n != 4 {
				t.Errorf("%d requests, want 4", n)
			}
		})
	}
}

// TestStreamFalse checks `stream: false` sends chat requests unstreamed
// and reads their answers, TTFT unknown.
func TestStreamFalse(t *testing.T) {
	t.Parallel()
	ss := loadSuites(t)
	srv, hs := fixtureServer(t, ss, fixtures.Profiles(fixtures.Profile{ID: "sim-frontier", Quality: map[string]float64{fixtures.AnyTag: 1}}))
	cfg := loadConfig(t, hs.URL, "  - {id: sim-frontier, base_url: URL/sim-frontier/v1, model: m, stream: false, capabilities: [streaming]}\n")
	for _, r := range collect(runner.New(cfg).Run(context.Background(), ss)) {
		if r.Failed() || !strings.EqualFold(r.Output, r.Case.Reference) || r.TTFT != 0 || r.OutputTokens <= 0 {
			t.Errorf("%s: %s %s, output %q ttft %v tokens %d", r.Case.ID, r.ErrorClass, r.Error, r.Output, r.TTFT, r.OutputTokens)
		}
	}
	for _, rec := range srv.Requests() {
		var body struct {
			Stream bool `json:"stream"`
		}
		if err := json.Unmarshal(rec.Body, &body); err != nil || body.Stream {
			t.Errorf("request body %s: want stream false", rec.Body)
		}
	}
}
