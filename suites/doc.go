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
// Prompt templates are Go text/template over each case's vars. Load renders
// every case once with missingkey=error, so a case that lacks a variable the
// template uses is a load error, not a failed request, and keeps none of the
// text: Suite.Messages renders a case again when it is sent. A loaded suite
// holds its cases (id, vars, reference, metadata, line), not their prompts,
// and reads a cases_file a line at a time, so memory follows the prompts in
// flight rather than the number of cases. Duplicate ids are found through a
// map: loading is linear in the number of cases.
package suites
