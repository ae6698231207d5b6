package deploy

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"testing"

	"github.com/parity-eval/parity/shard"
)

// parseShard reads --shard i/n as parity run does.
func parseShard(v string) (shard.Shard, error) { return shard.Parse(v, nil) }

// autoShard resolves --shard auto from env as parity run does (an unset
// variable reads as "").
func autoShard(env map[string]string) (shard.Shard, error) {
	return shard.Parse(shard.Auto, func(k string) string { return env[k] })
}

// exactlyOnce reports unless specs are 1/n ... n/n, each once, for one n.
func exactlyOnce(specs []shard.Shard) error {
	if len(specs) == 0 {
		return errors.New("no shard runs")
	}
	n := specs[0].Count
	seen := make([]int, n+1)
	var errs []error
	for _, s := range specs {
		if s.Count != n {
			errs = append(errs, fmt.Errorf("shard %v has another count than %v", s, specs[0]))
			continue
		}
		seen[s.Index]++
	}
	for i := 1; i <= n; i++ {
		if seen[i] != 1 {
			errs = append(errs, fmt.Errorf("shard %d/%d runs %d times, want once", i, n, seen[i]))
		}
	}
	return errors.Join(errs...)
}

func TestAutoShard(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		env  map[string]string
		want string // "" for an error
	}{
		{map[string]string{"PARITY_SHARD": "2/4"}, "2/4"},                                                    // explicit, 1-based
		{map[string]string{"PARITY_SHARD": "2/4", "PARITY_SHARD_INDEX": "0", "PARITY_SHARD_COUNT": "4"}, ""}, // two sources disagree
		{map[string]string{"PARITY_SHARD_INDEX": "0", "PARITY_SHARD_COUNT": "4"}, "1/4"},                     // 0-based index
		{map[string]string{"JOB_COMPLETION_INDEX": "3", "PARITY_SHARD_COUNT": "4"}, "4/4"},                   // Kubernetes, 0-based
		{map[string]string{"PARITY_SHARD_INDEX": "1", "JOB_COMPLETION_INDEX": "3", "PARITY_SHARD_COUNT": "4"}, ""},
		{map[string]string{"PARITY_SHARD": "2/4", "PARITY_SHARD_INDEX": "1", "PARITY_SHARD_COUNT": "4"}, "2/4"}, // two sources agree
		{map[string]string{"CI_NODE_INDEX": "1", "CI_NODE_TOTAL": "3"}, "1/3"},                                  // GitLab, 1-based
		{map[string]string{"JOB_COMPLETION_INDEX": "0"}, ""},                                                    // no count
		{map[string]string{"JOB_COMPLETION_INDEX": "4", "PARITY_SHARD_COUNT": "4"}, ""},
		{map[string]string{"CI_NODE_INDEX": "0", "CI_NODE_TOTAL": "3"}, ""}, // GitLab counts from 1
		{map[string]string{"PARITY_SHARD": "0/4"}, ""},
		{map[string]string{"PARITY_SHARD": "4"}, ""},
		{map[string]string{}, ""},
	} {
		got, err := autoShard(c.env)
		switch {
		case c.want == "" && err == nil:
			t.Errorf("autoShard(%v) = %v, want an error", c.env, got)
		case c.want != "" && (err != nil || got.String() != c.want):
			t.Errorf("autoShard(%v) = %v, %v; want %s", c.env, got, err, c.want)
		}
	}
}

func TestExactlyOnce(t *testing.T) {
	t.Parallel()
	ok := []shard.Shard{{Index: 2, Count: 3}, {Index: 1, Count: 3}, {Index: 3, Count: 3}}
	if err := exactlyOnce(ok); err != nil {
		t.Errorf("exactlyOnce(%v) = %v", ok, err)
	}
	sh := func(i, n int) shard.Shard { return shard.Shard{Index: i, Count: n} }
	for _, bad := range [][]shard.Shard{
		nil,                            // nothing runs
		{sh(1, 3), sh(2, 3)},           // one missing
		{sh(1, 2), sh(2, 2), sh(2, 2)}, // one twice
		{sh(1, 2), sh(2, 3)},           // counts disagree
	} {
		if err := exactlyOnce(slices.Clone(bad)); err == nil {
			t.Errorf("exactlyOnce(%v) = nil, want an error", bad)
		}
	}
}

// checkRuns reports unless the runs cover every shard exactly once, are
// told the shard count they are run at, and share one run id, config and
// set of suites, each writing its own output directory.
func checkRuns(runs []shardRun) error {
	specs := make([]shard.Shard, len(runs))
	for i, r := range runs {
		specs[i] = r.Shard
	}
	errs := []error{exactlyOnce(specs)}
	outs := map[string]int{}
	for i, r := range runs {
		if r.Count != strconv.Itoa(len(runs)) {
			errs = append(errs, fmt.Errorf("shard %v: PARITY_SHARD_COUNT is %q, but %d shards run", r.Shard, r.Count, len(runs)))
		}
		if r.Out == "" || r.Out == "." {
			errs = append(errs, fmt.Errorf("shard %v: no --out", r.Shard))
		} else if j, dup := outs[r.Out]; dup {
			errs = append(errs, fmt.Errorf("shards %v and %v both write %s", runs[j].Shard, r.Shard, r.Out))
		}
		outs[r.Out] = i
	}
	for _, f := range []struct {
		flag string
		of   func(shardRun) string
	}{
		{"--run-id", func(r shardRun) string { return r.RunID }},
		{"--config", func(r shardRun) string { return r.Config }},
		{"--suites", func(r shardRun) string { return r.Suites }},
	} {
		errs = append(errs, agree(runs, f.flag, f.of))
	}
	return errors.Join(errs...)
}

// agree reports unless every run has the same, non-empty value of flag.
func agree(runs []shardRun, flag string, of func(shardRun) string) error {
	var errs []error
	for _, r := range runs {
		switch {
		case of(r) == "":
			errs = append(errs, fmt.Errorf("shard %v: no %s", r.Shard, flag))
		case of(r) != of(runs[0]):
			errs = append(errs, fmt.Errorf("shard %v: %s %q, but shard %v has %q", r.Shard, flag, of(r), runs[0].Shard, of(runs[0])))
		}
	}
	return errors.Join(errs...)
}
