package allocation

import (
	"errors"
	"fmt"
	"math"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/google/uuid"

	"github.com/zoneops/zoneops/libs/events/tenants"
)

// Patterns shared by Validate and documented in the JSON Schemas.
var (
	// codePattern: the code of a zone or a plot, such as "ISB" or "ISB-A-014". Zone codes are
	// the ones licences name (tenants' "zone" field), so the grammar is taken from there; it is
	// deliberately wider than today's codes, because narrowing or widening a pattern later is
	// a breaking change for strict consumers.
	codePattern = regexp.MustCompile(tenants.Pattern("zone"))
	// timeZonePattern: an IANA time zone name such as "Asia/Karachi" or "UTC". Whether the
	// name exists in the tz database is the service's check: consumers' databases differ.
	timeZonePattern = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_+-]*(/[A-Za-z0-9_+-]+)*$`)
)

// Pattern returns the regular expression a field with the given JSON name must match ("code"
// or "time_zone"), or "" when the field has none. The schema generator uses it so that schemas
// and Validate cannot drift apart.
func Pattern(field string) string {
	switch field {
	case "code":
		return codePattern.String()
	case "time_zone":
		return timeZonePattern.String()
	}
	return ""
}

// AreaDecimals is how many decimal places an area in square metres may have.
const AreaDecimals = 2

// validate runs check against a fresh checker and returns the collected errors.
func validate(check func(checker)) error {
	c := newChecker()
	check(c)
	return c.err()
}

// checker collects field errors under a path prefix.
type checker struct {
	prefix string
	errs   *[]FieldError
}

func newChecker() checker { return checker{errs: new([]FieldError)} }

func (c checker) at(name string) checker {
	return checker{prefix: c.path(name), errs: c.errs}
}

// path joins name to the prefix: "a" + "b" is "a.b", "a" + "[2]" is "a[2]", "a" + "" is "a".
func (c checker) path(name string) string {
	switch {
	case name == "":
		return c.prefix
	case c.prefix == "":
		return name
	case strings.HasPrefix(name, "["):
		return c.prefix + name
	}
	return c.prefix + "." + name
}

// index names element i of the list field name: "parts[2]".
func index(name string, i int) string { return fmt.Sprintf("%s[%d]", name, i) }

func (c checker) add(field, reason string) {
	*c.errs = append(*c.errs, FieldError{Field: c.path(field), Reason: reason})
}

// err returns the collected errors as a *ValidationError, or nil.
func (c checker) err() error {
	if len(*c.errs) == 0 {
		return nil
	}
	out := slices.Clone(*c.errs)
	sort.SliceStable(out, func(i, j int) bool { return out[i].Field < out[j].Field })
	return &ValidationError{Fields: out}
}

// nested adds, under field, the field errors of a value that validated itself.
func (c checker) nested(field string, err error) {
	var v *ValidationError
	if errors.As(err, &v) {
		for _, f := range v.Fields {
			c.at(field).add(f.Field, f.Reason)
		}
	} else if err != nil {
		c.add(field, err.Error())
	}
}

// text requires a non-blank string: whitespace alone carries no information.
func (c checker) text(field, v string) {
	if strings.TrimSpace(v) == "" {
		c.add(field, "required")
	}
}

// optionalText accepts an absent value but not one made of whitespace only.
func (c checker) optionalText(field, v string) {
	if v != "" && strings.TrimSpace(v) == "" {
		c.add(field, "must not be blank")
	}
}

// id requires a UUID in canonical lower-case form, because ids are compared as strings (with
// the envelope's aggregateid, and in other services' tables).
func (c checker) id(field, v string) {
	if v == "" {
		c.add(field, "required")
		return
	}
	if u, err := uuid.Parse(v); err != nil || u.String() != v {
		c.add(field, "must be a UUID in canonical lower-case form")
	}
}

// optionalID accepts an absent id.
func (c checker) optionalID(field, v string) {
	if v != "" {
		c.id(field, v)
	}
}

// ids requires at least min distinct ids.
func (c checker) ids(field string, vs []string, min int) {
	if len(vs) < min {
		c.add(field, fmt.Sprintf("must list at least %d ids", min))
	}
	for i, v := range vs {
		c.id(index(field, i), v)
		if slices.Index(vs, v) < i {
			c.add(index(field, i), "listed twice")
		}
	}
}

func (c checker) pattern(field, v string, re *regexp.Regexp) {
	if v == "" {
		c.add(field, "required")
		return
	}
	if !re.MatchString(v) {
		c.add(field, "must match "+re.String())
	}
}

func (c checker) date(field string, v Date) {
	if v.IsZero() {
		c.add(field, "required")
		return
	}
	if !validDate(v) {
		c.add(field, "not a calendar date")
	}
}

// validDate reports whether d is set and a real calendar date.
func validDate(d Date) bool {
	_, err := d.MarshalText()
	return !d.IsZero() && err == nil
}

// area requires a finite number of square metres greater than zero with at most AreaDecimals
// decimal places (judged on the shortest decimal that denotes the same float64, which is how
// the number travels in JSON).
func (c checker) area(field string, v float64) {
	if !(v > 0) || math.IsInf(v, 0) {
		c.add(field, "must be a number of square metres greater than 0")
		return
	}
	s := strconv.FormatFloat(v, 'f', -1, 64)
	if i := strings.IndexByte(s, '.'); i >= 0 && len(s)-i-1 > AreaDecimals {
		c.add(field, fmt.Sprintf("must have at most %d decimal places", AreaDecimals))
	}
}

// money checks an amount that cannot be negative (a rent, a deposit) and its currency.
func (c checker) money(field string, m Money) {
	c.nested(field, m.Validate())
	if m.AmountMinor < 0 {
		c.at(field).add("amount_minor", "must not be negative")
	}
}

// noticeMonths requires a notice period that is not negative and fits in the term.
func (c checker) noticeMonths(field string, v, termMonths int) {
	switch {
	case v < 0:
		c.add(field, "must not be negative")
	case termMonths >= 1 && v > termMonths:
		c.add(field, "must not exceed the term")
	}
}

func (c checker) actor(field string, a Actor) { c.nested(field, a.Validate()) }

func (c checker) optionalActor(field string, a *Actor) {
	if a != nil {
		c.actor(field, *a)
	}
}

func (c checker) space(field string, s Space) { s.check(c.at(field)) }

func (c checker) polygon(field string, p *Polygon) {
	if p != nil {
		p.check(c.at(field))
	}
}

func enum[T ~string](c checker, field string, v T, allowed []T) {
	if v == "" {
		c.add(field, "required")
		return
	}
	if !slices.Contains(allowed, v) {
		names := make([]string, len(allowed))
		for i, a := range allowed {
			names[i] = string(a)
		}
		c.add(field, "must be one of "+strings.Join(names, ", "))
	}
}
