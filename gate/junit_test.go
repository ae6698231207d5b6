package gate

import (
	"bytes"
	"encoding/xml"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/parity-eval/parity/internal/testkit"
	"github.com/parity-eval/parity/results"
)

// junitDoc is the JUnit XML schema as CI systems read it, declared here
// independently of the writer's types.
type junitDoc struct {
	XMLName  xml.Name `xml:"testsuites"`
	Tests    int      `xml:"tests,attr"`
	Failures int      `xml:"failures,attr"`
	Suites   []struct {
		Name     string `xml:"name,attr"`
		Tests    int    `xml:"tests,attr"`
		Failures int    `xml:"failures,attr"`
		Skipped  int    `xml:"skipped,attr"`
		Cases    []struct {
			Classname string `xml:"classname,attr"`
			Name      string `xml:"name,attr"`
			Failure   *struct {
				Message string `xml:"message,attr"`
				Text    string `xml:",chardata"`
			} `xml:"failure"`
			Skipped *struct {
				Message string `xml:"message,attr"`
			} `xml:"skipped"`
		} `xml:"testcase"`
		SystemOut string `xml:"system-out"`
	} `xml:"testsuite"`
}

// parseJUnit parses JUnit XML, failing the test on malformed XML.
func parseJUnit(t *testing.T, data []byte) junitDoc {
	t.Helper()
	var doc junitDoc
	if err := xml.Unmarshal(data, &doc); err != nil {
		t.Fatalf("invalid JUnit XML: %v\n%s", err, data)
	}
	return doc
}

// writeJUnit renders res as JUnit, failing the test on an error.
func writeJUnit(t *testing.T, res *Result) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := res.WriteJUnit(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// goldenJUnitOptions are the defaults with the error check off, so the
// golden input has failed, inconclusive, off and passing checks.
func goldenJUnitOptions() Options {
	o := DefaultOptions()
	o.MaxErrorIncrease = Limit{Off: true}
	return o
}

// TestJUnitParsesBack writes the golden input as JUnit and reads it back:
// one test case per suite and check, failures where the gate failed, each
// failure's reason said once (in its message, not again in its body).
func TestJUnitParsesBack(t *testing.T) {
	t.Parallel()
	data := writeJUnit(t, runGate(t, goldenJUnitOptions(), gateInput(goldenSpecs()...)))
	testkit.Golden(t, "gate.golden.xml", data)
	doc := parseJUnit(t, data)
	skipped := 0
	for _, s := range doc.Suites {
		skipped += s.Skipped
	}
	// Failures: review's score and p95, summarize's coverage, and in
	// migration mode classify's inconclusive score. Skipped: the 4 error
	// checks that are off.
	if len(doc.Suites) != 4 || doc.Tests != 20 || doc.Failures != 4 || skipped != 4 {
		t.Errorf("suites %d tests %d failures %d skipped %d, want 4 20 4 4", len(doc.Suites), doc.Tests, doc.Failures, skipped)
	}
	failed := map[string]string{}
	for _, s := range doc.Suites {
		for _, c := range s.Cases {
			if c.Classname != s.Name {
				t.Errorf("classname %q in suite %q", c.Classname, s.Name)
			}
			if c.Failure == nil {
				continue
			}
			failed[s.Name+"/"+c.Name] = c.Failure.Message
			if body := strings.TrimSpace(c.Failure.Text); body != "" && strings.Contains(c.Failure.Message, body) {
				t.Errorf("%s/%s says its failure twice: message %q, body %q", s.Name, c.Name, c.Failure.Message, body)
			}
		}
	}
	for _, k := range []string{"review-snippet/score", "review-snippet/p95_latency", "classify-ticket/score", "summarize-update/coverage"} {
		if failed[k] == "" {
			t.Errorf("%s did not fail (failures: %v)", k, failed)
		}
	}
	if !strings.Contains(failed["classify-ticket/score"], "inconclusive: ") || !strings.Contains(failed["classify-ticket/score"], "rule of three") {
		t.Errorf("inconclusive message: %q", failed["classify-ticket/score"])
	}
	if !strings.Contains(failed["review-snippet/score"], "harm shown") {
		t.Errorf("score failure message: %q", failed["review-snippet/score"])
	}
}

// TestJUnitNightlySkips: in nightly mode an inconclusive check is skipped
// with its reason, not failed.
func TestJUnitNightlySkips(t *testing.T) {
	t.Parallel()
	o := goldenJUnitOptions()
	o.Mode = ModeNightly
	doc := parseJUnit(t, writeJUnit(t, runGate(t, o, gateInput(goldenSpecs()...))))
	for _, s := range doc.Suites {
		for _, c := range s.Cases {
			if s.Name != "classify-ticket" || c.Name != CheckScore {
				continue
			}
			if c.Failure != nil || c.Skipped == nil || !strings.HasPrefix(c.Skipped.Message, "inconclusive: ") {
				t.Errorf("nightly inconclusive score: failure %v, skipped %v", c.Failure, c.Skipped)
			}
		}
	}
	if doc.Failures != 3 {
		t.Errorf("nightly failures %d, want 3", doc.Failures)
	}
}

// TestJUnitHostileNames checks that names with markup and control
// characters still give well-formed XML.
func TestJUnitHostileNames(t *testing.T) {
	t.Parallel()
	res := runGate(t, DefaultOptions(), hostileInput())
	doc := parseJUnit(t, writeJUnit(t, res))
	if got := doc.Suites[0].Name; !strings.HasPrefix(got, "<suite> & \"x\"") {
		t.Errorf("name read back as %q", got)
	}
	var md bytes.Buffer
	if err := res.WriteMarkdown(&md); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(md.String(), "<suite>") || strings.Contains(md.String(), "<t>") {
		t.Errorf("markdown holds raw markup:\n%s", md.String())
	}
}

// hostileInput is one suite whose name and tag hold markup, quotes, a
// control character and a CDATA end.
func hostileInput() []*results.Row {
	return gateInput(gateSpec{suite: "<suite> & \"x\"\x01]]>", tags: []string{"<t>"}, cases: 12, score: sameScore(1)})
}

// TestJUnitXSD validates the JUnit of representative gates with xmllint
// against the Jenkins xunit plugin's junit-10.xsd, vendored in testdata.
// Without xmllint it skips, unless PARITY_REQUIRE_XMLLINT is set (as
// scripts/junit-xsd.sh, which installs xmllint, sets it for make test).
func TestJUnitXSD(t *testing.T) {
	t.Parallel()
	xmllint, err := exec.LookPath("xmllint")
	if err != nil {
		if os.Getenv("PARITY_REQUIRE_XMLLINT") != "" {
			t.Fatal("PARITY_REQUIRE_XMLLINT is set but xmllint is not installed: run scripts/junit-xsd.sh (it installs Debian's libxml2-utils)")
		}
		t.Skip("xmllint not installed: scripts/junit-xsd.sh installs it and runs this test")
	}
	nightly := goldenJUnitOptions()
	nightly.Mode = ModeNightly
	allOff := DefaultOptions()
	allOff.MaxCostIncrease, allOff.MaxP95Increase, allOff.MaxErrorIncrease = Limit{Off: true}, Limit{Off: true}, Limit{Off: true}
	dir := t.TempDir()
	for _, g := range []struct {
		name string
		o    Options
		rows []*results.Row
	}{
		// Failed, inconclusive (a failure), off and passing checks.
		{"migration", goldenJUnitOptions(), gateInput(goldenSpecs()...)},
		// The inconclusive score skipped.
		{"nightly", nightly, gateInput(goldenSpecs()...)},
		// Every operational check off: skipped with a message.
		{"all-off", allOff, gateInput(goldenSpecs()...)},
		// Markup, quotes and a control character in the names.
		{"hostile", DefaultOptions(), hostileInput()},
	} {
		path := filepath.Join(dir, g.name+".xml")
		if err := os.WriteFile(path, writeJUnit(t, runGate(t, g.o, g.rows)), 0o644); err != nil {
			t.Fatal(err)
		}
		out, err := exec.Command(xmllint, "--noout", "--schema", filepath.Join("testdata", "junit-10.xsd"), path).CombinedOutput()
		if err != nil {
			t.Errorf("%s: not valid against junit-10.xsd: %v\n%s", g.name, err, out)
		}
	}
}
