// Command hostile writes a parity report whose every untrusted text (model
// outputs, references, prompts, errors, judge reasons, check details,
// suite, case, provider and model names, gate reasons) is markup or script
// that would set window.__pwned if it ran. The browser test opens it and
// checks that nothing ran. Usage: go run ./scripts/browser/hostile DIR
package main

import (
	"fmt"
	"os"
	"time"

	"github.com/parity-eval/parity/judges"
	"github.com/parity-eval/parity/report"
	"github.com/parity-eval/parity/runner"
	"github.com/parity-eval/parity/suites"
)

// payloads would each set window.__pwned if the page let them run.
var payloads = []string{
	`<script>window.__pwned="script"</script>`,
	`<img src=x onerror="window.__pwned='img'">`,
	`<a href="javascript:window.__pwned='href'">click me</a>`,
	`<svg onload="window.__pwned='svg'"><circle r=5 /></svg>`,
	`"><script>window.__pwned="attr"</script>`,
	`'--></style></script><script>window.__pwned="breakout"</script>`,
	`</pre><iframe srcdoc="<script>parent.__pwned='iframe'</script>"></iframe>`,
	`<details open ontoggle="window.__pwned='toggle'">x</details>`,
	`<input autofocus onfocus="window.__pwned='focus'">`,
	`javascript:window.__pwned='text'`,
	`<style>body{display:none}</style><link rel=stylesheet href="http://127.0.0.1:9/x.css">`,
	`{{.}} ${window.__pwned='template'} <!-- comment`,
}

// text joins the payloads after a label.
func text(label string) string {
	s := label
	for _, p := range payloads {
		s += " " + p
	}
	return s
}

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: hostile DIR")
		os.Exit(2)
	}
	if err := write(os.Args[1]); err != nil {
		fmt.Fprintln(os.Stderr, "hostile:", err)
		os.Exit(1)
	}
}

// write runs the hostile rows through a report.Writer into dir.
func write(dir string) error {
	at := time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)
	base := &suites.Provider{ID: "sim-base", Endpoint: suites.Endpoint{Model: `base"><script>window.__pwned="model"</script>`,
		Price: suites.Price{Input: 1, Output: 2}}, Capabilities: []suites.Capability{"json_schema", "streaming"}}
	evil := &suites.Provider{ID: `evil"><img src=x onerror=window.__pwned=1>`, Endpoint: suites.Endpoint{Model: text("model"),
		Price: suites.Price{Input: 0.1, Output: 0.2}}, Capabilities: []suites.Capability{`<script>window.__pwned="cap"</script>`}}
	cfg := &suites.Config{Providers: []*suites.Provider{base, evil}, Baseline: base.ID,
		Routing: suites.Routing{Tolerance: 0.05, MaxFallbacks: 2}}
	w, err := report.NewWriter(dir, cfg, `run"><script>window.__pwned="run"</script>`, report.WithClock(func() time.Time { return at }))
	if err != nil {
		return err
	}
	suite := &suites.Suite{Name: `suite<script>window.__pwned="suite"</script>`, Tags: []string{text("tag")},
		Needs:  []suites.Capability{"json_schema", `vision"><script>window.__pwned="need"</script>`},
		Prompt: suites.Prompt{System: "{{.system}}", User: "{{.user}}"}}
	for i := range 6 {
		c := &suites.Case{ID: fmt.Sprintf(`case-%d"><script>window.__pwned="case"</script>`, i),
			Reference: text("reference"), Vars: map[string]any{"system": text("system"), "user": text("user")}}
		for j, p := range cfg.Providers {
			if err := w.Add(row(suite, c, p, at, i, j)); err != nil {
				return err
			}
		}
	}
	w.SetGate(&report.GateSummary{Pass: false, Against: text("baseline"), Reasons: []string{text("reason")}})
	return w.Close()
}

// row is one hostile result: answers from the baseline, failures and
// hostile answers from the other provider.
func row(s *suites.Suite, c *suites.Case, p *suites.Provider, at time.Time, i, j int) *judges.Scored {
	res := &runner.Result{RunID: "hostile", Suite: s, Case: c, Provider: p, Output: text("output"),
		FinishReason: "stop", Started: at.Add(time.Duration(i) * time.Second), Latency: time.Duration(300+100*i+50*j) * time.Millisecond,
		TTFT: 80 * time.Millisecond, InputTokens: 100, OutputTokens: 40, CostUSD: p.Price.Cost(100, 40), Attempts: 1}
	if j == 1 && i%2 == 0 {
		res.Output, res.ErrorClass, res.Error = "", []runner.ErrorClass{runner.ClassServer, `class<script>window.__pwned="class"</script>`}[i%4/2], text("error")
		res.CostUSD = 0
		return &judges.Scored{Result: res}
	}
	valid := i%3 != 0
	sc := &judges.Scored{Result: res, JSONValid: &valid, JudgeReason: text("judge"), Score: 0.4 + 0.1*float64(i), Pass: valid,
		Checks: []judges.CheckScore{
			{Name: text("check"), Type: "json_schema", Score: 1, Raw: 1, Pass: valid, Detail: text("detail")},
			{Name: "judge", Type: "judge", Score: 0.5, Raw: 5.5, Detail: text("judge"), Error: text("check error")},
		}}
	return sc
}
