package gate

import (
	"bytes"
	"encoding/xml"
	"strings"
	"testing"
)

// junitDoc is the JUnit XML schema as CI systems read it, declared here
// independently of the writer's types.
type junitDoc struct {
	XMLName  xml.Name `xml:"testsuites"`
	Tests    int      `xml:"tests,attr"`
	Failures int      `xml:"failures,attr"`
	Skipped  int      `xml:"skipped,attr"`
	Suites   []struct {
		Name     string `xml:"name,attr"`
		Tests    int    `xml:"tests,attr"`
		Failures int    `xml:"failures,attr"`
		Cases    []struct {
			Classname string `xml:"classname,attr"`
			Name      string `xml:"name,attr"`
			Failure   *struct {
				Message string `xml:"message,attr"`
				Text    string `xml:",chardata"`
			} `xml:"failure"`
			Skipped *struct{} `xml:"skipped"`
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

// TestJUnitParsesBack writes the golden input as JUnit and reads it back:
// one test case per suite and check, failures where the gate failed.
func TestJUnitParsesBack(t *testing.T) {
	t.Parallel()
	o := DefaultOptions()
	o.MaxErrorIncrease = Limit{Off: true}
	res := runGate(t, o, gateInput(goldenSpecs()...))
	var b bytes.Buffer
	if err := res.WriteJUnit(&b); err != nil {
		t.Fatal(err)
	}
	doc := parseJUnit(t, b.Bytes())
	// Failures: review's score and p95, summarize's coverage, and in
	// migration mode classify's inconclusive score. Skipped: the 4 error
	// checks that are off.
	if len(doc.Suites) != 4 || doc.Tests != 20 || doc.Failures != 4 || doc.Skipped != 4 {
		t.Errorf("suites %d tests %d failures %d skipped %d, want 4 20 4 4", len(doc.Suites), doc.Tests, doc.Failures, doc.Skipped)
	}
	failed := map[string]string{}
	for _, s := range doc.Suites {
		for _, c := range s.Cases {
			if c.Classname != s.Name {
				t.Errorf("classname %q in suite %q", c.Classname, s.Name)
			}
			if c.Failure != nil {
				failed[s.Name+"/"+c.Name] = c.Failure.Message
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

// TestJUnitHostileNames checks that names with markup and control
// characters still give well-formed XML.
func TestJUnitHostileNames(t *testing.T) {
	t.Parallel()
	name := "<suite> & \"x\"\x01]]>"
	res := runGate(t, DefaultOptions(), gateInput(gateSpec{suite: name, tags: []string{"<t>"}, cases: 12, score: sameScore(1)}))
	var b bytes.Buffer
	if err := res.WriteJUnit(&b); err != nil {
		t.Fatal(err)
	}
	doc := parseJUnit(t, b.Bytes())
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
