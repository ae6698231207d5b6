package deploy

import (
	"errors"
	"fmt"
	"maps"
	"os"
	"path"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/goccy/go-yaml"

	"github.com/parity-eval/parity/shard"
)

// workflowFile is the shipped GitHub Actions workflow.
const workflowFile = "../.github/workflows/parity-nightly.yml"

// workflow is the part of a GitHub Actions workflow the checks read.
type workflow struct {
	On struct {
		PullRequest struct {
			Paths []string `yaml:"paths"`
		} `yaml:"pull_request"`
	} `yaml:"on"`
	Env  map[string]any   `yaml:"env"`
	Jobs map[string]ghJob `yaml:"jobs"`
}

type ghJob struct {
	Needs    any            `yaml:"needs"`
	If       string         `yaml:"if"`
	Env      map[string]any `yaml:"env"`
	Strategy struct {
		Matrix map[string]any `yaml:"matrix"`
	} `yaml:"strategy"`
	Steps []ghStep `yaml:"steps"`
}

type ghStep struct {
	Name            string         `yaml:"name"`
	Uses            string         `yaml:"uses"`
	Run             string         `yaml:"run"`
	If              string         `yaml:"if"`
	Env             map[string]any `yaml:"env"`
	With            map[string]any `yaml:"with"`
	ContinueOnError any            `yaml:"continue-on-error"`
}

// shardRun is what one shard of a run is given: its share, and the run id,
// config, suites and output directory of its parity run command, with
// where that output goes next (the artifact it is uploaded as, in CI).
type shardRun struct {
	Shard                 shard.Shard
	Count                 string // PARITY_SHARD_COUNT as the command sees it
	RunID, Config, Suites string
	Out, Artifact         string
}

// expression is a ${{ ... }} of GitHub Actions.
var expression = regexp.MustCompile(`\$\{\{\s*(.*?)\s*\}\}`)

// expand replaces each ${{ X }} whose X is in ctx (matrix.*,
// strategy.job-index, strategy.job-total) by its value; any other
// expression (github.run_id, secrets.*, hashFiles) stays as written, the
// same text in every job.
func expand(s string, ctx map[string]string) string {
	return expression.ReplaceAllStringFunc(s, func(m string) string {
		if v, ok := ctx[expression.FindStringSubmatch(m)[1]]; ok {
			return v
		}
		return m
	})
}

// matrixJobs returns the expression context of each job the matrix makes:
// a matrix of one list, which is what the shipped workflow uses (anything
// else is refused rather than misread).
func matrixJobs(j ghJob) ([]map[string]string, error) {
	m := j.Strategy.Matrix
	if len(m) != 1 {
		return nil, fmt.Errorf("the matrix has keys %v: this test reads a matrix of exactly one list", slices.Sorted(maps.Keys(m)))
	}
	var ctxs []map[string]string
	for key, v := range m {
		list, ok := v.([]any)
		if !ok {
			return nil, fmt.Errorf("matrix.%s is not a list", key)
		}
		for i, x := range list {
			ctxs = append(ctxs, map[string]string{
				"matrix." + key:      fmt.Sprint(x),
				"strategy.job-index": fmt.Sprint(i),
				"strategy.job-total": fmt.Sprint(len(list)),
			})
		}
	}
	return ctxs, nil
}

// stepEnv is the environment a step's script sees: the workflow's, the
// job's and the step's env, later ones winning, each expanded in ctx.
func stepEnv(wf workflow, j ghJob, s ghStep, ctx map[string]string) map[string]string {
	env := map[string]string{}
	for _, layer := range []map[string]any{wf.Env, j.Env, s.Env} {
		for k, v := range layer {
			env[k] = expand(fmt.Sprint(v), ctx)
		}
	}
	return env
}

// parityStep returns the job's step that runs `parity SUB`, parsed in its
// environment, and the step.
func parityStep(wf workflow, j ghJob, sub string, ctx map[string]string) (command, ghStep, error) {
	for _, s := range j.Steps {
		if !runsParity(s, sub) {
			continue
		}
		words, err := shellWords(strings.TrimSpace(s.Run), stepEnv(wf, j, s, ctx))
		if err != nil {
			return command{}, s, err
		}
		c, err := parseParity(words)
		return c, s, err
	}
	return command{}, ghStep{}, fmt.Errorf("no step runs parity %s", sub)
}

// runsParity reports whether the step's script is `parity SUB ...`.
func runsParity(s ghStep, sub string) bool {
	return strings.HasPrefix(strings.TrimSpace(s.Run), "parity "+sub+" ")
}

// jobRunning returns the name of the one job with a step running parity SUB.
func jobRunning(wf workflow, sub string) (string, error) {
	var names []string
	for name, j := range wf.Jobs {
		if slices.ContainsFunc(j.Steps, func(s ghStep) bool { return runsParity(s, sub) }) {
			names = append(names, name)
		}
	}
	if len(names) != 1 {
		return "", fmt.Errorf("jobs running parity %s: %v, want one", sub, names)
	}
	return names[0], nil
}

// decodeWorkflow reads the parts of the workflow the checks use.
func decodeWorkflow(data []byte) (workflow, error) {
	var wf workflow
	err := yaml.Unmarshal(data, &wf)
	return wf, err
}

func readFile(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// shardRuns expands the matrix of the job that runs parity run (its name
// is returned) into what each of its jobs runs.
func shardRuns(wf workflow) (string, []shardRun, error) {
	name, err := jobRunning(wf, "run")
	if err != nil {
		return "", nil, err
	}
	j := wf.Jobs[name]
	ctxs, err := matrixJobs(j)
	if err != nil {
		return "", nil, err
	}
	var runs []shardRun
	for _, ctx := range ctxs {
		c, s, err := parityStep(wf, j, "run", ctx)
		if err != nil {
			return "", nil, err
		}
		r, err := shardOf(c, stepEnv(wf, j, s, ctx))
		if err != nil {
			return "", nil, fmt.Errorf("%s %v: %w", name, ctx, err)
		}
		r.Artifact = uploadedAs(j, r.Out, ctx)
		runs = append(runs, r)
	}
	return name, runs, nil
}

// shardOf is the shard a parity run command runs in env: --shard i/n, or
// --shard auto resolved from env.
func shardOf(c command, env map[string]string) (shardRun, error) {
	r := shardRun{Count: env["PARITY_SHARD_COUNT"], RunID: c.flag("run-id"), Config: c.flag("config"),
		Suites: c.flag("suites"), Out: path.Clean(c.flag("out"))}
	var err error
	switch v := c.flag("shard"); v {
	case "":
		err = errors.New("parity run has no --shard")
	case "auto":
		r.Shard, err = autoShard(env)
	default:
		r.Shard, err = parseShard(v)
	}
	return r, err
}

// uploadedAs is the name of the artifact the job uploads dir as, or "".
func uploadedAs(j ghJob, dir string, ctx map[string]string) string {
	for _, s := range j.Steps {
		p, _ := s.With["path"].(string)
		if strings.HasPrefix(s.Uses, "actions/upload-artifact@") && path.Clean(expand(p, ctx)) == dir {
			name, _ := s.With["name"].(string)
			return expand(name, ctx)
		}
	}
	return ""
}
