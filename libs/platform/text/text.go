// Package text checks the short free text people type into forms: names of companies, zones,
// buildings and contacts. Like the other parsers of the platform it returns bare reasons
// (fault.Reasonf), so fault.Fields.Merge files them under the caller's field.
package text

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/zoneops/zoneops/libs/platform/fault"
)

// Name trims and collapses runs of white space, so that "Acme  Ltd " and "Acme Ltd" are the
// same name, then checks it has no control characters and is minLen to maxLen characters long
// (characters, not bytes: names are often written in Urdu or Chinese). It returns the
// normalised name.
func Name(s string, minLen, maxLen int) (string, error) {
	s = strings.Join(strings.Fields(s), " ")
	if s == "" {
		return "", fault.Reasonf("required")
	}
	if strings.IndexFunc(s, unicode.IsControl) >= 0 {
		return "", fault.Reasonf("must not contain control characters")
	}
	if n := utf8.RuneCountInString(s); n < minLen || n > maxLen {
		return "", fault.Reasonf("must be %d to %d characters", minLen, maxLen)
	}
	return s, nil
}
