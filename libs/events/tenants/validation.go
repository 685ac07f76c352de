package tenants

import (
	"net/mail"
	"regexp"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/google/uuid"
)

// FieldError names one bad field, by its dotted JSON path, and why it is bad.
type FieldError struct {
	Field  string `json:"field"`
	Reason string `json:"reason"`
}

// ValidationError lists every bad field of one payload, sorted by field, so that a dead letter
// or a test failure shows the whole problem at once rather than the first field only.
type ValidationError struct {
	Fields []FieldError
}

// Error implements error.
func (v *ValidationError) Error() string {
	parts := make([]string, len(v.Fields))
	for i, f := range v.Fields {
		parts[i] = f.Field + ": " + f.Reason
	}
	return strings.Join(parts, "; ")
}

// Patterns shared by Validate and documented in the JSON Schemas.
var (
	// countryPattern: ISO 3166-1 alpha-2, upper case.
	countryPattern = regexp.MustCompile(`^[A-Z]{2}$`)
	// currencyPattern: ISO 4217 alphabetic code, upper case.
	currencyPattern = regexp.MustCompile(`^[A-Z]{3}$`)
	// zonePattern: a zone code such as "ISB". Deliberately wider than today's codes, because
	// narrowing or widening a pattern later is a breaking change for strict consumers.
	zonePattern = regexp.MustCompile(`^[A-Z0-9][A-Z0-9_-]{0,31}$`)
)

// Pattern returns the regular expression a field with the given JSON name must match
// ("country", "currency" or "zone"), or "" when the field has none. The schema generator uses
// it so that schemas and Validate cannot drift apart.
func Pattern(field string) string {
	switch field {
	case "country":
		return countryPattern.String()
	case "currency":
		return currencyPattern.String()
	case "zone":
		return zonePattern.String()
	}
	return ""
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

func (c checker) path(name string) string {
	if c.prefix == "" {
		return name
	}
	return c.prefix + "." + name
}

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

func (c checker) pattern(field, v string, re *regexp.Regexp) {
	if v == "" {
		c.add(field, "required")
		return
	}
	if !re.MatchString(v) {
		c.add(field, "must match "+re.String())
	}
}

func (c checker) email(field, v string) {
	if v == "" {
		c.add(field, "required")
		return
	}
	a, err := mail.ParseAddress(v)
	if err != nil || a.Address != v || a.Name != "" {
		c.add(field, "must be a bare e-mail address")
	}
}

func (c checker) instant(field string, v time.Time) {
	if v.IsZero() {
		c.add(field, "required")
	}
}

func (c checker) date(field string, v Date) {
	if v.IsZero() {
		c.add(field, "required")
		return
	}
	if !v.valid() {
		c.add(field, "not a calendar date")
	}
}

func (c checker) optionalDate(field string, v *Date) {
	if v != nil {
		c.date(field, *v)
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
