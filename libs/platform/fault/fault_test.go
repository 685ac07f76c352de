package fault

import (
	"errors"
	"fmt"
	"testing"
)

func TestFieldsAreReportedTogetherAndSorted(t *testing.T) {
	var f Fields
	f.Add("name", "is required")
	f.Add("contact.email", "is not an email address")
	err := f.Err()
	var v *ValidationError
	if !errors.As(err, &v) {
		t.Fatalf("Err() = %v, want *ValidationError", err)
	}
	if len(v.Fields) != 2 || v.Fields[0].Field != "contact.email" || v.Fields[1].Field != "name" {
		t.Fatalf("fields = %+v", v.Fields)
	}
	if !errors.Is(fmt.Errorf("create: %w", err), ErrInvalid) {
		t.Fatal("a wrapped ValidationError must match ErrInvalid")
	}
}

func TestNoFieldsIsNoError(t *testing.T) {
	var f Fields
	if err := f.Err(); err != nil {
		t.Fatalf("Err() = %v, want nil", err)
	}
}

func TestMergePrefixesNestedFields(t *testing.T) {
	var f Fields
	f.Merge("investment", Invalid("currency", "is not an ISO 4217 code"))
	f.Merge("zone", errors.New("is unknown"))
	f.Merge("ignored", nil)
	v := f.Err().(*ValidationError)
	want := []FieldError{{"investment.currency", "is not an ISO 4217 code"}, {"zone", "is unknown"}}
	if len(v.Fields) != len(want) {
		t.Fatalf("fields = %+v, want %+v", v.Fields, want)
	}
	for i := range want {
		if v.Fields[i] != want[i] {
			t.Errorf("field %d = %+v, want %+v", i, v.Fields[i], want[i])
		}
	}
}

func TestStateErrorIsAConflictNamingTheState(t *testing.T) {
	err := fmt.Errorf("approve: %w", &StateError{Entity: "application", Action: "approve", Current: "rejected"})
	if !errors.Is(err, ErrConflict) {
		t.Fatal("StateError must match ErrConflict")
	}
	var s *StateError
	if !errors.As(err, &s) || s.Current != "rejected" {
		t.Fatalf("errors.As = %+v", s)
	}
}

func TestReasonfIsAnInvalidValueFiledUnderTheCallersField(t *testing.T) {
	err := Reasonf("must be at most %d characters", 40)
	if !errors.Is(err, ErrInvalid) || err.Error() != "must be at most 40 characters" {
		t.Fatalf("Reasonf = %v", err)
	}
	var f Fields
	f.Merge("registration_number", err)
	v := f.Err().(*ValidationError)
	if len(v.Fields) != 1 || v.Fields[0] != (FieldError{"registration_number", "must be at most 40 characters"}) {
		t.Fatalf("fields = %+v", v.Fields)
	}
}

func TestStateErrorSaysWhatAboutTheStateStandsInTheWay(t *testing.T) {
	pending := errors.New("reply pending")
	err := fmt.Errorf("revoke: %w", &StateError{Entity: "licence", Action: "revoke", Current: "active",
		Because: fmt.Errorf("the reply is due by 2026-04-05: %w", pending)})
	if !errors.Is(err, ErrConflict) || !errors.Is(err, pending) {
		t.Fatalf("%v must match ErrConflict and its reason", err)
	}
	const want = `revoke: cannot revoke licence in state "active": the reply is due by 2026-04-05: reply pending`
	if err.Error() != want {
		t.Fatalf("message %q, want %q", err.Error(), want)
	}
}
