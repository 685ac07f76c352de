// Package fault is the domain-neutral vocabulary of failures that every transport maps in one
// place: a domain wraps one of these kinds, and HTTP or ack decisions follow from errors.Is/As.
package fault

import (
	"errors"
	"fmt"
	"sort"
	"strings"
)

// Kinds of failure. Domains wrap them (fmt.Errorf("application %s: %w", id, fault.ErrNotFound))
// so that transports need not know domain errors.
var (
	// ErrInvalid: the input is malformed or has bad values (HTTP 400).
	ErrInvalid = errors.New("invalid input")
	// ErrUnauthenticated: no credentials or bad credentials (HTTP 401).
	ErrUnauthenticated = errors.New("unauthenticated")
	// ErrForbidden: the caller's role or scope does not allow this (HTTP 403).
	ErrForbidden = errors.New("forbidden")
	// ErrNotFound: unknown, or not visible to the caller (HTTP 404).
	ErrNotFound = errors.New("not found")
	// ErrConflict: an illegal transition or a uniqueness conflict (HTTP 409).
	ErrConflict = errors.New("conflict")
	// ErrTooLarge: the request body exceeds the limit (HTTP 413).
	ErrTooLarge = errors.New("request too large")
	// ErrRule: well-formed input that breaks a business rule (HTTP 422).
	ErrRule = errors.New("business rule violated")
	// ErrUnavailable: a dependency is down; the caller may retry (HTTP 503, nak).
	ErrUnavailable = errors.New("unavailable")
)

// FieldError names one bad field and why it is bad.
type FieldError struct {
	Field  string `json:"field"`
	Reason string `json:"reason"`
}

// ValidationError lists every bad field of one input; it is an ErrInvalid.
type ValidationError struct {
	Fields []FieldError
}

// Error implements error.
func (v *ValidationError) Error() string {
	parts := make([]string, len(v.Fields))
	for i, f := range v.Fields {
		parts[i] = f.Field + ": " + f.Reason
	}
	return "invalid input: " + strings.Join(parts, "; ")
}

// Is makes a ValidationError match ErrInvalid.
func (v *ValidationError) Is(target error) bool { return target == ErrInvalid }

// Fields collects field errors while a value is parsed, so that every bad field is reported at
// once rather than the first one only.
type Fields struct {
	list []FieldError
}

// Add records that field is bad for reason.
func (f *Fields) Add(field, reason string) {
	f.list = append(f.list, FieldError{Field: field, Reason: reason})
}

// Addf records a formatted reason.
func (f *Fields) Addf(field, format string, args ...any) {
	f.Add(field, fmt.Sprintf(format, args...))
}

// Merge adds the fields of err under prefix when err is a ValidationError, or records err's text
// for prefix otherwise. A nil err is ignored.
func (f *Fields) Merge(prefix string, err error) {
	if err == nil {
		return
	}
	var v *ValidationError
	if errors.As(err, &v) {
		for _, fe := range v.Fields {
			name := fe.Field
			if prefix != "" {
				name = prefix + "." + name
			}
			f.Add(name, fe.Reason)
		}
		return
	}
	f.Add(prefix, err.Error())
}

// Empty reports whether no field was added.
func (f *Fields) Empty() bool { return len(f.list) == 0 }

// Err returns a *ValidationError with the fields sorted by name, or nil when there are none.
func (f *Fields) Err() error {
	if len(f.list) == 0 {
		return nil
	}
	out := append([]FieldError(nil), f.list...)
	sort.SliceStable(out, func(i, j int) bool { return out[i].Field < out[j].Field })
	return &ValidationError{Fields: out}
}

// Invalid returns a ValidationError for a single field.
func Invalid(field, reason string) error {
	return &ValidationError{Fields: []FieldError{{Field: field, Reason: reason}}}
}

// StateError reports a transition that the current state does not allow; it is an ErrConflict
// and names the current state so that clients can tell what happened.
type StateError struct {
	Entity  string // "application", "licence"
	Action  string // "approve"
	Current string // the state the entity is in
	// Because, when set, says what about the current state stands in the way (a notice still
	// open until a date), for states the status alone does not explain. It is in the message
	// and unwraps, so callers can test for a domain's sentinel with errors.Is.
	Because error
}

// Error implements error.
func (s *StateError) Error() string {
	msg := fmt.Sprintf("cannot %s %s in state %q", s.Action, s.Entity, s.Current)
	if s.Because != nil {
		msg += ": " + s.Because.Error()
	}
	return msg
}

// Is makes a StateError match ErrConflict.
func (s *StateError) Is(target error) bool { return target == ErrConflict }

// Unwrap returns Because.
func (s *StateError) Unwrap() error { return s.Because }

// reasonError is an invalid value whose text is only the reason; see Reasonf.
type reasonError struct{ reason string }

func (e *reasonError) Error() string { return e.reason }

func (e *reasonError) Is(target error) bool { return target == ErrInvalid }

// Reasonf returns an invalid-value error whose text is only the reason ("must be a date"), for
// parsers of single values: Fields.Merge then files it under the caller's field name. It
// matches ErrInvalid.
func Reasonf(format string, args ...any) error {
	return &reasonError{reason: fmt.Sprintf(format, args...)}
}
