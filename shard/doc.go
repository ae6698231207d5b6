// Package shard splits one run over several machines. A run's work is its
// cases, each with all of its providers and repeats (so a case's baseline
// and candidate rows land together and paired statistics hold); Plan
// deals the cases out to n shards by their expected cost, the same on
// every machine, and Share keeps one shard's part of the suites.
//
// Parse reads a shard from `--shard i/n` or, for `--shard auto`, from the
// environment of the engine that runs the shards:
//
//	PARITY_SHARD=i/n                        1-based, any engine
//	PARITY_SHARD_INDEX + PARITY_SHARD_COUNT 0-based (a GitHub Actions matrix value, strategy.job-index)
//	JOB_COMPLETION_INDEX + PARITY_SHARD_COUNT 0-based (Kubernetes Indexed Jobs)
//	CI_NODE_INDEX + CI_NODE_TOTAL           1-based (GitLab parallel:)
//
// Limits divides each provider's requests and tokens per minute among the
// shards, so that n shards together stay within what the provider allows,
// and Fingerprint names the work a shard belongs to, so that parity merge
// can refuse shards of different runs.
package shard
