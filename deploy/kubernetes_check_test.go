package deploy

import (
	"errors"
	"fmt"
	"path"
	"slices"
	"strings"
	"testing"

	"github.com/parity-eval/parity/shard"
)

// indexedJob returns the manifest's one Indexed Job.
func indexedJob(data []byte) (k8sJob, error) {
	jobs, err := readJobs(data)
	if err != nil {
		return k8sJob{}, err
	}
	var indexed []k8sJob
	for _, j := range jobs {
		if j.Spec.CompletionMode == "Indexed" {
			indexed = append(indexed, j)
		}
	}
	if len(indexed) != 1 {
		return k8sJob{}, fmt.Errorf("%d Indexed Jobs, want one", len(indexed))
	}
	j := indexed[0]
	if j.Spec.Completions == nil || *j.Spec.Completions < 1 {
		return k8sJob{}, fmt.Errorf("job %s: an Indexed Job needs completions", j.Metadata.Name)
	}
	return j, nil
}

// shardPods expands the Indexed Job into what each of its pods, index 0 ..
// completions-1, runs.
func shardPods(j k8sJob) ([]shardRun, error) {
	c, ok := runsK8s(j.Spec.Template.Spec, "run")
	if !ok {
		return nil, fmt.Errorf("job %s runs no parity run", j.Metadata.Name)
	}
	var runs []shardRun
	for i := range *j.Spec.Completions {
		env, err := podEnv(c, i)
		if err != nil {
			return nil, err
		}
		cmd, err := containerCommand(c, env)
		if err != nil {
			return nil, err
		}
		r, err := shardOf(cmd, env)
		if err != nil {
			return nil, fmt.Errorf("job %s, index %d: %w", j.Metadata.Name, i, err)
		}
		runs = append(runs, r)
	}
	return runs, nil
}

// checkKubernetes reports every way the manifests fail to run the whole
// work exactly once, merge all of it and gate it.
func checkKubernetes(shards, merge []byte) error {
	j, err := indexedJob(shards)
	if err != nil {
		return err
	}
	runs, err := shardPods(j)
	if err != nil {
		return err
	}
	errs := []error{checkRuns(runs), checkPodSpec(j)}
	if p := j.Spec.Parallelism; p != nil && (*p < 1 || *p > *j.Spec.Completions) {
		errs = append(errs, fmt.Errorf("parallelism %d: want 1 .. completions (%d)", *p, *j.Spec.Completions))
	}
	if j.Spec.BackoffLimitPerIndex == nil && j.Spec.BackoffLimit == nil {
		errs = append(errs, errors.New("the shards' Job sets neither backoffLimitPerIndex nor backoffLimit"))
	}
	return errors.Join(append(errs, checkK8sMerge(merge, runs))...)
}

// checkK8sMerge reports unless a Job merges exactly the shards' output
// directories, then gates the merged results in nightly mode.
func checkK8sMerge(data []byte, runs []shardRun) error {
	jobs, err := readJobs(data)
	if err != nil {
		return err
	}
	if len(jobs) != 1 {
		return fmt.Errorf("%s: %d Jobs, want the merge's one", mergeManifest, len(jobs))
	}
	j, pod := jobs[0], jobs[0].Spec.Template.Spec
	merge, ok := runsK8s(pod, "merge")
	if !ok || !slices.ContainsFunc(pod.InitContainers, func(c container) bool { return c.Name == merge.Name }) {
		return fmt.Errorf("job %s: no init container runs parity merge (the gate must come after it)", j.Metadata.Name)
	}
	m, err := commandIn(merge)
	if err != nil {
		return err
	}
	dirs := map[shard.Shard]string{}
	for _, r := range runs {
		dirs[r.Shard] = r.Out
	}
	errs := []error{mergesEach(m.Args, dirs), checkPodSpec(j)}
	gate, ok := runsK8s(pod, "gate")
	if !ok || !slices.ContainsFunc(pod.Containers, func(c container) bool { return c.Name == gate.Name }) {
		return errors.Join(append(errs, fmt.Errorf("job %s: no container runs parity gate", j.Metadata.Name))...)
	}
	g, err := commandIn(gate)
	if err != nil {
		return errors.Join(append(errs, err)...)
	}
	if g.flag("mode") != "nightly" {
		errs = append(errs, fmt.Errorf("the gate runs in mode %q, want nightly (fail only on harm shown)", g.flag("mode")))
	}
	if want := path.Join(m.flag("out"), "results.parquet"); !slices.Equal(g.Args, []string{want}) {
		errs = append(errs, fmt.Errorf("the gate reads %q, want the merged %s", g.Args, want))
	}
	return errors.Join(errs...)
}

// commandIn is the parity command a container of a Job that is not indexed
// runs.
func commandIn(c container) (command, error) {
	env, err := podEnv(c, -1)
	if err != nil {
		return command{}, err
	}
	return containerCommand(c, env)
}

// checkPodSpec reports a container of the Job that may run as root, write
// its root file system or escalate privileges, has no memory request and
// limit, or is given a key other than from a Secret.
func checkPodSpec(j k8sJob) error {
	p := j.Spec.Template.Spec
	var errs []error
	for _, c := range slices.Concat(p.InitContainers, p.Containers) {
		where := fmt.Sprintf("job %s, container %s", j.Metadata.Name, c.Name)
		sc := c.SecurityContext
		if !isTrue(sc.RunAsNonRoot) && !isTrue(p.SecurityContext.RunAsNonRoot) {
			errs = append(errs, fmt.Errorf("%s: may run as root (runAsNonRoot)", where))
		}
		if !isTrue(sc.ReadOnlyRootFilesystem) || sc.AllowPrivilegeEscalation == nil || *sc.AllowPrivilegeEscalation {
			errs = append(errs, fmt.Errorf("%s: wants readOnlyRootFilesystem: true and allowPrivilegeEscalation: false", where))
		}
		if c.Resources.Requests["memory"] == nil || c.Resources.Limits["memory"] == nil {
			errs = append(errs, fmt.Errorf("%s: no memory request and limit", where))
		}
		for _, e := range c.Env {
			upper := strings.ToUpper(e.Name)
			secretLike := strings.Contains(upper, "KEY") || strings.Contains(upper, "TOKEN") || strings.Contains(upper, "SECRET")
			if secretLike && (e.ValueFrom == nil || e.ValueFrom.SecretKeyRef == nil) {
				errs = append(errs, fmt.Errorf("%s: %s is not from a Secret", where, e.Name))
			}
		}
	}
	return errors.Join(errs...)
}

func isTrue(b *bool) bool { return b != nil && *b }

func TestKubernetesRunsEveryShardOnce(t *testing.T) {
	t.Parallel()
	shards, merge := readFile(t, shardsManifest), readFile(t, mergeManifest)
	if err := checkKubernetes(shards, merge); err != nil {
		t.Fatal(err)
	}
	j, _ := indexedJob(shards)
	runs, _ := shardPods(j)
	for _, r := range runs {
		t.Logf("pod shard %v: --run-id %s --config %s --suites %s --out %s", r.Shard, r.RunID, r.Config, r.Suites, r.Out)
	}
}

func TestKubernetesCheckCatches(t *testing.T) {
	t.Parallel()
	shards, merge := readFile(t, shardsManifest), readFile(t, mergeManifest)
	for _, c := range []struct {
		mutation
		inMerge bool // the edit is to the merge's manifest
	}{
		{mutation{"more pods than the count", "completions: 4", "completions: 5", "index 4: --shard auto: JOB_COMPLETION_INDEX=4 PARITY_SHARD_COUNT=4 (JOB_COMPLETION_INDEX is 0-based): shard 5 of 4: want 1 <= i <= 4"}, false},
		{mutation{"a count below completions", `value: "4"`, `value: "3"`, "shard 4 of 3: want 1 <= i <= 3"}, false},
		{mutation{"a count above completions", `value: "4"`, `value: "5"`, `PARITY_SHARD_COUNT is "5", but 4 shards run`}, false},
		{mutation{"a fixed shard", "- --shard\n            - auto", "- --shard\n            - 2/4", "shard 2/4 runs 4 times"}, false},
		{mutation{"a run id per pod", "- --run-id\n            - $(PARITY_RUN_ID)", "- --run-id\n            - $(JOB_COMPLETION_INDEX)", "--run-id"}, false},
		{mutation{"outputs in one directory", "/shard-$(JOB_COMPLETION_INDEX)", "/shard", "both write"}, false},
		{mutation{"an index from elsewhere", "metadata.annotations['batch.kubernetes.io/job-completion-index']", "metadata.name", "does not resolve"}, false},
		{mutation{"no retry limit", "  backoffLimitPerIndex: 2\n", "", "neither backoffLimitPerIndex"}, false},
		{mutation{"more parallel pods than indexes", "parallelism: 4", "parallelism: 8", "parallelism 8"}, false},
		{mutation{"a writable root", "readOnlyRootFilesystem: true", "readOnlyRootFilesystem: false", "readOnlyRootFilesystem"}, false},
		{mutation{"a key in the manifest", "            - name: OPENAI_API_KEY\n              valueFrom:\n                secretKeyRef:\n                  name: parity-keys\n                  key: OPENAI_API_KEY", "            - name: OPENAI_API_KEY\n              value: sk-not-a-secret", "OPENAI_API_KEY is not from a Secret"}, false},
		{mutation{"a shard not merged", "            - /data/runs/$(PARITY_RUN_ID)/shard-3\n", "", "merged 0 times"}, true},
		{mutation{"a shard merged twice", "shard-3\n", "shard-3\n            - /data/runs/$(PARITY_RUN_ID)/shard-0\n", "merged 2 times"}, true},
		{mutation{"another run's shards", "value: ${RUN_ID}", "value: ${OTHER_RUN}", "no shard's output"}, true},
		{mutation{"the gate in migration mode", "- nightly", "- migration", "want nightly"}, true},
		{mutation{"the gate on one shard", "            - /data/runs/$(PARITY_RUN_ID)/merged/results.parquet", "            - /data/runs/$(PARITY_RUN_ID)/shard-0/results.parquet", "want the merged"}, true},
		{mutation{"the merge beside the gate", "      initContainers:\n", "      ephemeralContainers:\n", "no init container runs parity merge"}, true},
	} {
		s, m := shards, merge
		if c.inMerge {
			m = mutate(t, merge, c.mutation)
		} else {
			s = mutate(t, shards, c.mutation)
		}
		err := checkKubernetes(s, m)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: checkKubernetes = %v, want an error saying %q", c.name, err, c.want)
		}
	}
}
