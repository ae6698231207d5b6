package results

import "github.com/parity-eval/parity/judges"

// UntaggedTag is the tag under which the rows of a suite without tags are
// aggregated for the routing rules.
const UntaggedTag = "untagged"

// SuiteName returns the row's suite name, or "" when it has none.
func SuiteName(s *judges.Scored) string {
	if s.Result == nil || s.Result.Suite == nil {
		return ""
	}
	return s.Result.Suite.Name
}

// CaseID returns the row's case id, or "" when it has none.
func CaseID(s *judges.Scored) string {
	if s.Result == nil || s.Result.Case == nil {
		return ""
	}
	return s.Result.Case.ID
}

// ProviderID returns the row's provider id, or "" when it has none.
func ProviderID(s *judges.Scored) string {
	if s.Result == nil || s.Result.Provider == nil {
		return ""
	}
	return s.Result.Provider.ID
}

// ProviderModel returns the model the row's provider was asked for.
func ProviderModel(s *judges.Scored) string {
	if s.Result == nil || s.Result.Provider == nil {
		return ""
	}
	return s.Result.Provider.Model
}

// RowTags returns the tags the row counts under for routing: its suite's,
// or UntaggedTag.
func RowTags(s *judges.Scored) []string {
	if s.Result != nil && s.Result.Suite != nil && len(s.Result.Suite.Tags) > 0 {
		return s.Result.Suite.Tags
	}
	return []string{UntaggedTag}
}

// Failed reports whether the row's request produced no usable answer.
func Failed(s *judges.Scored) bool {
	return s.Result != nil && s.Result.Failed()
}

// EachMetadata calls fn for every entry of the row's metadata: the case's,
// then the suite's that the case does not override. It allocates nothing.
func EachMetadata(s *judges.Scored, fn func(key, value string)) {
	if s.Result == nil {
		return
	}
	var suiteMD, caseMD map[string]string
	if s.Result.Suite != nil {
		suiteMD = s.Result.Suite.Metadata
	}
	if s.Result.Case != nil {
		caseMD = s.Result.Case.Metadata
	}
	for k, v := range caseMD {
		fn(k, v)
	}
	for k, v := range suiteMD {
		if _, over := caseMD[k]; !over {
			fn(k, v)
		}
	}
}
