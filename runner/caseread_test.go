package runner_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/parity-eval/parity/internal/testkit"
	"github.com/parity-eval/parity/runner"
)

// TestCasesFileChangedStopsRun checks a run whose cases_file changes
// after its suite was loaded sends every case before the changed line,
// to every provider, then stops at it and says why (Err), over loopback
// HTTP: no provider is sent the case the line now holds, nor any after.
func TestCasesFileChangedStopsRun(t *testing.T) {
	t.Parallel()
	var lines strings.Builder
	for i := range 20 {
		fmt.Fprintf(&lines, `{"id": "c%02d", "vars": {"text": "ticket %02d"}, "reference": "bug"}`+"\n", i, i)
	}
	ss, dir := testkit.LoadSuite(t, map[string]string{
		"s.yaml":  "name: s\ntags: [classify]\nprompt: {user: 'Ticket: {{.text}}'}\ncases_file: c.jsonl\nchecks: [{type: contains}]\n",
		"c.jsonl": lines.String(),
	})
	_, cfg := twoSerial(t, ss)
	// Case c10, on line 11, now says something else, as long as it was.
	edited := strings.Replace(lines.String(), `"ticket 10"`, `"ticket XX"`, 1)
	if err := os.WriteFile(filepath.Join(dir, "c.jsonl"), []byte(edited), 0o644); err != nil {
		t.Fatal(err)
	}
	r := runner.New(cfg)
	if n := r.Planned(ss); n != 40 {
		t.Fatalf("planned %d results, want 40", n)
	}
	got := map[string][]string{}
	for _, res := range collect(r.Run(context.Background(), ss)) {
		got[res.Provider.ID] = append(got[res.Provider.ID], res.Case.ID)
		if res.ErrorClass != "" {
			t.Errorf("%s %s: %s %s", res.Provider.ID, res.Case.ID, res.ErrorClass, res.Error)
		}
	}
	for _, p := range []string{"sim-frontier", "sim-mini"} {
		if len(got[p]) != 10 || got[p][0] != "c00" || got[p][9] != "c09" {
			t.Errorf("%s got cases %v, want c00 to c09", p, got[p])
		}
	}
	if err := r.Err(); err == nil || !strings.Contains(err.Error(), "c.jsonl:11") || !strings.Contains(err.Error(), "changed since") {
		t.Errorf("Err() = %v, want the changed line named", err)
	}
}
