package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/goccy/go-yaml"

	"github.com/parity-eval/parity/fixtures"
	"github.com/parity-eval/parity/routing"
	"github.com/parity-eval/parity/routing/export"
)

// The Portkey gateway test: the real open-source gateway, from npm, routes
// the config `parity rules --format portkey` writes. It runs only when
// PARITY_PORTKEY_GATEWAY names the gateway's build/start-server.js, as
// scripts/portkey/run.sh (make test-portkey) sets it.
const (
	portkeyGatewayEnv = "PARITY_PORTKEY_GATEWAY"
	// portkeyKeyVar is sim-frontier's api_key_env in the rules config; the
	// test sets it, the driver reads it back from the environment.
	portkeyKeyVar = "PARITY_TEST_FRONTIER_KEY"
	portkeyKey    = "k-portkey-e2e-3f9a"
	// portkeySeed seeds the gateway's Math.random (scripts/portkey/preload.mjs).
	portkeySeed = "20250601"
)

// portkeyE2E is what the checks share: the run's results, the gateway and
// the simulated providers, healthy (live), answering 503 to everything
// (sick), and a URL nobody listens on (dead).
type portkeyE2E struct {
	results, gateway string
	live, sick       *fixtures.Server
	liveURL, sickURL string
	dead             string
}

// TestPortkeyGateway starts the gateway on loopback and sends it requests
// with the generated config against the simulated providers: each rule's
// tag (and tier) reaches the rule's primary, a dead or a 503 primary falls
// back to the next provider of its chain, and a split's weights show over
// 300 requests within four binomial standard deviations.
func TestPortkeyGateway(t *testing.T) {
	entry := os.Getenv(portkeyGatewayEnv)
	if entry == "" {
		t.Skip(portkeyGatewayEnv + " is not set: scripts/portkey/run.sh installs the gateway and sets it")
	}
	start := time.Now()
	e := &portkeyE2E{results: rulesResults(t), dead: deadURL(t)}
	var hs *httptest.Server
	e.live, hs = portkeyProviders(t, 0)
	e.liveURL = hs.URL
	e.sick, hs = portkeyProviders(t, http.StatusServiceUnavailable)
	e.sickURL = hs.URL
	e.gateway = startGateway(t, entry)
	t.Setenv(portkeyKeyVar, portkeyKey)
	t.Logf("the run and the gateway are up in %v", time.Since(start).Round(time.Millisecond))
	t.Run("validates", e.checkValidates)
	t.Run("routes", e.checkRoutes)
	t.Run("dead primary", e.checkDeadPrimary)
	t.Run("503 primary", e.check503Primary)
	t.Run("split", e.checkSplit)
	t.Logf("the whole check took %v", time.Since(start).Round(time.Millisecond))
}

// portkeyProviders serves the rules tests' providers without injected
// failures, or failing every request with status fail; sim-frontier takes
// only portkeyKey.
func portkeyProviders(t *testing.T, fail int) (*fixtures.Server, *httptest.Server) {
	ps := rulesProfiles()
	for i := range ps {
		ps[i].FailureRate, ps[i].FailureStatus = 0, 0
		if fail != 0 {
			ps[i].FailureRate, ps[i].FailureStatus = 1, fail
		}
		if ps[i].ID == "sim-frontier" {
			ps[i].APIKey = portkeyKey
		}
	}
	return simulate(t, []string{rulesSuites}, fixtures.Profiles(ps...), fixtures.Seed(7))
}

// deadURL is a loopback URL nobody listens on: a port taken, then freed.
func deadURL(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return "http://" + addr
}

// config runs `parity rules` on the results with the rules tests' config,
// the providers at the live fixtures but those in moved at theirs, and
// returns the Portkey config as the x-portkey-config header (keys filled
// from the environment) and the rules it came from.
func (e *portkeyE2E) config(t *testing.T, moved map[string]string, flags ...string) (string, *routing.Rules) {
	t.Helper()
	cfg := movedConfig(t, moved)
	vars := map[string]string{"PARITY_FIXTURES": e.liveURL, "SOURCE_DATE_EPOCH": "1748779200"}
	args := append([]string{"rules", e.results, "--config", cfg}, flags...)
	code, native, stderr := cli(t, vars, args...)
	if code != ExitOK {
		t.Fatalf("parity rules: exit %d: %s", code, stderr)
	}
	var rules routing.Rules
	if err := yaml.Unmarshal([]byte(native), &rules); err != nil {
		t.Fatal(err)
	}
	code, config, stderr := cli(t, vars, append(args, "--format", "portkey")...)
	if code != ExitOK {
		t.Fatalf("parity rules --format portkey: exit %d: %s", code, stderr)
	}
	if !strings.Contains(config, `"api_key": "env:`+portkeyKeyVar+`"`) || strings.Contains(config, portkeyKey) {
		t.Fatalf("the config does not reference the key, or holds it:\n%s", config)
	}
	header, err := export.PortkeyHeader([]byte(config), os.LookupEnv)
	if err != nil {
		t.Fatal(err)
	}
	return header, &rules
}

// movedConfig writes the rules tests' parity.yaml with each provider of
// moved served at its base URL instead of the fixtures', and returns its
// path.
func movedConfig(t *testing.T, moved map[string]string) string {
	t.Helper()
	data, err := os.ReadFile(rulesConfigFile)
	if err != nil {
		t.Fatal(err)
	}
	for id, base := range moved {
		from := "${PARITY_FIXTURES:-http://127.0.0.1:8089}/" + id + "/v1"
		if !bytes.Contains(data, []byte(from)) {
			t.Fatalf("%s has no base_url %s", rulesConfigFile, from)
		}
		data = bytes.ReplaceAll(data, []byte(from), []byte(base+"/"+id+"/v1"))
	}
	path := filepath.Join(t.TempDir(), "parity.yaml")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// checkValidates makes sure the gateway checks configs at all: the
// hosted Model Catalog shape the export used to write ("@id" slugs, no
// custom_host) is refused with the 400 the issue reported.
func (e *portkeyE2E) checkValidates(t *testing.T) {
	old := `{"strategy":{"mode":"fallback"},"targets":[{"provider":"@sim-frontier","override_params":{"model":"frontier-1"}}]}`
	a := e.ask(t, old, nil)
	if a.status != http.StatusBadRequest || !strings.Contains(a.body, "Invalid 'provider' value") {
		t.Errorf("the catalog shape: %d %s", a.status, a.body)
	}
}

// checkRoutes sends each rule's tag (and tier) with the rules made
// without splits: every request reaches the rule's primary, and a request
// with no tag, or an unknown one, the baseline, with its key.
func (e *portkeyE2E) checkRoutes(t *testing.T) {
	header, rules := e.config(t, nil, "--split", "0")
	t.Logf("x-portkey-config: %d bytes", len(header))
	o := export.DefaultOptions()
	want := map[string]string{}
	for name, rule := range rules.Tags {
		meta := map[string]string{o.MetadataKey: rule.Tag}
		if rule.Tier != routing.DefaultTier {
			meta[o.TierKey] = rule.Tier
		}
		e.expect(t, name, header, meta, 8, rule.Primary.Provider, rules)
		want[name] = rule.Primary.Provider
	}
	e.expect(t, "no tag", header, nil, 4, rules.Baseline, rules)
	e.expect(t, "an unknown tag", header, map[string]string{o.MetadataKey: "nope"}, 4, rules.Baseline, rules)
	t.Logf("primaries %v, default %s", want, rules.Baseline)
}

// checkDeadPrimary moves classify's primary to a dead port: its requests
// are answered by its first fallback, after the gateway's retries.
func (e *portkeyE2E) checkDeadPrimary(t *testing.T) {
	_, rules := e.config(t, nil, "--split", "0")
	rule := rules.Tags["classify"]
	primary, next := rule.Primary.Provider, rule.Fallbacks[0].Provider
	header, _ := e.config(t, map[string]string{primary: e.dead}, "--split", "0")
	e.expect(t, "classify, "+primary+" dead", header, tagged("classify"), 4, next, rules)
}

// check503Primary serves extract's primary from providers that answer
// 503: each request is tried once and retried twice there (--retries 2),
// then answered by the first fallback.
func (e *portkeyE2E) check503Primary(t *testing.T) {
	_, rules := e.config(t, nil, "--split", "0")
	rule := rules.Tags["extract"]
	primary, next := rule.Primary.Provider, rule.Fallbacks[0].Provider
	header, _ := e.config(t, map[string]string{primary: e.sickURL}, "--split", "0")
	e.sick.Reset()
	const n = 4
	e.expect(t, "extract, "+primary+" 503", header, tagged("extract"), n, next, rules)
	if got := e.sick.Count(primary, fixtures.EndpointChat); got != 3*n {
		t.Errorf("%s answered 503 to %d requests, want %d (%d tries of each)", primary, got, 3*n, 3)
	}
}

// checkSplit sends 300 extract requests with the rules as made by
// default (a split): each target's share is within four binomial standard
// deviations of its weight.
func (e *portkeyE2E) checkSplit(t *testing.T) {
	header, rules := e.config(t, nil)
	split := rules.Tags["extract"].Split
	if split == nil || len(split.Targets) < 2 {
		t.Fatalf("extract has no split: %+v", rules.Tags["extract"])
	}
	const n = 300
	e.live.Reset()
	answers := e.askMany(t, header, tagged("extract"), n)
	byModel := map[string]int{}
	for _, a := range answers {
		if a.status != http.StatusOK {
			t.Fatalf("a split request: %d %s", a.status, a.body)
		}
		byModel[a.model]++
	}
	var seen []string
	for _, st := range split.Targets {
		model := rules.Providers[st.Provider].Model
		got, mean := byModel[model], float64(n)*st.Weight
		sd := math.Sqrt(mean * (1 - st.Weight))
		if math.Abs(float64(got)-mean) > 4*sd || e.live.Count(st.Provider, fixtures.EndpointChat) != got {
			t.Errorf("%s: %d of %d, want %.0f ± %.1f (4 sd); the provider saw %d", st.Provider, got, n, mean, 4*sd,
				e.live.Count(st.Provider, fixtures.EndpointChat))
		}
		seen = append(seen, fmt.Sprintf("%s %d (weight %.2f: %.0f ± %.1f)", st.Provider, got, st.Weight, mean, 4*sd))
		delete(byModel, model)
	}
	if len(byModel) > 0 {
		t.Errorf("answers from outside the split: %v", byModel)
	}
	t.Logf("split of %d: %s", n, strings.Join(seen, ", "))
}

// tagged is the metadata of a request of the tag in the default tier.
func tagged(tag string) map[string]string {
	return map[string]string{export.DefaultOptions().MetadataKey: tag}
}

// expect sends n requests with the metadata and checks each is answered
// by provider want, which the live providers saw exactly n times.
func (e *portkeyE2E) expect(t *testing.T, what, header string, meta map[string]string, n int, want string, rules *routing.Rules) {
	t.Helper()
	e.live.Reset()
	model := rules.Providers[want].Model
	for _, a := range e.askMany(t, header, meta, n) {
		if a.status != http.StatusOK || a.model != model {
			t.Errorf("%s: %d from %q, want 200 from %s (%s): %s", what, a.status, a.model, want, model, a.body)
			return
		}
	}
	if got := e.live.Count(want, fixtures.EndpointChat); got != n {
		t.Errorf("%s: %s saw %d requests, want %d", what, want, got, n)
	}
}

// gatewayAnswer is the gateway's answer to one chat request.
type gatewayAnswer struct {
	status int
	model  string
	body   string
}

// askMany sends n requests, 16 at a time, and returns the answers.
func (e *portkeyE2E) askMany(t *testing.T, header string, meta map[string]string, n int) []gatewayAnswer {
	t.Helper()
	out := make([]gatewayAnswer, n)
	slots := make(chan struct{}, 16)
	var wg sync.WaitGroup
	for i := range out {
		wg.Add(1)
		slots <- struct{}{}
		go func() {
			defer wg.Done()
			out[i] = e.ask(t, header, meta)
			<-slots
		}()
	}
	wg.Wait()
	return out
}

// ask sends one chat request through the gateway with the config header
// and the metadata.
func (e *portkeyE2E) ask(t *testing.T, header string, meta map[string]string) gatewayAnswer {
	body := `{"model":"chosen-by-the-config","messages":[{"role":"user","content":"Route me."}]}`
	req, err := http.NewRequest(http.MethodPost, e.gateway+"/v1/chat/completions", strings.NewReader(body))
	if err != nil {
		t.Error(err)
		return gatewayAnswer{}
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set(export.PortkeyConfigHeader, header)
	if meta != nil {
		m, _ := json.Marshal(meta)
		req.Header.Set(export.PortkeyMetadataHeader, string(m))
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Error(err)
		return gatewayAnswer{}
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	var c struct{ Model string }
	_ = json.Unmarshal(data, &c)
	return gatewayAnswer{status: resp.StatusCode, model: c.Model, body: string(data)}
}

// startGateway starts the gateway (node entry, after
// scripts/portkey/preload.mjs) on a free loopback port and returns its
// URL once it answers; it stops with the test.
func startGateway(t *testing.T, entry string) string {
	t.Helper()
	preload, err := filepath.Abs("../../scripts/portkey/preload.mjs")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cmd := exec.CommandContext(ctx, "node", "--import", preload, entry, "--port=0", "--headless")
	cmd.Env = append(os.Environ(), "TRUSTED_CUSTOM_HOSTS=127.0.0.1", "PARITY_PORTKEY_SEED="+portkeySeed)
	log := &lockedBuffer{}
	cmd.Stdout = log
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatalf("starting the gateway: %v", err)
	}
	t.Cleanup(func() {
		cancel()
		_ = cmd.Wait()
		if t.Failed() {
			t.Logf("the gateway's output:\n%s", log.String())
		}
	})
	addr := listening(t, stderr, log)
	url := "http://" + addr
	waitAnswers(t, url)
	return url
}

// listening reads the gateway's stderr until the preload reports the
// address (30 s at most), then copies the rest to log.
func listening(t *testing.T, stderr io.Reader, log io.Writer) string {
	t.Helper()
	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		reported := false
		for sc.Scan() {
			line := sc.Text()
			fmt.Fprintln(log, line)
			if addr, ok := strings.CutPrefix(line, "parity-portkey: listening on "); ok && !reported {
				found <- addr
				reported = true
			}
		}
		close(found)
	}()
	select {
	case addr, ok := <-found:
		if !ok {
			t.Fatalf("the gateway exited before listening")
		}
		return addr
	case <-time.After(30 * time.Second):
		t.Fatalf("the gateway did not listen within 30 s")
	}
	return ""
}

// waitAnswers polls url until it answers any HTTP status (30 s at most).
func waitAnswers(t *testing.T, url string) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	client := &http.Client{Timeout: time.Second}
	for {
		resp, err := client.Get(url)
		if err == nil {
			resp.Body.Close()
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the gateway at %s does not answer: %v", url, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// lockedBuffer is a bytes.Buffer safe for concurrent writes.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
