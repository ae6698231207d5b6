package suites

import "testing"

// TestCredentialHeader: the headers whose values are redacted and never
// exported.
func TestCredentialHeader(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name, value string
		want        bool
	}{
		{"Authorization", "Bearer x", true},
		{"X-Api-Key", "k", true},     // key in the name
		{"Helicone-Auth", "x", true}, // auth in the name
		{"X-Session-Token", "t", true},
		{"Cookie", "a=b", true},
		{"X-Upstream", "bearer abc", true}, // a Bearer credential under any name
		{"X-Forward", "Basic dXNlcjpwYXNz", true},
		{"Helicone-Property-App", "parity", false},
		{"X-Team", "evals", false},
		{"X-Note", "bearers of news", false}, // "bearers" is not the scheme
	} {
		if got := CredentialHeader(tt.name, tt.value); got != tt.want {
			t.Errorf("CredentialHeader(%q, %q) = %v, want %v", tt.name, tt.value, got, tt.want)
		}
	}
}
