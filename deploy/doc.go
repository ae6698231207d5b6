// Package deploy holds nothing to import: it is the home of the tests of
// parity's shipped nightly setups, the GitHub Actions workflow
// (.github/workflows/parity-nightly.yml) and the Kubernetes manifests
// (deploy/kubernetes/). `make ci-lint` checks both with their ecosystems'
// linters (actionlint, kubeconform -strict); the tests here check what a
// linter cannot: that the shards the matrix jobs and the Indexed Job's pods
// run are exactly 1/n ... n/n, once each, with one run id, one config and
// one set of suites, that the shard count the engine runs and the one parity
// is told agree, and that the merge reads every shard's output.
//
// They read the files as data (YAML, then each job's or pod's environment
// and parity command line as the engine would give them), with no network
// and nothing run.
package deploy
