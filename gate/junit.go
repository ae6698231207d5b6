package gate

import (
	"encoding/xml"
	"fmt"
	"io"
	"math"
	"strings"
)

// junitSuites is the root of a JUnit XML report, valid against the
// Jenkins xunit plugin's junit-10.xsd (gate/testdata/junit-10.xsd), which
// Jenkins, GitLab, GitHub test reporters and Buildkite also read. The
// schema has no skipped count on the root: each suite carries its own.
type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Errors   int          `xml:"errors,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

// junitSuite is one parity suite. The schema requires name, tests,
// failures and errors; a gate has no errors (a broken tool is an exit
// code, not a test case), so errors is always 0.
type junitSuite struct {
	Name       string          `xml:"name,attr"`
	Tests      int             `xml:"tests,attr"`
	Failures   int             `xml:"failures,attr"`
	Errors     int             `xml:"errors,attr"`
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

// junitFailure is a failed check: the reason in Message, said once, and
// in the body only the check's figures (empty when it has none).
type junitFailure struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Text    string `xml:",chardata"`
}

// junitSkipped marks a check that is off, could not judge, or (in
// nightly mode) is inconclusive.
type junitSkipped struct {
	Message string `xml:"message,attr"`
}

// WriteJUnit writes the gate as JUnit XML valid against the Jenkins
// xunit junit-10.xsd: a <testsuite> per parity suite, and in it a
// <testcase> per check (coverage, score, cost, p95_latency, error_rate)
// with classname the suite. A failed check is a <failure> whose message
// is its reason and whose body lists its figures (estimate, bounds,
// level, threshold); a check that is off is <skipped>. An inconclusive
// check is a <failure type="inconclusive"> in migration mode and
// <skipped> in nightly mode. The suite's warnings go in its <system-out>.
func (r *Result) WriteJUnit(w io.Writer) error {
	root := junitSuites{Name: fmt.Sprintf("parity gate: %s vs %s", r.Candidate, r.Baseline)}
	for i := range r.Suites {
		js := junitSuiteOf(r, &r.Suites[i])
		root.Tests += js.Tests
		root.Failures += js.Failures
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
		jc := junitCaseOf(r.Mode, s.Suite, c)
		switch {
		case jc.Failure != nil:
			js.Failures++
		case jc.Skipped != nil:
			js.Skipped++
		}
		js.Tests++
		js.Cases = append(js.Cases, jc)
	}
	return js
}

// junitCaseOf converts one check of suite under mode.
func junitCaseOf(mode Mode, suite string, c Check) junitCase {
	jc := junitCase{Classname: suite, Name: c.Name, Time: "0"}
	switch c.Verdict {
	case Fail:
		jc.Failure = &junitFailure{Message: c.Message, Type: c.Name, Text: junitFigures(c)}
	case Inconclusive:
		// Migration mode blocks on it: a failure of its own type.
		// Nightly mode only warns: skipped, with the reason.
		if mode.Blocks(Inconclusive) {
			jc.Failure = &junitFailure{Message: "inconclusive: " + c.Message, Type: "inconclusive", Text: junitFigures(c)}
		} else {
			jc.Skipped = &junitSkipped{Message: "inconclusive: " + c.Message}
		}
	case Off:
		jc.Skipped = &junitSkipped{Message: "the " + c.Name + " threshold is off"}
	case Skip:
		jc.Skipped = &junitSkipped{Message: c.Message}
	default:
		jc.SystemOut = c.Message
	}
	return jc
}

// junitFigures returns the figures a check was judged by, as
// "estimate -0.48; upper -0.42; threshold -0.03", or "" when it has none:
// the detail of a failure whose reason is already its message.
func junitFigures(c Check) string {
	var out []string
	for _, f := range []struct {
		name string
		v    NullFloat
	}{{"estimate", c.Estimate}, {"lower", c.Lower}, {"upper", c.Upper}, {"level", c.Level}, {"threshold", c.Threshold}} {
		if x := float64(f.v); !math.IsNaN(x) && !math.IsInf(x, 0) {
			out = append(out, fmt.Sprintf("%s %.6g", f.name, x))
		}
	}
	return strings.Join(out, "; ")
}
