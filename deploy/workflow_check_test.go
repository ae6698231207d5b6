package deploy

import (
	"errors"
	"fmt"
	"path"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/parity-eval/parity/shard"
)

// checkWorkflow reports every way the workflow fails to run the whole work
// exactly once and merge and gate all of it.
func checkWorkflow(data []byte) error {
	wf, err := decodeWorkflow(data)
	if err != nil {
		return err
	}
	shardsJob, runs, err := shardRuns(wf)
	if err != nil {
		return err
	}
	errs := []error{checkRuns(runs), checkArtifacts(runs), checkSecrets(wf), checkPaths(wf, runs[0])}
	if strings.Contains(runs[0].RunID, "run_attempt") {
		errs = append(errs, fmt.Errorf("--run-id %s changes when a failed shard is re-run", runs[0].RunID))
	}
	merged, err := checkWorkflowMerge(wf, shardsJob, runs)
	if err != nil {
		return errors.Join(append(errs, err)...)
	}
	return errors.Join(append(errs, checkWorkflowGate(wf, merged))...)
}

// checkArtifacts reports a shard whose output is not uploaded, or uploaded
// under another shard's name.
func checkArtifacts(runs []shardRun) error {
	var errs []error
	seen := map[string]bool{}
	for _, r := range runs {
		switch {
		case r.Artifact == "":
			errs = append(errs, fmt.Errorf("shard %v: no step uploads its --out %s", r.Shard, r.Out))
		case seen[r.Artifact]:
			errs = append(errs, fmt.Errorf("shard %v: artifact %s is another shard's too", r.Shard, r.Artifact))
		}
		seen[r.Artifact] = true
	}
	return errors.Join(errs...)
}

// checkWorkflowMerge reports unless the merge job runs after the shards
// even when one failed, downloads every shard's artifact, and merges each
// exactly once. It returns the merge's --out.
func checkWorkflowMerge(wf workflow, shardsJob string, runs []shardRun) (string, error) {
	name, err := jobRunning(wf, "merge")
	if err != nil {
		return "", err
	}
	j := wf.Jobs[name]
	var errs []error
	if !slices.Contains(needsOf(j.Needs), shardsJob) {
		errs = append(errs, fmt.Errorf("job %s does not need %s", name, shardsJob))
	}
	if !strings.Contains(j.If, "always()") && !strings.Contains(j.If, "!cancelled()") {
		errs = append(errs, fmt.Errorf("job %s (if: %q) is skipped when a shard fails", name, j.If))
	}
	dirs, err := downloaded(j, runs)
	if err != nil {
		return "", errors.Join(append(errs, err)...)
	}
	c, _, err := parityStep(wf, j, "merge", nil)
	if err != nil {
		return "", errors.Join(append(errs, err)...)
	}
	errs = append(errs, mergesEach(c.Args, dirs))
	return c.flag("out"), errors.Join(errs...)
}

// needsOf is a job's needs: one name or a list.
func needsOf(v any) []string {
	switch n := v.(type) {
	case string:
		return []string{n}
	case []any:
		var names []string
		for _, x := range n {
			names = append(names, fmt.Sprint(x))
		}
		return names
	}
	return nil
}

// downloaded returns where the job's download step puts each shard's
// artifact.
func downloaded(j ghJob, runs []shardRun) (map[shard.Shard]string, error) {
	i := slices.IndexFunc(j.Steps, func(s ghStep) bool { return strings.HasPrefix(s.Uses, "actions/download-artifact@") })
	if i < 0 {
		return nil, errors.New("the merge job downloads no artifact")
	}
	with := j.Steps[i].With
	pattern, _ := with["pattern"].(string)
	dir, _ := with["path"].(string)
	if with["merge-multiple"] == true {
		return nil, errors.New("merge-multiple puts every shard's files in one directory")
	}
	var errs []error
	dirs := map[shard.Shard]string{}
	for _, r := range runs {
		if ok, _ := path.Match(pattern, r.Artifact); !ok || pattern == "" {
			errs = append(errs, fmt.Errorf("shard %v: artifact %s is not downloaded (pattern %q)", r.Shard, r.Artifact, pattern))
		}
		dirs[r.Shard] = path.Join(dir, r.Artifact)
	}
	return dirs, errors.Join(errs...)
}

// mergesEach reports unless each shard's directory is matched by exactly
// one of the merge's arguments (paths or globs), and each argument matches
// a shard.
func mergesEach(args []string, dirs map[shard.Shard]string) error {
	var errs []error
	used := make([]bool, len(args))
	for s, d := range dirs {
		n := 0
		for i, a := range args {
			if ok, _ := path.Match(path.Clean(a), d); ok {
				n, used[i] = n+1, true
			}
		}
		if n != 1 {
			errs = append(errs, fmt.Errorf("shard %v: its output %s is merged %d times, want once", s, d, n))
		}
	}
	for i, a := range args {
		if !used[i] {
			errs = append(errs, fmt.Errorf("parity merge reads %s, which is no shard's output", a))
		}
	}
	return errors.Join(errs...)
}

// checkWorkflowGate reports unless the gate runs in nightly mode on the
// merged results, fails its step on a failed gate, and its Markdown is
// appended to the job summary whatever the verdict.
func checkWorkflowGate(wf workflow, merged string) error {
	name, err := jobRunning(wf, "gate")
	if err != nil {
		return err
	}
	j := wf.Jobs[name]
	c, s, err := parityStep(wf, j, "gate", nil)
	if err != nil {
		return err
	}
	var errs []error
	if c.flag("mode") != "nightly" {
		errs = append(errs, fmt.Errorf("the gate runs in mode %q, want nightly (fail only on harm shown)", c.flag("mode")))
	}
	if want := path.Join(merged, "results.parquet"); !slices.Equal(c.Args, []string{want}) {
		errs = append(errs, fmt.Errorf("the gate reads %q, want the merged %s", c.Args, want))
	}
	if s.ContinueOnError != nil || strings.Contains(s.Run, "||") {
		errs = append(errs, errors.New("the gate's step does not fail on a failed gate"))
	}
	md := ""
	for _, o := range c.Flags["out"] {
		if f, ok := strings.CutPrefix(o, "markdown="); ok {
			md = f
		}
	}
	at := slices.IndexFunc(j.Steps, func(x ghStep) bool { return x.Run == s.Run })
	appends := regexp.MustCompile(`cat "?` + regexp.QuoteMeta(md) + `"? >> "?\$GITHUB_STEP_SUMMARY"?`)
	summary := slices.IndexFunc(j.Steps, func(x ghStep) bool { return md != "" && appends.MatchString(x.Run) })
	if summary < 0 || summary < at || !strings.Contains(j.Steps[summary].If, "always()") {
		errs = append(errs, fmt.Errorf("no step after the gate appends its Markdown (%q) to $GITHUB_STEP_SUMMARY with if: always()", md))
	}
	return errors.Join(errs...)
}

// checkSecrets reports a secret that reaches more than the parity run
// step's environment, and any expression interpolated into a script.
func checkSecrets(wf workflow) error {
	var errs []error
	scope := func(where string, env map[string]any) {
		for k, v := range env {
			if strings.Contains(fmt.Sprint(v), "secrets.") {
				errs = append(errs, fmt.Errorf("%s: %s holds a secret: give it to the parity run step only", where, k))
			}
		}
	}
	scope("the workflow's env", wf.Env)
	for name, j := range wf.Jobs {
		scope("job "+name+"'s env", j.Env)
		for _, s := range j.Steps {
			if !runsParity(s, "run") {
				scope(fmt.Sprintf("job %s, step %q", name, s.Name), s.Env)
			}
			if strings.Contains(s.Run, "${{") || strings.Contains(fmt.Sprint(s.With), "secrets.") {
				errs = append(errs, fmt.Errorf("job %s, step %q: pass values to scripts and actions through env, not ${{ }} or secrets in with", name, s.Name))
			}
		}
	}
	return errors.Join(errs...)
}

// checkPaths reports a pull request path filter that misses the config or
// the suites the shards run.
func checkPaths(wf workflow, r shardRun) error {
	var errs []error
	for _, want := range []string{r.Config, path.Join(r.Suites, "**"), ".github/workflows/parity-nightly.yml"} {
		if !slices.Contains(wf.On.PullRequest.Paths, want) {
			errs = append(errs, fmt.Errorf("pull_request paths %q lack %s: a change there would not run", wf.On.PullRequest.Paths, want))
		}
	}
	return errors.Join(errs...)
}

func TestWorkflowRunsEveryShardOnce(t *testing.T) {
	t.Parallel()
	data := readFile(t, workflowFile)
	if err := checkWorkflow(data); err != nil {
		t.Fatal(err)
	}
	wf, _ := decodeWorkflow(data)
	_, runs, _ := shardRuns(wf)
	for _, r := range runs {
		t.Logf("shard %v: --run-id %s --config %s --suites %s --out %s, artifact %s", r.Shard, r.RunID, r.Config, r.Suites, r.Out, r.Artifact)
	}
}

// mutation is an edit of a shipped file that breaks it, and what the
// check must then say.
type mutation struct {
	name, old, new, want string
}

// mutate applies m to data, failing the test if old is not there (the
// case would test nothing).
func mutate(t *testing.T, data []byte, m mutation) []byte {
	t.Helper()
	if !strings.Contains(string(data), m.old) {
		t.Fatalf("%s: %q is not in the file: update the case", m.name, m.old)
	}
	return []byte(strings.Replace(string(data), m.old, m.new, 1))
}

func TestWorkflowCheckCatches(t *testing.T) {
	t.Parallel()
	data := readFile(t, workflowFile)
	for _, m := range []mutation{
		{"a shard twice, one never", "index: [0, 1, 2, 3]", "index: [0, 1, 2, 2]", "shard 4/4 runs 0 times"},
		{"one shard fewer than the count", "index: [0, 1, 2, 3]", "index: [0, 1, 2]", "shard 4/4 runs 0 times"},
		{"the count disagrees with the matrix", "PARITY_SHARD_COUNT: 4", "PARITY_SHARD_COUNT: 5", `PARITY_SHARD_COUNT is "5", but 4 shards run`},
		{"a fixed shard", `--shard auto`, `--shard 1/4`, "shard 1/4 runs 4 times"},
		{"a run id per shard", `--run-id "$PARITY_RUN_ID"`, `--run-id "$PARITY_RUN_ID-$PARITY_SHARD_INDEX"`, "--run-id"},
		{"a run id per attempt", "nightly-${{ github.run_id }}", "nightly-${{ github.run_id }}-${{ github.run_attempt }}", "re-run"},
		{"suites per shard", `--suites "$PARITY_SUITES"`, `--suites "$PARITY_SUITES/$PARITY_SHARD_INDEX"`, "--suites"},
		{"outputs in one directory", `--out "out/shard-$PARITY_SHARD_INDEX"`, `--out "out/shard"`, "both write out/shard"},
		{"the output not uploaded", "path: out/shard-${{ matrix.index }}", "path: out/shards", "no step uploads"},
		{"one artifact name for all", "name: parity-shard-${{ matrix.index }}", "name: parity-shard", "another shard's too"},
		{"a shard not downloaded", "pattern: parity-shard-*", "pattern: parity-shard-[012]", "parity-shard-3 is not downloaded"},
		{"a shard not merged", "parity merge --out merged shards/parity-shard-*", "parity merge --out merged shards/parity-shard-0 shards/parity-shard-1 shards/parity-shard-2", "merged 0 times"},
		{"a shard merged twice", "parity merge --out merged shards/parity-shard-*", "parity merge --out merged shards/parity-shard-* shards/parity-shard-0", "merged 2 times"},
		{"the merge skipped on a failed shard", "if: ${{ !cancelled() && needs.shards.result != 'skipped' }}", "if: success()", "skipped when a shard fails"},
		{"the gate in migration mode", "--mode nightly", "--mode migration", "want nightly"},
		{"the gate on one shard", "  merged/results.parquet", "  shards/parity-shard-0/results.parquet", "want the merged"},
		{"a gate that cannot fail", "      - name: gate (nightly mode)\n", "      - name: gate (nightly mode)\n        continue-on-error: true\n", "does not fail on a failed gate"},
		{"no verdict in the summary", `cat merged/gate.md >> "$GITHUB_STEP_SUMMARY"`, `echo done`, "appends its Markdown"},
		{"a key for every step", "      PARITY_CACHE_DIR: ${{ github.workspace }}/.parity-cache", "      PARITY_CACHE_DIR: ${{ github.workspace }}/.parity-cache\n      OPENAI_API_KEY: ${{ secrets.OPENAI_API_KEY }}", "holds a secret"},
		{"an expression in a script", `go install "github.com/parity-eval/parity/cmd/parity@${PARITY_VERSION}"`, `go install "github.com/parity-eval/parity/cmd/parity@${{ env.PARITY_VERSION }}"`, "through env"},
		{"a config change that runs nothing", "      - parity.yaml\n", "", "lack parity.yaml"},
	} {
		err := checkWorkflow(mutate(t, data, m))
		if err == nil || !strings.Contains(err.Error(), m.want) {
			t.Errorf("%s: checkWorkflow = %v, want an error saying %q", m.name, err, m.want)
		}
	}
}
