package runner

import "github.com/parity-eval/parity/suites"

// Planned returns the number of results Run produces for ss when it is not
// interrupted: cases x providers x repeats, less those Skip leaves out.
// Results a provider lacks a capability for are counted (they are
// unsupported rows that send nothing; see Requests). With Admit it is an
// upper bound: the results of cases not admitted are Withheld instead.
func (r *Runner) Planned(ss []*suites.Suite) int { return sum(r.PlannedBy(ss)) }

// PlannedBy returns Planned per provider id.
func (r *Runner) PlannedBy(ss []*suites.Suite) map[string]int { return r.count(ss, false) }

// Requests returns the number of requests Run sends for ss when it is not
// interrupted: one per planned result whose provider has every capability
// its suite needs. It is exact but for what happens while the run goes:
// a retry sends another request, a cached answer sends none, and with
// Admit a case not admitted sends none (so it is then an upper bound).
func (r *Runner) Requests(ss []*suites.Suite) int { return sum(r.RequestsBy(ss)) }

// RequestsBy returns Requests per provider id.
func (r *Runner) RequestsBy(ss []*suites.Suite) map[string]int { return r.count(ss, true) }

// count counts the planned results per provider id, only those that are
// sent when sent is true. Without Skip it reads no case.
func (r *Runner) count(ss []*suites.Suite, sent bool) map[string]int {
	n := make(map[string]int, len(r.cfg.Providers))
	counted := func(p *suites.Provider, s *suites.Suite) bool {
		return applicable(p, s) && (!sent || missingCapability(p, s) == "")
	}
	if r.skip == nil {
		for _, p := range r.cfg.Providers {
			for _, s := range ss {
				if counted(p, s) {
					n[p.ID] += s.Cases.Len() * r.repeat
				}
			}
		}
		return n
	}
	// walk stops at a case that cannot be read again: the count is then
	// what the run sends before it stops there too (Err).
	us := r.units(ss)
	for _, p := range r.cfg.Providers {
		_ = r.walk(us, []*suites.Provider{p}, func(_ Key, s *suites.Suite, _ *suites.Case) {
			if counted(p, s) {
				n[p.ID]++
			}
		})
	}
	return n
}

func sum(m map[string]int) int {
	n := 0
	for _, k := range m {
		n += k
	}
	return n
}

// each calls fn for every result of the run not left out by Skip, in the
// order they are sent: provider by provider, the cases in the order of
// units (by suite and case, or Order's), each case's repeats in turn. It
// stops at a case that cannot be read again, and returns the error.
func (r *Runner) each(ss []*suites.Suite, providers []*suites.Provider, fn func(Key, *suites.Suite, *suites.Case)) error {
	return r.walk(r.units(ss), providers, fn)
}

// walk is each over units already ordered.
func (r *Runner) walk(us []unit, providers []*suites.Provider, fn func(Key, *suites.Suite, *suites.Case)) error {
	for _, p := range providers {
		var cu cursor
		for _, u := range us {
			if !applicable(p, u.suite) {
				continue
			}
			c, err := cu.read(u)
			if err != nil {
				return err
			}
			r.keys(p, u.suite, c, func(k Key) { fn(k, u.suite, c) })
		}
	}
	return nil
}

// keys calls fn for each of case c's results for p, by repeat, none when
// p does not serve suite s's kind, and not those Skip leaves out.
func (r *Runner) keys(p *suites.Provider, s *suites.Suite, c *suites.Case, fn func(Key)) {
	if !applicable(p, s) {
		return
	}
	for k := range r.repeat {
		key := Key{Suite: s.Name, Case: c.ID, Provider: p.ID, Repeat: k}
		if r.skip == nil || !r.skip(key) {
			fn(key)
		}
	}
}
