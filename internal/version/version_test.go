package version

import (
	"runtime"
	"runtime/debug"
	"strings"
	"testing"
)

func TestFormat(t *testing.T) {
	t.Parallel()
	vcs := func(kv ...string) []debug.BuildSetting {
		var s []debug.BuildSetting
		for i := 0; i < len(kv); i += 2 {
			s = append(s, debug.BuildSetting{Key: kv[i], Value: kv[i+1]})
		}
		return s
	}
	tests := []struct {
		name string
		bi   *debug.BuildInfo
		want string
	}{
		// A release build from a clean checkout.
		{"release", &debug.BuildInfo{GoVersion: "go1.25.1", Main: debug.Module{Version: "v1.4.0"},
			Settings: vcs("vcs", "git", "vcs.revision", "9c1e2f0", "vcs.time", "2025-06-01T09:30:00Z", "vcs.modified", "false")},
			"parity v1.4.0 (9c1e2f0, 2025-06-01T09:30:00Z, go1.25.1)"},
		// Built from a work tree with uncommitted changes.
		{"modified", &debug.BuildInfo{GoVersion: "go1.25.1", Main: debug.Module{Version: "v1.4.1-0.20250601093000-9c1e2f0+dirty"},
			Settings: vcs("vcs.revision", "9c1e2f0", "vcs.modified", "true")},
			"parity v1.4.1-0.20250601093000-9c1e2f0+dirty (9c1e2f0, modified, go1.25.1)"},
		// go test and go run outside a repository: no version, no VCS.
		{"no vcs", &debug.BuildInfo{GoVersion: "go1.25.1", Main: debug.Module{Version: "(devel)"}},
			"parity (devel) (unknown revision, go1.25.1)"},
		{"empty version", &debug.BuildInfo{GoVersion: "go1.25.1"}, "parity (devel) (unknown revision, go1.25.1)"},
		// A binary without build information at all.
		{"no build info", nil, "parity (devel) (unknown revision, " + runtime.Version() + ")"},
	}
	for _, tt := range tests {
		if got := format(tt.bi); got != tt.want {
			t.Errorf("%s: %q, want %q", tt.name, got, tt.want)
		}
	}
}

// TestString: the test binary has build information, whatever it holds.
func TestString(t *testing.T) {
	t.Parallel()
	s := String()
	if !strings.HasPrefix(s, "parity ") || !strings.HasSuffix(s, runtime.Version()+")") {
		t.Errorf("String() = %q", s)
	}
}
