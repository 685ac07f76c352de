package tenants

import (
	"regexp"

	"github.com/zoneops/zoneops/libs/events/values"
)

// countryPattern (ISO 3166-1 alpha-2, upper case) is shared by Validate and documented in the
// JSON Schemas.
var countryPattern = regexp.MustCompile(`^[A-Z]{2}$`)

// Pattern returns the regular expression a field with the given JSON name must match
// ("country" or "zone"), or "" when the field has none; "currency" is values.Pattern's. The
// schema generator uses it so that schemas and Validate cannot drift apart.
func Pattern(field string) string {
	switch field {
	case "country":
		return countryPattern.String()
	case "zone":
		return values.Pattern("code")
	}
	return ""
}
