package suites

import "strings"

// CredentialHeader reports whether a configured header may carry a
// credential: by its name (Authorization, or one holding auth, key,
// token, secret or cookie) or by its value (a Bearer or Basic
// credential). The runner redacts such values wherever provider text
// enters, and no export writes them.
func CredentialHeader(name, value string) bool {
	n := strings.ToLower(name)
	for _, s := range []string{"auth", "key", "token", "secret", "cookie"} {
		if strings.Contains(n, s) {
			return true
		}
	}
	scheme, _, _ := strings.Cut(strings.TrimSpace(value), " ")
	return strings.EqualFold(scheme, "bearer") || strings.EqualFold(scheme, "basic")
}
