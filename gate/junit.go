package gate

import (
	"encoding/xml"
	"fmt"
	"io"
	"strings"
)

// junitSuites is the root of a JUnit XML report, in the form Jenkins,
// GitLab, GitHub test reporters and Buildkite read.
type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Skipped  int          `xml:"skipped,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

// junitSuite is one parity suite.
type junitSuite struct {
	Name       string          `xml:"name,attr"`
	Tests      int             `xml:"tests,attr"`
	Failures   int             `xml:"failures,attr"`
	Skipped    int             `xml:"skipped,attr"`
	Properties []junitProperty `xml:"properties>property"`
	Cases      []junitCase     `xml:"testcase"`
	SystemOut  string          `xml:"system-out,omitempty"`
}

// junitProperty is a name and a value.
type junitProperty struct {
	Name  string `xml:"name,attr"`
	Value string `xml:"value,attr"`
}

// junitCase is one check of one suite.
type junitCase struct {
	Classname string        `xml:"classname,attr"`
	Name      string        `xml:"name,attr"`
	Time      string        `xml:"time,attr"`
	Failure   *junitFailure `xml:"failure,omitempty"`
	Skipped   *junitSkipped `xml:"skipped,omitempty"`
	SystemOut string        `xml:"system-out,omitempty"`
}

// junitFailure is a failed check: the message, and the details as text.
type junitFailure struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Text    string `xml:",chardata"`
}

// junitSkipped marks a check that is off.
type junitSkipped struct {
	Message string `xml:"message,attr"`
}

// WriteJUnit writes the gate as JUnit XML: a <testsuite> per parity
// suite, and in it a <testcase> per check (coverage, score, cost,
// p95_latency, error_rate) with classname the suite: a failed check is a
// <failure> with its reason, a check that is off is <skipped>. The
// suite's warnings go in its <system-out>.
func (r *Result) WriteJUnit(w io.Writer) error {
	root := junitSuites{Name: fmt.Sprintf("parity gate: %s vs %s", r.Candidate, r.Baseline)}
	for i := range r.Suites {
		js := junitSuiteOf(r, &r.Suites[i])
		root.Tests += js.Tests
		root.Failures += js.Failures
		root.Skipped += js.Skipped
		root.Suites = append(root.Suites, js)
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(root); err != nil {
		return fmt.Errorf("junit: %w", err)
	}
	_, err := io.WriteString(w, "\n")
	return err
}

// junitSuiteOf converts one suite.
func junitSuiteOf(r *Result, s *Suite) junitSuite {
	js := junitSuite{Name: s.Suite, Properties: []junitProperty{
		{"baseline", r.Baseline}, {"candidate", r.Candidate}, {"tags", strings.Join(s.Tags, ",")},
		{"margin", fmt.Sprint(r.Margin)}, {"verdict", string(s.Verdict)},
	}}
	if len(s.Warnings) > 0 {
		js.SystemOut = "warnings:\n" + strings.Join(s.Warnings, "\n")
	}
	for _, c := range s.Checks {
		jc := junitCase{Classname: s.Suite, Name: c.Name, Time: "0"}
		switch c.Verdict {
		case Fail:
			jc.Failure = &junitFailure{Message: c.Message, Type: c.Name, Text: c.Message}
			js.Failures++
		case Inconclusive:
			// Migration mode blocks on it: a failure of its own type.
			// Nightly mode only warns: skipped, with the reason.
			if r.Mode.Blocks(Inconclusive) {
				jc.Failure = &junitFailure{Message: "inconclusive: " + c.Message, Type: "inconclusive", Text: c.Message}
				js.Failures++
			} else {
				jc.Skipped = &junitSkipped{Message: "inconclusive: " + c.Message}
				js.Skipped++
			}
		case Off:
			jc.Skipped = &junitSkipped{Message: "the " + c.Name + " threshold is off"}
			js.Skipped++
		case Skip:
			jc.Skipped = &junitSkipped{Message: c.Message}
			js.Skipped++
		default:
			jc.SystemOut = c.Message
		}
		js.Tests++
		js.Cases = append(js.Cases, jc)
	}
	return js
}
