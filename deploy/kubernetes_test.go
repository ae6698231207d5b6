package deploy

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/goccy/go-yaml"
)

// The shipped Kubernetes manifests: the shards' Indexed Job, and the Job
// that merges and gates them.
const (
	shardsManifest = "kubernetes/parity-nightly.yaml"
	mergeManifest  = "kubernetes/parity-merge.yaml"
)

// completionIndex is the downward API's name for an Indexed Job pod's index.
const completionIndex = "batch.kubernetes.io/job-completion-index"

// k8sJob is the part of a batch/v1 Job the checks read.
type k8sJob struct {
	Kind     string `yaml:"kind"`
	Metadata struct {
		Name string `yaml:"name"`
	} `yaml:"metadata"`
	Spec struct {
		CompletionMode       string `yaml:"completionMode"`
		Completions          *int   `yaml:"completions"`
		Parallelism          *int   `yaml:"parallelism"`
		BackoffLimit         *int   `yaml:"backoffLimit"`
		BackoffLimitPerIndex *int   `yaml:"backoffLimitPerIndex"`
		Template             struct {
			Spec podSpec `yaml:"spec"`
		} `yaml:"template"`
	} `yaml:"spec"`
}

type podSpec struct {
	SecurityContext securityContext `yaml:"securityContext"`
	InitContainers  []container     `yaml:"initContainers"`
	Containers      []container     `yaml:"containers"`
}

type securityContext struct {
	RunAsNonRoot             *bool `yaml:"runAsNonRoot"`
	ReadOnlyRootFilesystem   *bool `yaml:"readOnlyRootFilesystem"`
	AllowPrivilegeEscalation *bool `yaml:"allowPrivilegeEscalation"`
}

type container struct {
	Name            string          `yaml:"name"`
	Command         []string        `yaml:"command"`
	Args            []string        `yaml:"args"`
	Env             []envVar        `yaml:"env"`
	SecurityContext securityContext `yaml:"securityContext"`
	Resources       struct {
		Requests map[string]any `yaml:"requests"`
		Limits   map[string]any `yaml:"limits"`
	} `yaml:"resources"`
}

type envVar struct {
	Name      string `yaml:"name"`
	Value     string `yaml:"value"`
	ValueFrom *struct {
		FieldRef *struct {
			FieldPath string `yaml:"fieldPath"`
		} `yaml:"fieldRef"`
		SecretKeyRef *struct {
			Name string `yaml:"name"`
			Key  string `yaml:"key"`
		} `yaml:"secretKeyRef"`
	} `yaml:"valueFrom"`
}

// readJobs returns the Jobs among the manifest's documents.
func readJobs(data []byte) ([]k8sJob, error) {
	var jobs []k8sJob
	dec := yaml.NewDecoder(bytes.NewReader(data))
	for {
		var j k8sJob
		err := dec.Decode(&j)
		if errors.Is(err, io.EOF) {
			return jobs, nil
		}
		if err != nil {
			return nil, err
		}
		if j.Kind == "Job" {
			jobs = append(jobs, j)
		}
	}
}

// expandK8s is Kubernetes' expansion of $(VAR) in env values, command and
// args: a defined VAR is replaced, $$ is a $, anything else stays.
func expandK8s(s string, env map[string]string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != '$' || i+1 == len(s) {
			b.WriteByte(s[i])
			continue
		}
		if s[i+1] == '$' {
			b.WriteByte('$')
			i++
			continue
		}
		if s[i+1] == '(' {
			if end := strings.IndexByte(s[i:], ')'); end > 0 {
				if v, ok := env[s[i+2:i+end]]; ok {
					b.WriteString(v)
					i += end
					continue
				}
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// podEnv is the environment of the container in the pod with the given
// completion index (-1: not an Indexed Job's pod), as Kubernetes builds it:
// each value expanded with the variables before it, downward API fields and
// secrets resolved, and JOB_COMPLETION_INDEX added in Indexed Jobs.
func podEnv(c container, index int) (map[string]string, error) {
	env := map[string]string{}
	for _, e := range c.Env {
		switch {
		case e.ValueFrom == nil:
			env[e.Name] = expandK8s(e.Value, env)
		case e.ValueFrom.SecretKeyRef != nil:
			env[e.Name] = "secret:" + e.ValueFrom.SecretKeyRef.Name + "/" + e.ValueFrom.SecretKeyRef.Key
		case e.ValueFrom.FieldRef != nil && index >= 0 &&
			strings.Contains(e.ValueFrom.FieldRef.FieldPath, "['"+completionIndex+"']"):
			env[e.Name] = strconv.Itoa(index)
		default:
			return nil, fmt.Errorf("container %s: env %s comes from something this test does not resolve", c.Name, e.Name)
		}
	}
	if _, ok := env["JOB_COMPLETION_INDEX"]; !ok && index >= 0 {
		env["JOB_COMPLETION_INDEX"] = strconv.Itoa(index)
	}
	return env, nil
}

// containerCommand is the container's parity command line in env.
func containerCommand(c container, env map[string]string) (command, error) {
	var words []string
	for _, w := range slices.Concat(c.Command, c.Args) {
		w = expandK8s(w, env)
		if strings.Contains(w, "$(") {
			return command{}, fmt.Errorf("container %s: %q names a variable its env lacks", c.Name, w)
		}
		words = append(words, w)
	}
	return parseParity(words)
}

// runsK8s returns the container of the pod that runs parity SUB.
func runsK8s(p podSpec, sub string) (container, bool) {
	for _, c := range slices.Concat(p.InitContainers, p.Containers) {
		if strings.HasPrefix(strings.Join(slices.Concat(c.Command, c.Args), " "), "parity "+sub+" ") {
			return c, true
		}
	}
	return container{}, false
}
