package suites

import "testing"

// all returns every case of s, read as a run reads them; a case that
// cannot be read fails t.
func all(t testing.TB, s *Suite) []*Case {
	t.Helper()
	var out []*Case
	if err := s.Cases.Each(func(c *Case) error { out = append(out, c); return nil }); err != nil {
		t.Fatal(err)
	}
	return out
}
