package faulttest

import (
	"errors"
	"fmt"
	"testing"

	"github.com/zoneops/zoneops/libs/platform/fault"
)

// recorder is a testing.TB that records failures instead of stopping the test, so the assertion's
// own verdicts can be checked.
type recorder struct {
	testing.TB
	failed bool
}

func (r *recorder) Helper()               {}
func (r *recorder) Errorf(string, ...any) { r.failed = true }
func (r *recorder) Fatalf(string, ...any) { r.failed = true; panic(r) }

// verdict runs WantFields on a recorder and reports whether it failed.
func verdict(t *testing.T, err error, fields ...string) (failed bool) {
	t.Helper()
	return fails(t, func(tb testing.TB) { WantFields(tb, err, fields...) })
}

// fails runs an assertion on a recorder and reports whether it failed.
func fails(t *testing.T, assert func(testing.TB)) (failed bool) {
	t.Helper()
	r := &recorder{TB: t}
	defer func() {
		if p := recover(); p != nil && p != r {
			panic(p)
		}
		failed = r.failed
	}()
	assert(r)
	return r.failed
}

func TestWantFieldsPassesOnlyAValidationErrorNamingExactlyTheFields(t *testing.T) {
	invalid := func(fields ...fault.FieldError) error { return &fault.ValidationError{Fields: fields} }
	two := invalid(fault.FieldError{Field: "b", Reason: "x"}, fault.FieldError{Field: "a", Reason: "y"})
	repeated := invalid(fault.FieldError{Field: "a", Reason: "x"}, fault.FieldError{Field: "a", Reason: "y"})
	noReason := invalid(fault.FieldError{Field: "a"})
	tests := []struct {
		name   string
		err    error
		fields []string
		fail   bool
	}{
		{"same fields in another order", two, []string{"a", "b"}, false},
		{"wrapped", fmt.Errorf("op: %w", two), []string{"b", "a"}, false},
		{"repeats counted", repeated, []string{"a", "a"}, false},
		{"a field missing", two, []string{"a"}, true},
		{"a field too many", two, []string{"a", "b", "c"}, true},
		{"repeat not named", repeated, []string{"a"}, true},
		{"field without a reason", noReason, []string{"a"}, true},
		{"not a validation error", errors.New("boom"), []string{"a"}, true},
		{"nil", nil, []string{"a"}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := verdict(t, tt.err, tt.fields...); got != tt.fail {
				t.Errorf("failed = %v, want %v", got, tt.fail)
			}
		})
	}
}

func TestMustFailsOnAnyError(t *testing.T) {
	tests := []struct {
		name string
		err  error
		fail bool
	}{
		{"no error", nil, false},
		{"an error", errors.New("boom"), true},
		{"a fault", fault.ErrConflict, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := fails(t, func(tb testing.TB) { Must(tb, tt.err) }); got != tt.fail {
				t.Errorf("failed = %v, want %v", got, tt.fail)
			}
		})
	}
}

func TestWantStatePassesOnlyAStateErrorNamingTheTransition(t *testing.T) {
	state := &fault.StateError{Entity: "request", Action: "accept", Current: "submitted"}
	tests := []struct {
		name                    string
		err                     error
		entity, action, current string
		fail                    bool
	}{
		{"the same transition", state, "request", "accept", "submitted", false},
		{"wrapped", fmt.Errorf("accept: %w", state), "request", "accept", "submitted", false},
		{"any entity", state, "", "accept", "submitted", false},
		{"another entity", state, "lease", "accept", "submitted", true},
		{"another action", state, "request", "decline", "submitted", true},
		{"another current state", state, "request", "accept", "offered", true},
		{"not a state error", fault.ErrConflict, "request", "accept", "submitted", true},
		{"nil", nil, "request", "accept", "submitted", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert := func(tb testing.TB) { WantState(tb, tt.err, tt.entity, tt.action, tt.current) }
			if got := fails(t, assert); got != tt.fail {
				t.Errorf("failed = %v, want %v", got, tt.fail)
			}
		})
	}
}

func TestReasonOfJoinsTheReasonsForOneField(t *testing.T) {
	v := &fault.ValidationError{Fields: []fault.FieldError{
		{Field: "name", Reason: "required"}, {Field: "area", Reason: "too small"}, {Field: "name", Reason: "too long"},
	}}
	tests := []struct {
		field, want string
	}{
		{"name", "required | too long"},
		{"area", "too small"},
		{"zone", ""},
	}
	for _, tt := range tests {
		t.Run(tt.field, func(t *testing.T) {
			if got := ReasonOf(v, tt.field); got != tt.want {
				t.Fatalf("ReasonOf(%q) = %q, want %q", tt.field, got, tt.want)
			}
		})
	}
}
