package values

import (
	"fmt"
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
	// currencyPattern: ISO 4217 alphabetic code, upper case.
	currencyPattern = regexp.MustCompile(`^[A-Z]{3}$`)
	// codePattern: the code of a zone or a plot, such as "ISB" or "ISB-A-014"; one grammar,
	// because the zone codes licences name are the codes zones are registered under. It is
	// deliberately wider than today's codes, because narrowing or widening a pattern later is
	// a breaking change for strict consumers.
	codePattern = regexp.MustCompile(`^[A-Z0-9][A-Z0-9_-]{0,31}$`)
)

// Pattern returns the regular expression a shared field must match ("currency", or "code" for
// zone and plot codes), or "" when there is none. The contract packages and the schema
// generator take it from here so that schemas and Validate cannot drift apart.
func Pattern(field string) string {
	switch field {
	case "currency":
		return currencyPattern.String()
	case "code":
		return codePattern.String()
	}
	return ""
}

// Validate runs check against a fresh Checker and returns the collected errors: nil, or a
// *ValidationError.
func Validate(check func(Checker)) error {
	c := newChecker()
	check(c)
	return c.Err()
}

// Checker collects field errors under a path prefix. Its methods are the contract's rules for
// values every payload carries (ids, text, dates, money, actors); a contract package adds its
// own rules as functions taking a Checker.
type Checker struct {
	prefix string
	errs   *[]FieldError
}

func newChecker() Checker { return Checker{errs: new([]FieldError)} }

// At returns a Checker that records errors under the field name, inside c's prefix.
func (c Checker) At(name string) Checker {
	return Checker{prefix: c.path(name), errs: c.errs}
}

// path joins name to the prefix: "a" + "b" is "a.b", "a" + "[2]" is "a[2]", "a" + "" is "a".
func (c Checker) path(name string) string {
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

// Index names element i of the list field name: "parts[2]", or "[2]" for an empty name.
func Index(name string, i int) string { return fmt.Sprintf("%s[%d]", name, i) }

// Add records that field (under c's prefix; "" is the prefix itself) is bad for reason.
func (c Checker) Add(field, reason string) {
	*c.errs = append(*c.errs, FieldError{Field: c.path(field), Reason: reason})
}

// Err returns the collected errors as a *ValidationError sorted by field, or nil.
func (c Checker) Err() error {
	if len(*c.errs) == 0 {
		return nil
	}
	out := slices.Clone(*c.errs)
	sort.SliceStable(out, func(i, j int) bool { return out[i].Field < out[j].Field })
	return &ValidationError{Fields: out}
}

// Text requires a non-blank string: whitespace alone carries no information.
func (c Checker) Text(field, v string) {
	if strings.TrimSpace(v) == "" {
		c.Add(field, "required")
	}
}

// OptionalText accepts an absent value but not one made of whitespace only.
func (c Checker) OptionalText(field, v string) {
	if v != "" && strings.TrimSpace(v) == "" {
		c.Add(field, "must not be blank")
	}
}

// ID requires a UUID in canonical lower-case form, because ids are compared as strings (with
// the envelope's aggregateid, and in other services' tables).
func (c Checker) ID(field, v string) {
	if v == "" {
		c.Add(field, "required")
		return
	}
	if u, err := uuid.Parse(v); err != nil || u.String() != v {
		c.Add(field, "must be a UUID in canonical lower-case form")
	}
}

// OptionalID accepts an absent id.
func (c Checker) OptionalID(field, v string) {
	if v != "" {
		c.ID(field, v)
	}
}

// IDs requires at least min distinct ids.
func (c Checker) IDs(field string, vs []string, min int) {
	if len(vs) < min {
		c.Add(field, fmt.Sprintf("must list at least %d ids", min))
	}
	for i, v := range vs {
		c.ID(Index(field, i), v)
		if slices.Index(vs, v) < i {
			c.Add(Index(field, i), "listed twice")
		}
	}
}

// Pattern requires a value that matches re.
func (c Checker) Pattern(field, v string, re *regexp.Regexp) {
	if v == "" {
		c.Add(field, "required")
		return
	}
	if !re.MatchString(v) {
		c.Add(field, "must match "+re.String())
	}
}

// Code requires a zone or plot code (see Pattern("code")).
func (c Checker) Code(field, v string) { c.Pattern(field, v, codePattern) }

// Email requires a bare e-mail address, without a display name.
func (c Checker) Email(field, v string) {
	if v == "" {
		c.Add(field, "required")
		return
	}
	a, err := mail.ParseAddress(v)
	if err != nil || a.Address != v || a.Name != "" {
		c.Add(field, "must be a bare e-mail address")
	}
}

// Instant requires a set time.
func (c Checker) Instant(field string, v time.Time) {
	if v.IsZero() {
		c.Add(field, "required")
	}
}

// Date requires a set, real calendar date.
func (c Checker) Date(field string, v Date) {
	if v.IsZero() {
		c.Add(field, "required")
		return
	}
	if !v.Valid() {
		c.Add(field, "not a calendar date")
	}
}

// OptionalDate accepts an absent date.
func (c Checker) OptionalDate(field string, v *Date) {
	if v != nil {
		c.Date(field, *v)
	}
}

// Amount requires money that is not negative (a rent, a deposit, a committed investment) with
// a well-formed currency; Money itself may be negative elsewhere (a clawback, a correction).
func (c Checker) Amount(field string, m Money) {
	m.Check(c.At(field))
	if m.AmountMinor < 0 {
		c.At(field).Add("amount_minor", "must not be negative")
	}
}

// Actor requires a valid actor.
func (c Checker) Actor(field string, a Actor) { a.Check(c.At(field)) }

// OptionalActor accepts an absent actor.
func (c Checker) OptionalActor(field string, a *Actor) {
	if a != nil {
		c.Actor(field, *a)
	}
}

// Enum requires one of the allowed values.
func Enum[T ~string](c Checker, field string, v T, allowed []T) {
	if v == "" {
		c.Add(field, "required")
		return
	}
	if !slices.Contains(allowed, v) {
		names := make([]string, len(allowed))
		for i, a := range allowed {
			names[i] = string(a)
		}
		c.Add(field, "must be one of "+strings.Join(names, ", "))
	}
}
