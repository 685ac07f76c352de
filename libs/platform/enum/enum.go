// Package enum is a closed list of the values a string type may take, in the order forms show
// them, with optional display labels. A domain declares its constants as usual and lists them
// once here; listing, checking, labelling and parsing then come from the list, so the same loop
// is not written again for every status, kind or category.
package enum

import (
	"slices"
	"strings"

	"github.com/zoneops/zoneops/libs/platform/fault"
)

// List is a closed, ordered list of values of T. The zero List is empty.
type List[T ~string] struct {
	values []T
	labels []string // nil, or one label a value
}

// Entry is one value of a labelled list and its display label.
type Entry[T ~string] struct {
	Value T
	Label string
}

// Of returns the list of values, in the order given.
func Of[T ~string](values ...T) List[T] { return List[T]{values: slices.Clone(values)} }

// Labelled returns the list of the entries' values, in the order given, with their labels.
func Labelled[T ~string](entries []Entry[T]) List[T] {
	l := List[T]{values: make([]T, len(entries)), labels: make([]string, len(entries))}
	for i, e := range entries {
		l.values[i], l.labels[i] = e.Value, e.Label
	}
	return l
}

// Values returns every value in order; the slice is the caller's to keep or change.
func (l List[T]) Values() []T { return slices.Clone(l.values) }

// Has reports whether v is one of the values.
func (l List[T]) Has(v T) bool { return slices.Contains(l.values, v) }

// Label returns v's display label, or "" for a value not in the list or a list without labels.
func (l List[T]) Label(v T) string {
	if i := slices.Index(l.values, v); i >= 0 && l.labels != nil {
		return l.labels[i]
	}
	return ""
}

// Parse returns s as a T when it is one of the values. Blank input is refused with the reason
// "required" and any other with "must be one of a, b, c"; the error matches fault.ErrInvalid
// and its text is only the reason, so fault.Fields.Merge files it under the caller's field.
// Values are taken as given (no trimming or case folding): a lenient parser hides client bugs.
func (l List[T]) Parse(s string) (T, error) {
	if l.Has(T(s)) {
		return T(s), nil
	}
	if s == "" {
		return "", fault.Reasonf("required")
	}
	return "", fault.Reasonf("must be one of %s", l.String())
}

// String lists the values separated by commas, as Parse names them.
func (l List[T]) String() string {
	names := make([]string, len(l.values))
	for i, v := range l.values {
		names[i] = string(v)
	}
	return strings.Join(names, ", ")
}
