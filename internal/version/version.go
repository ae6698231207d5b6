package version

import (
	"runtime"
	"runtime/debug"
	"strings"
	"sync"
)

// String is parity's build, in one line:
//
//	parity v1.4.0 (9c1e2f0a4b7d..., 2025-06-01T09:30:00Z, modified, go1.25.1)
//
// the module version, then the VCS revision, its commit time and
// "modified" when the work tree had uncommitted changes, then the Go
// version. A build without that information (go test, go run outside a
// repository) says "(devel)" and "unknown revision".
func String() string {
	once.Do(func() {
		bi, _ := debug.ReadBuildInfo() // nil without module support
		built = format(bi)
	})
	return built
}

var (
	once  sync.Once
	built string
)

// format renders bi as String does; bi may be nil.
func format(bi *debug.BuildInfo) string {
	version, goVersion := "", runtime.Version()
	settings := map[string]string{}
	if bi != nil {
		version, goVersion = bi.Main.Version, bi.GoVersion
		for _, s := range bi.Settings {
			settings[s.Key] = s.Value
		}
	}
	if version == "" {
		version = "(devel)"
	}
	rev := []string{"unknown revision"}
	if r := settings["vcs.revision"]; r != "" {
		rev = []string{r}
		if t := settings["vcs.time"]; t != "" {
			rev = append(rev, t)
		}
		if settings["vcs.modified"] == "true" {
			rev = append(rev, "modified")
		}
	}
	if goVersion == "" {
		goVersion = runtime.Version()
	}
	return "parity " + version + " (" + strings.Join(append(rev, goVersion), ", ") + ")"
}
