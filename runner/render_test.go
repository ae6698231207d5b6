package runner_test

import (
	"bytes"
	"context"
	"encoding/json"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/parity-eval/parity/fixtures"
	"github.com/parity-eval/parity/internal/testkit"
	"github.com/parity-eval/parity/runner"
	"github.com/parity-eval/parity/suites"
)

// TestSendRendersEachCase checks a case's prompt is rendered when it is
// sent, as Suite.Messages renders it, and that an image file removed after
// load makes that case's row a bad request naming its line, with nothing
// sent: the one failure load cannot rule out.
func TestSendRendersEachCase(t *testing.T) {
	t.Parallel()
	var pic bytes.Buffer
	if err := png.Encode(&pic, image.NewRGBA(image.Rect(0, 0, 1, 1))); err != nil {
		t.Fatal(err)
	}
	ss, dir := testkit.LoadSuite(t, map[string]string{
		"s.yaml": "name: render\ntags: [classify]\nprompt: {system: 'Answer as {{.who}}.', user: 'Ticket: {{.text}}', images: ['{{.img}}']}\ncases_file: c.jsonl\n",
		"c.jsonl": `{"id": "a", "vars": {"who": "support", "text": "charged twice", "img": "a.png"}}` + "\n" +
			`{"id": "b", "vars": {"who": "sales", "text": "a quote", "img": "b.png"}}` + "\n",
		"a.png": pic.String(), "b.png": pic.String(),
	})
	if err := os.Remove(filepath.Join(dir, "b.png")); err != nil {
		t.Fatal(err)
	}
	srv, hs := fixtureServer(t, ss, fixtures.Profiles(fixtures.Profile{ID: "sim-frontier", Model: "m", Quality: map[string]float64{fixtures.AnyTag: 1},
		Capabilities: []suites.Capability{suites.CapVision, suites.CapStreaming}}))
	cfg := loadConfig(t, hs.URL, "  - {id: sim-frontier, base_url: URL/sim-frontier/v1, model: m, capabilities: [streaming, vision]}\n")
	byCase := map[string]*runner.Result{}
	for _, r := range collect(runner.New(cfg).Run(context.Background(), ss)) {
		byCase[r.Case.ID] = r
	}
	if a := byCase["a"]; a == nil || a.Failed() {
		t.Fatalf("case a: %+v", a)
	}
	if b := byCase["b"]; b == nil || b.ErrorClass != runner.ClassBadRequest || b.Attempts != 0 ||
		!strings.Contains(b.Error, `c.jsonl:2: case "b": image b.png: `) {
		t.Errorf("case b, its image gone: %+v", b)
	}
	reqs := srv.Requests()
	if len(reqs) != 1 {
		t.Fatalf("the server saw %d requests, want 1 (case a's)", len(reqs))
	}
	want, err := ss[0].Messages(testkit.Cases(t, ss[0])[0])
	if err != nil {
		t.Fatal(err)
	}
	var body struct {
		Messages []struct {
			Role    string
			Content json.RawMessage
		}
	}
	if err := json.Unmarshal(reqs[0].Body, &body); err != nil || len(body.Messages) != 2 {
		t.Fatalf("body %s: %v", reqs[0].Body, err)
	}
	if sys := string(body.Messages[0].Content); sys != `"Answer as support."` {
		t.Errorf("system message %s", sys)
	}
	if user := string(body.Messages[1].Content); !strings.Contains(user, `"Ticket: charged twice"`) || !strings.Contains(user, want.Images[0].URL) {
		t.Errorf("user message %s, want the text and %s", user, want.Images[0].URL)
	}
}
