package report

import (
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/parity-eval/parity/internal/testkit"
	"github.com/parity-eval/parity/routing"

	"github.com/parity-eval/parity/judges"
	"github.com/parity-eval/parity/runner"
	"github.com/parity-eval/parity/suites"
)

// largeRun calls fn with n synthetic rows: 12 suites over 3 tags, the
// test providers plus a fourth, every case answered by each provider in
// turn, 1 KB outputs, about 9% failing and 2% failed requests.
func largeRun(n int, fn func(*judges.Scored)) {
	local := &suites.Provider{ID: "sim-local", Endpoint: suites.Endpoint{Model: "local-1"},
		Capabilities: []suites.Capability{"json_schema", "streaming"}}
	provs := append([]*suites.Provider{local}, testkit.Providers...)
	ss := make([]*suites.Suite, 12)
	for i := range ss {
		ss[i] = &suites.Suite{Name: fmt.Sprintf("suite-%02d", i), Tags: []string{[]string{"extract", "classify", "review"}[i%3]},
			Prompt: suites.Prompt{User: "Summarise: {{.output}}"}}
	}
	output := strings.Repeat("lorem ipsum dolor sit amet ", 38)
	var c *suites.Case
	for i := range n {
		p, k := i%len(provs), i/len(provs)
		s := ss[k%len(ss)]
		if p == 0 {
			c = &suites.Case{ID: fmt.Sprintf("case-%07d", k/len(ss)), Reference: output,
				Vars: map[string]any{"output": output}}
		}
		h := drillHash(drillKey{s.Name, c.ID, p})
		var r *judges.Scored
		if h%50 == 0 {
			r = testkit.FailedScored(s, c, provs[p], []runner.ErrorClass{runner.ClassTimeout, runner.ClassServer, runner.ClassRateLimit}[h/50%3])
		} else {
			r = testkit.Scored(s, c, provs[p], 0.5+float64(h%1000)/2000)
			r.Result.Output = output
			r.Result.Latency = time.Duration(200+h%2000) * time.Millisecond
			r.Pass = h%11 != 0
		}
		fn(r)
	}
}

// buildLarge feeds n rows to a summary and a report and writes the report.
func buildLarge(tb testing.TB, n int) (*Summary, *HTMLReport, int64, time.Duration) {
	tb.Helper()
	start := time.Now()
	sum, h := NewSummary("run-large"), NewHTMLReport(DefaultMaxCases, DefaultSamplePerSuite)
	ev := routing.NewEvidence()
	largeRun(n, func(r *judges.Scored) {
		sum.Add(r)
		ev.AddScored(r)
		h.Add(r)
	})
	cfg := testkit.Config()
	var size countingWriter
	if err := h.Write(&size, sum, routing.Build(ev, cfg.Providers, cfg.Routing, testkit.T0), testkit.T0); err != nil {
		tb.Fatal(err)
	}
	return sum, h, int64(size), time.Since(start)
}

// countingWriter counts the bytes written to it.
type countingWriter int64

func (w *countingWriter) Write(p []byte) (int, error) {
	*w += countingWriter(len(p))
	return len(p), nil
}

var _ io.Writer = (*countingWriter)(nil)

// maxReportBytes is the size a report of any run must stay under.
const maxReportBytes = 10 << 20

func TestHTMLLargeRun(t *testing.T) {
	t.Parallel()
	const n = 100_000
	sum, h, size, took := buildLarge(t, n)
	t.Logf("%d rows: report %.2f MB in %v", n, float64(size)/1e6, took)
	if sum.Done() != n || h.sample.nFailing+h.sample.nPassing != n {
		t.Errorf("aggregates cover %d rows, the sample counted %d, want %d", sum.Done(), h.sample.nFailing+h.sample.nPassing, n)
	}
	if size >= maxReportBytes {
		t.Errorf("report of %d rows is %d bytes, want < %d", n, size, maxReportBytes)
	}
	if got, want := len(h.sample.entries), DefaultMaxCases+12*DefaultSamplePerSuite; got > want {
		t.Errorf("the sample holds %d cases, want at most %d", got, want)
	}
	for _, e := range h.sample.main.items {
		if !e.failing {
			t.Errorf("case %v kept without a failing row", e.key)
		}
	}
}

// BenchmarkHTMLMillionRows feeds 1,000,000 rows to the summary and the
// report and writes it; the report must stay under 10 MB.
func BenchmarkHTMLMillionRows(b *testing.B) {
	const n = 1_000_000
	for b.Loop() {
		_, _, size, took := buildLarge(b, n)
		if size >= maxReportBytes {
			b.Fatalf("report of %d rows is %d bytes, want < %d", n, size, maxReportBytes)
		}
		b.ReportMetric(float64(size)/1e6, "MB")
		b.ReportMetric(took.Seconds(), "s/report")
	}
}
