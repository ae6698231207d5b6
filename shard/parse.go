package shard

import (
	"fmt"
	"strconv"
	"strings"
)

// Shard is one of Count parts of a run; Index is 1-based. The zero Shard
// and 1/1 are the whole run.
type Shard struct {
	Index, Count int
}

// Whole is the unsharded run.
var Whole = Shard{Index: 1, Count: 1}

// String is the shard as --shard takes it: "i/n".
func (s Shard) String() string { return fmt.Sprintf("%d/%d", s.Index, s.Count) }

// Sharded reports whether s is one part of several.
func (s Shard) Sharded() bool { return s.Count > 1 }

// Auto is the --shard value that reads the shard from the environment.
const Auto = "auto"

// The environment variables Parse reads for Auto, in the order it tries
// them.
const (
	EnvShard      = "PARITY_SHARD"
	EnvIndex      = "PARITY_SHARD_INDEX"
	EnvCount      = "PARITY_SHARD_COUNT"
	EnvK8sIndex   = "JOB_COMPLETION_INDEX"
	EnvGitLabNode = "CI_NODE_INDEX"
	EnvGitLabTot  = "CI_NODE_TOTAL"
)

// Parse reads a shard from spec, "i/n" (1 <= i <= n) or Auto; getenv
// (os.Getenv) answers Auto's variables. An error says what is allowed,
// and for Auto which variables were read.
func Parse(spec string, getenv func(string) string) (Shard, error) {
	if spec != Auto {
		return parseSpec(spec, "--shard "+spec)
	}
	var found []source
	for _, read := range sources {
		src, ok, err := read(getenv)
		if err != nil {
			return Shard{}, err
		}
		if ok {
			found = append(found, src)
		}
	}
	if len(found) == 0 {
		return Shard{}, fmt.Errorf("--shard auto: none of %s is set: set %s=i/n, or %s (0-based) with %s, or run it as a Kubernetes Indexed Job (%s) or a GitLab parallel job (%s, %s)",
			strings.Join([]string{EnvShard, EnvIndex, EnvK8sIndex, EnvGitLabNode}, ", "), EnvShard, EnvIndex, EnvCount, EnvK8sIndex, EnvGitLabNode, EnvGitLabTot)
	}
	for _, f := range found[1:] {
		if f.shard != found[0].shard {
			return Shard{}, fmt.Errorf("--shard auto: %s says shard %s but %s says %s: unset one", found[0].vars, found[0].shard, f.vars, f.shard)
		}
	}
	return found[0].shard, nil
}

// parseSpec reads "i/n"; what says where it came from.
func parseSpec(spec, what string) (Shard, error) {
	is, ns, ok := strings.Cut(spec, "/")
	i, ierr := strconv.Atoi(strings.TrimSpace(is))
	n, nerr := strconv.Atoi(strings.TrimSpace(ns))
	if !ok || ierr != nil || nerr != nil {
		return Shard{}, fmt.Errorf("%s: want i/n (1 <= i <= n, 1-based: 1/4 to 4/4) or auto", what)
	}
	return check(Shard{Index: i, Count: n}, what)
}

// check refuses a shard out of range; what names where it came from.
func check(s Shard, what string) (Shard, error) {
	switch {
	case s.Count < 1:
		return Shard{}, fmt.Errorf("%s: the shard count must be at least 1, got %d", what, s.Count)
	case s.Index < 1 || s.Index > s.Count:
		return Shard{}, fmt.Errorf("%s: shard %d of %d: want 1 <= i <= %d (1-based)", what, s.Index, s.Count, s.Count)
	}
	return s, nil
}

// source is a shard found in the environment, and the variables that
// said it.
type source struct {
	shard Shard
	vars  string
}

// sources read the environment's variables in Parse's order: each says
// whether its variables are set, and refuses them when they are set
// badly.
var sources = []func(getenv func(string) string) (source, bool, error){
	func(getenv func(string) string) (source, bool, error) {
		v := getenv(EnvShard)
		if v == "" {
			return source{}, false, nil
		}
		s, err := parseSpec(v, "--shard auto: "+EnvShard+"="+v)
		return source{s, EnvShard + "=" + v}, err == nil, err
	},
	indexed(EnvIndex, EnvCount, 0),
	indexed(EnvK8sIndex, EnvCount, 0),
	indexed(EnvGitLabNode, EnvGitLabTot, 1),
}

// indexed reads a shard from an index variable (base 0 or 1) and a count
// variable.
func indexed(index, count string, base int) func(getenv func(string) string) (source, bool, error) {
	return func(getenv func(string) string) (source, bool, error) {
		iv := getenv(index)
		if iv == "" {
			return source{}, false, nil
		}
		vars := index + "=" + iv
		cv := getenv(count)
		if cv == "" {
			return source{}, false, fmt.Errorf("--shard auto: %s is set but %s, the shard count, is not: set %s to the number of shards", vars, count, count)
		}
		vars += " " + count + "=" + cv
		i, ierr := strconv.Atoi(strings.TrimSpace(iv))
		n, nerr := strconv.Atoi(strings.TrimSpace(cv))
		if ierr != nil || nerr != nil {
			return source{}, false, fmt.Errorf("--shard auto: %s: want whole numbers (%s is %d-based)", vars, index, base)
		}
		s, err := check(Shard{Index: i - base + 1, Count: n}, "--shard auto: "+vars+fmt.Sprintf(" (%s is %d-based)", index, base))
		return source{s, vars}, err == nil, err
	}
}
