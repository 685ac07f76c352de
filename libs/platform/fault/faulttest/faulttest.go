// Package faulttest holds assertions on fault errors for tests. It is an ordinary package, not a
// _test.go file, so every package's tests share one version of each assertion.
package faulttest

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/zoneops/zoneops/libs/platform/fault"
)

// WantFields asserts err is a *fault.ValidationError matching fault.ErrInvalid that names exactly
// fields (in any order, with repeats), each with a reason, and returns it so a test can look
// further.
func WantFields(t testing.TB, err error, fields ...string) *fault.ValidationError {
	t.Helper()
	var v *fault.ValidationError
	if !errors.As(err, &v) {
		t.Fatalf("want validation error on %v, got %v", fields, err)
	}
	if !errors.Is(err, fault.ErrInvalid) {
		t.Errorf("validation error does not match fault.ErrInvalid")
	}
	got := make([]string, len(v.Fields))
	for i, f := range v.Fields {
		got[i] = f.Field
		if f.Reason == "" {
			t.Errorf("field %s has no reason", f.Field)
		}
	}
	want := slices.Clone(fields)
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Fatalf("bad fields %v, want %v (%v)", got, want, err)
	}
	return v
}

// Must fails the test at once when err is not nil: for the steps of a fixture that have to
// work for the test to mean anything.
func Must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("unexpected error: %v", err)
	}
}

// WantState asserts err is a *fault.StateError matching fault.ErrConflict that names action and
// the current state, and entity unless entity is "", and returns it so a test can look further.
func WantState(t testing.TB, err error, entity, action, current string) *fault.StateError {
	t.Helper()
	var s *fault.StateError
	if !errors.As(err, &s) {
		t.Fatalf("want state error, got %v", err)
	}
	if !errors.Is(err, fault.ErrConflict) {
		t.Errorf("state error does not match fault.ErrConflict")
	}
	if (entity != "" && s.Entity != entity) || s.Action != action || s.Current != current {
		t.Fatalf("state error %+v, want %s/%s/%s", s, entity, action, current)
	}
	return s
}

// ReasonOf returns the reasons v gives for field, joined by " | " in the order given, or "" when
// it names no such field, for tests that look at what a refusal says.
func ReasonOf(v *fault.ValidationError, field string) string {
	var rs []string
	for _, f := range v.Fields {
		if f.Field == field {
			rs = append(rs, f.Reason)
		}
	}
	return strings.Join(rs, " | ")
}
