package shard

import (
	"strings"
	"testing"
)

// env is a map as getenv.
func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestParse(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		spec string
		env  map[string]string
		want Shard
	}{
		// i/n is 1-based.
		{"first of four", "1/4", nil, Shard{1, 4}},
		{"last of four", "4/4", nil, Shard{4, 4}},
		{"whole", "1/1", nil, Whole},
		// PARITY_SHARD comes first and is 1-based.
		{"PARITY_SHARD", "auto", map[string]string{EnvShard: "2/3"}, Shard{2, 3}},
		// A matrix value or strategy.job-index is 0-based.
		{"PARITY_SHARD_INDEX", "auto", map[string]string{EnvIndex: "0", EnvCount: "8"}, Shard{1, 8}},
		// Kubernetes Indexed Jobs count from 0.
		{"JOB_COMPLETION_INDEX", "auto", map[string]string{EnvK8sIndex: "7", EnvCount: "8"}, Shard{8, 8}},
		// GitLab's parallel: counts from 1.
		{"CI_NODE_INDEX", "auto", map[string]string{EnvGitLabNode: "1", EnvGitLabTot: "5"}, Shard{1, 5}},
		// Two sources that agree are one shard.
		{"agreeing sources", "auto", map[string]string{EnvShard: "3/5", EnvGitLabNode: "3", EnvGitLabTot: "5"}, Shard{3, 5}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := Parse(tt.spec, env(tt.env))
			if err != nil || got != tt.want {
				t.Errorf("Parse(%q, %v) = %v, %v; want %v", tt.spec, tt.env, got, err, tt.want)
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		spec string
		env  map[string]string
		want []string // each in the error
	}{
		// 0-based by mistake.
		{"index 0", "0/4", nil, []string{"--shard 0/4", "1 <= i <= 4", "1-based"}},
		{"index past count", "5/4", nil, []string{"--shard 5/4", "1 <= i <= 4"}},
		{"count 0", "1/0", nil, []string{"--shard 1/0", "at least 1"}},
		{"not i/n", "2", nil, []string{`--shard 2`, "want i/n"}},
		{"words", "one/two", nil, []string{"want i/n", "auto"}},
		// auto with nothing set names every variable it reads.
		{"nothing set", "auto", nil, []string{"--shard auto", EnvShard, EnvIndex, EnvCount, EnvK8sIndex, EnvGitLabNode, EnvGitLabTot}},
		// An index without its count.
		{"index without count", "auto", map[string]string{EnvK8sIndex: "2"}, []string{"JOB_COMPLETION_INDEX=2", EnvCount + ", the shard count, is not"}},
		{"gitlab without total", "auto", map[string]string{EnvGitLabNode: "2"}, []string{EnvGitLabTot}},
		// A 1-based value where 0-based is read is out of range.
		{"index past count 0-based", "auto", map[string]string{EnvIndex: "4", EnvCount: "4"}, []string{"PARITY_SHARD_INDEX=4 PARITY_SHARD_COUNT=4", "0-based", "shard 5 of 4"}},
		{"bad PARITY_SHARD", "auto", map[string]string{EnvShard: "3"}, []string{"PARITY_SHARD=3", "want i/n"}},
		{"not a number", "auto", map[string]string{EnvIndex: "x", EnvCount: "4"}, []string{"PARITY_SHARD_INDEX=x", "whole numbers"}},
		// Two sources that disagree: which one is meant is unknown.
		{"disagreeing", "auto", map[string]string{EnvShard: "1/4", EnvK8sIndex: "1", EnvCount: "4"}, []string{"PARITY_SHARD=1/4 says shard 1/4", "JOB_COMPLETION_INDEX=1 PARITY_SHARD_COUNT=4 says 2/4"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := Parse(tt.spec, env(tt.env))
			if err == nil {
				t.Fatalf("Parse(%q, %v) = %v, want an error", tt.spec, tt.env, got)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
		})
	}
}

// FuzzParse: Parse never panics, and what it accepts is in range and
// said back as it was given.
func FuzzParse(f *testing.F) {
	for _, s := range []string{"1/4", "0/0", "auto", "-1/3", "9999999999999999999/1", "3/2"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, spec string) {
		s, err := Parse(spec, env(nil))
		if err != nil {
			return
		}
		if s.Index < 1 || s.Index > s.Count {
			t.Fatalf("Parse(%q) = %v: out of range", spec, s)
		}
		if back, err := Parse(s.String(), env(nil)); err != nil || back != s {
			t.Fatalf("Parse(%q) = %v; its String %q reads back as %v, %v", spec, s, s.String(), back, err)
		}
	})
}
