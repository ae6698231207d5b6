package main

import (
	"fmt"
	"slices"
	"strings"

	"github.com/parity-eval/parity/results"
)

// keySet remembers the key of every row merged (suite, case, provider,
// repeat) as a 64-bit hash: 8 bytes a row, so that work done twice is
// found among millions of rows in a few megabytes, while the rows
// themselves stream. duplicates reads the inputs again, only when hashes
// repeat, to name the keys (and to tell a real repeat from a collision).
type keySet struct {
	hashes []uint64
}

// add remembers r's key.
func (k *keySet) add(r *results.Row) {
	k.hashes = append(k.hashes, keyHash(r.Suite, r.CaseID, r.Provider, r.Repeat))
}

// maxNamed bounds the keys done twice that duplicates names.
const maxNamed = 10

// duplicates names the keys that more than one row of files has, each
// with the files that have it; nil when there are none.
func (k *keySet) duplicates(files []string) []string {
	slices.Sort(k.hashes)
	repeated := map[uint64]bool{}
	for i := 1; i < len(k.hashes); i++ {
		if k.hashes[i] == k.hashes[i-1] {
			repeated[k.hashes[i]] = true
		}
	}
	if len(repeated) == 0 {
		return nil
	}
	where := map[string][]string{}
	for _, f := range files {
		_ = results.ReadRows(f, func(r *results.Row) error { // read once already: it reads
			if repeated[keyHash(r.Suite, r.CaseID, r.Provider, r.Repeat)] {
				key := fmt.Sprintf("suite %s case %s provider %s repeat %d", r.Suite, r.CaseID, r.Provider, r.Repeat)
				where[key] = append(where[key], f)
			}
			return nil
		})
	}
	var out []string
	for key, fs := range where {
		if len(fs) > 1 {
			out = append(out, fmt.Sprintf("%s in %s", key, strings.Join(fs, ", ")))
		}
	}
	slices.Sort(out)
	if len(out) > maxNamed {
		out = append(out[:maxNamed], fmt.Sprintf("and %d more", len(out)-maxNamed))
	}
	return out
}

// keyHash is FNV-1a (64 bits) of a row's key, its parts separated.
func keyHash(suite, caseID, provider string, repeat int32) uint64 {
	const prime = 1099511628211
	h := uint64(14695981039346656037)
	for _, s := range [...]string{suite, caseID, provider} {
		for i := 0; i < len(s); i++ {
			h = (h ^ uint64(s[i])) * prime
		}
		h = (h ^ 0xff) * prime // no byte of UTF-8 text: parts never run together
	}
	for i := range 4 {
		h = (h ^ uint64(byte(repeat>>(8*i)))) * prime
	}
	return h
}
