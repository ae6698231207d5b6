// Package suites reads what a parity run is made of: the run configuration
// (parity.yaml: providers, the embedder, the judge, the baseline) and the
// prompt-template suites (cases, tags, references, checks).
//
// Everything is validated when it is loaded, before any request is sent.
// Every error names the file and line of the offending node and says what
// to fix, for example:
//
//	suites/examples/extract.yaml:14: check 2: unknown type "jsonschema" (want one of contains, equals, regex, json_schema, similarity, judge)
//
// Prompt templates are Go text/template over each case's vars. They are
// rendered for every case at load time with missingkey=error, so a case that
// lacks a variable the template uses is a load error, not a failed request.
package suites
