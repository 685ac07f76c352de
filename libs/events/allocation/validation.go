package allocation

import (
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"

	"github.com/zoneops/zoneops/libs/events/values"
)

// timeZonePattern: an IANA time zone name such as "Asia/Karachi" or "UTC". Whether the name
// exists in the tz database is the service's check: consumers' databases differ. It is shared
// by Validate and documented in the JSON Schemas.
var timeZonePattern = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_+-]*(/[A-Za-z0-9_+-]+)*$`)

// Pattern returns the regular expression a field with the given JSON name must match ("code"
// or "time_zone"), or "" when the field has none. The schema generator uses it so that schemas
// and Validate cannot drift apart.
func Pattern(field string) string {
	switch field {
	case "code":
		return values.Pattern("code")
	case "time_zone":
		return timeZonePattern.String()
	}
	return ""
}

// AreaDecimals is how many decimal places an area in square metres may have.
const AreaDecimals = 2

// area requires a finite number of square metres greater than zero with at most AreaDecimals
// decimal places (judged on the shortest decimal that denotes the same float64, which is how
// the number travels in JSON).
func area(c values.Checker, field string, v float64) {
	if !(v > 0) || math.IsInf(v, 0) {
		c.Add(field, "must be a number of square metres greater than 0")
		return
	}
	s := strconv.FormatFloat(v, 'f', -1, 64)
	if i := strings.IndexByte(s, '.'); i >= 0 && len(s)-i-1 > AreaDecimals {
		c.Add(field, fmt.Sprintf("must have at most %d decimal places", AreaDecimals))
	}
}

// noticeMonths requires a notice period that is not negative and fits in the term.
func noticeMonths(c values.Checker, field string, v, termMonths int) {
	switch {
	case v < 0:
		c.Add(field, "must not be negative")
	case termMonths >= 1 && v > termMonths:
		c.Add(field, "must not exceed the term")
	}
}

func space(c values.Checker, field string, s Space) { s.check(c.At(field)) }

func polygon(c values.Checker, field string, p *Polygon) {
	if p != nil {
		p.check(c.At(field))
	}
}
