package deploy

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// shard is one share of a run: the I-th (1-based) of N.
type shard struct{ I, N int }

func (s shard) String() string { return fmt.Sprintf("%d/%d", s.I, s.N) }

// parseShard reads "i/n", 1-based.
func parseShard(v string) (shard, error) {
	i, n, ok := strings.Cut(v, "/")
	if !ok {
		return shard{}, fmt.Errorf("shard %q: want i/n", v)
	}
	return newShard(i, n, 1)
}

// newShard is shard index of count, where index counts from base.
func newShard(index, count string, base int) (shard, error) {
	i, err1 := strconv.Atoi(index)
	n, err2 := strconv.Atoi(count)
	if err := errors.Join(err1, err2); err != nil {
		return shard{}, fmt.Errorf("shard %s of %s: %w", index, count, err)
	}
	s := shard{I: i + 1 - base, N: n}
	if s.N < 1 || s.I < 1 || s.I > s.N {
		return shard{}, fmt.Errorf("shard %s of %s (counting from %d): out of range", index, count, base)
	}
	return s, nil
}

// autoShard resolves `parity run --shard auto` from the environment, by
// the contract the sharding change implements: PARITY_SHARD ("i/n"), else
// PARITY_SHARD_INDEX (0-based) with PARITY_SHARD_COUNT, else Kubernetes'
// JOB_COMPLETION_INDEX (0-based) with PARITY_SHARD_COUNT, else GitLab's
// CI_NODE_INDEX (1-based) with CI_NODE_TOTAL. It stands in for parity's own
// resolver until that lands; then this function becomes a call to it.
func autoShard(env map[string]string) (shard, error) {
	if v, ok := env["PARITY_SHARD"]; ok {
		return parseShard(v)
	}
	count, hasCount := env["PARITY_SHARD_COUNT"]
	for _, index := range []string{"PARITY_SHARD_INDEX", "JOB_COMPLETION_INDEX"} {
		if v, ok := env[index]; ok {
			if !hasCount {
				return shard{}, fmt.Errorf("%s is set but PARITY_SHARD_COUNT is not", index)
			}
			return newShard(v, count, 0)
		}
	}
	if v, ok := env["CI_NODE_INDEX"]; ok {
		return newShard(v, env["CI_NODE_TOTAL"], 1)
	}
	return shard{}, errors.New("--shard auto: no shard in the environment")
}

// exactlyOnce reports unless specs are 1/n ... n/n, each once, for one n.
func exactlyOnce(specs []shard) error {
	if len(specs) == 0 {
		return errors.New("no shard runs")
	}
	n := specs[0].N
	seen := make([]int, n+1)
	var errs []error
	for _, s := range specs {
		if s.N != n {
			errs = append(errs, fmt.Errorf("shard %v has another count than %v", s, specs[0]))
			continue
		}
		seen[s.I]++
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
		{map[string]string{"PARITY_SHARD": "2/4"}, "2/4"},                                                       // explicit, 1-based
		{map[string]string{"PARITY_SHARD": "2/4", "PARITY_SHARD_INDEX": "0", "PARITY_SHARD_COUNT": "4"}, "2/4"}, // PARITY_SHARD first
		{map[string]string{"PARITY_SHARD_INDEX": "0", "PARITY_SHARD_COUNT": "4"}, "1/4"},                        // 0-based index
		{map[string]string{"JOB_COMPLETION_INDEX": "3", "PARITY_SHARD_COUNT": "4"}, "4/4"},                      // Kubernetes, 0-based
		{map[string]string{"PARITY_SHARD_INDEX": "1", "JOB_COMPLETION_INDEX": "3", "PARITY_SHARD_COUNT": "4"}, "2/4"},
		{map[string]string{"CI_NODE_INDEX": "1", "CI_NODE_TOTAL": "3"}, "1/3"}, // GitLab, 1-based
		{map[string]string{"JOB_COMPLETION_INDEX": "0"}, ""},                   // no count
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
	ok := []shard{{2, 3}, {1, 3}, {3, 3}}
	if err := exactlyOnce(ok); err != nil {
		t.Errorf("exactlyOnce(%v) = %v", ok, err)
	}
	for _, bad := range [][]shard{
		nil,                      // nothing runs
		{{1, 3}, {2, 3}},         // one missing
		{{1, 2}, {2, 2}, {2, 2}}, // one twice
		{{1, 2}, {2, 3}},         // counts disagree
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
	specs := make([]shard, len(runs))
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
